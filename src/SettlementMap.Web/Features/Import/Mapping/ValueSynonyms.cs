using System.Diagnostics.CodeAnalysis;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>
/// What survey files write for the values of each closed list of domain.md, in Serbian (Latin
/// spelling; the Cyrillic spelling matches through <see cref="MatchKey"/>) and English. The
/// stored value itself ("in_process", "in process") always matches. The first Serbian word of a
/// value is the one the map shows (wwwroot/js/i18n.js), so an export of the map reads back.
/// </summary>
public static class ValueSynonyms
{
    private sealed record Entry(string Value, string[] Serbian, string[] English);

    private static readonly string[] YesSerbian = ["da", "ima", "postoji", "jeste", "x", "+", "✓", "✔"];
    private static readonly string[] YesEnglish = ["yes", "y", "true", "t", "1"];
    private static readonly string[] NoSerbian = ["ne", "nema", "ne postoji", "nije"];
    private static readonly string[] NoEnglish = ["no", "n", "false", "f", "0"];

    private static readonly Entry Unknown = new("unknown",
        ["nepoznato", "nepoznat", "nepoznata", "nije poznato", "ne zna se", "nema podataka", "bez podataka", "nema informacija", "?"],
        ["unknown", "not known", "no data", "n/a", "na", "not recorded"]);

    private static readonly Dictionary<string, Entry[]> Lists = new(StringComparer.Ordinal)
    {
        ["settlement_type"] =
        [
            new("urban", ["gradsko", "gradski", "gradska", "gradsko naselje", "urbano", "urbani", "urbana", "grad"], ["urban", "city", "town"]),
            new("suburban", ["prigradsko", "prigradski", "prigradska", "prigradsko naselje", "periurbano", "predgrađe"], ["suburban", "suburb", "peri-urban", "periurban"]),
            new("rural", ["seosko", "seoski", "seoska", "seosko naselje", "ruralno", "ruralni", "ruralna", "selo"], ["rural", "village", "countryside"]),
        ],
        ["location_class"] =
        [
            new("within_town", ["u naselju", "u gradu", "unutar naselja", "unutar grada", "u okviru naselja", "integrisano", "unutar"], ["within the town", "within town", "within", "inside the town", "inside", "in town", "integrated"]),
            new("town_edge", ["na obodu naselja", "na obodu", "obod", "obod naselja", "na ivici", "na ivici naselja", "ivica naselja", "na periferiji", "periferija", "rubno", "na rubu"], ["on the edge of the town", "town edge", "edge of town", "edge", "on the edge", "periphery", "outskirts"]),
            new("outside_town", ["izdvojeno, van naselja", "izdvojeno", "van naselja", "izvan naselja", "van grada", "izvan grada", "izolovano", "odvojeno", "segregirano"], ["separated, outside the town", "outside the town", "outside town", "outside", "separated", "segregated", "isolated"]),
            new("dispersed", ["raštrkano među većinskim stanovništvom", "raštrkano", "rasuto", "disperzno", "razbacano", "izmešano", "među većinskim stanovništvom"], ["dispersed among the majority", "dispersed", "scattered"]),
        ],
        ["building_material"] =
        [
            new("brick_block", ["cigla ili blok", "cigla i blok", "cigla", "blok", "blokovi", "opeka", "tvrdi materijal", "čvrst materijal", "čvrsta gradnja", "zidano", "beton"], ["brick or block", "brick and block", "brick", "block", "masonry", "concrete", "solid"]),
            new("mixed", ["mešovito", "mešoviti", "mešano", "miješano", "mješovito", "kombinovano", "kombinovani"], ["mixed", "combined"]),
            new("makeshift", ["drvo, blato ili improvizovano", "improvizovano", "improvizovani", "drvo", "blato", "drvo i blato", "čerpič", "naboj", "nabijena zemlja", "karton", "lim", "daske", "baraka", "barake", "priručni materijal"], ["wood, mud or makeshift", "makeshift", "improvised", "wood", "mud", "wood or mud", "shack", "shacks", "cardboard"]),
        ],
        ["legal_status"] =
        [
            new("legalised", ["legalizovano", "legalizovan", "legalizovana", "legalizovani", "legalizirano", "ozakonjeno", "ozakonjen", "uknjiženo", "legalno", "da"], ["legalised", "legalized", "legal", "yes"]),
            new("in_process", ["u postupku legalizacije", "u postupku", "postupak u toku", "u toku", "u procesu", "započeto", "pokrenut postupak"], ["legalisation in process", "legalization in process", "in process", "in progress", "pending", "ongoing"]),
            new("not_legalised", ["nije legalizovano", "nelegalizovano", "nelegalizovan", "nelegalizovana", "nelegalno", "bespravno", "bespravna gradnja", "neuknjiženo", "ne"], ["not legalised", "not legalized", "unlegalised", "unlegalized", "illegal", "no"]),
        ],
        ["planning_document"] =
        [
            new("yes", ["da", "ima", "postoji", "usvojen", "usvojeno", "obuhvaćeno", "pokriveno", "jeste", "x", "+", "✓", "✔"], ["yes", "adopted", "covered", "exists", "y", "true", "t", "1"]),
            new("in_preparation", ["u izradi", "u pripremi", "izrada u toku", "u postupku donošenja", "u toku"], ["in preparation", "being prepared", "in progress", "draft"]),
            new("no", ["ne", "nema", "ne postoji", "nije", "nije obuhvaćeno", "nije pokriveno"], ["no", "none", "not covered", "n", "false", "f", "0"]),
        ],
        ["water_supply"] =
        [
            new("network", ["vodovod", "javni vodovod", "gradski vodovod", "seoski vodovod", "vodovodna mreža", "vodovodni priključak", "priključak na vodovod", "mreža"], ["water network", "network", "public network", "public water supply", "piped", "piped water", "mains", "mains water"]),
            new("wells", ["bunari", "bunar", "bunarska voda", "iz bunara", "sopstveni bunar", "pumpa", "izvor"], ["wells", "well", "borehole", "pump", "spring"]),
            new("none", ["bez vode", "nema vode", "nema", "bez", "ne"], ["no water supply", "no water", "none", "no"]),
        ],
        ["sewerage"] =
        [
            new("network", ["kanalizaciona mreža", "kanalizacija", "javna kanalizacija", "gradska kanalizacija", "priključak na kanalizaciju", "mreža"], ["sewer network", "network", "sewer", "sewerage network", "public sewer", "mains"]),
            new("septic", ["septička jama", "septičke jame", "septička", "septik", "jama", "poljski wc", "poljski toalet", "nužnik"], ["septic tank", "septic", "cesspit", "cesspool", "pit latrine", "pit"]),
            new("none", ["nema", "bez kanalizacije", "nema kanalizacije", "bez", "ne"], ["none", "no sewerage", "no"]),
        ],
        ["electricity"] =
        [
            new("legal", ["legalan priključak", "legalni priključak", "legalni priključci", "legalno", "legalan", "legalni", "sa brojilom"], ["legal connection", "legal", "legally connected", "metered"]),
            new("partial", ["delimično priključeno", "delimično", "djelimično", "delimično legalno", "delimično nelegalno", "delimičan priključak"], ["partly connected", "partial", "partially", "partly", "partly legal"]),
            new("illegal", ["nelegalan priključak", "nelegalni priključak", "nelegalni priključci", "nelegalno", "nelegalan", "divlji priključak", "divlji priključci", "bespravno"], ["illegal connection", "illegal", "informal", "unmetered"]),
            new("none", ["nema", "bez struje", "nema struje", "bez", "ne"], ["none", "no electricity", "no"]),
        ],
        ["heating"] =
        [
            new("district", ["daljinsko grejanje", "daljinsko", "centralno grejanje", "centralno", "toplana", "gradska toplana", "toplovod"], ["district heating", "district", "central heating"]),
            new("electricity_gas", ["struja ili gas", "struja i gas", "struja", "gas", "plin", "električno", "električna energija", "na struju", "na gas"], ["electricity or gas", "electricity", "electric", "gas"]),
            new("wood_coal", ["drva ili ugalj", "drva i ugalj", "drva", "drvo", "ugalj", "na drva", "čvrsto gorivo", "peć na drva"], ["wood or coal", "wood", "coal", "firewood", "solid fuel"]),
            new("none", ["nema", "bez grejanja", "nema grejanja", "bez", "ne"], ["none", "no heating", "no"]),
        ],
        ["yes_no"] =
        [
            new("yes", YesSerbian, YesEnglish),
            new("no", NoSerbian, NoEnglish),
        ],
    };

    private static readonly Dictionary<string, Dictionary<string, string>> Lookup = BuildLookup();

    /// <summary>The closed lists that have synonyms (every list of SettlementFields.ClosedLists should).</summary>
    public static IEnumerable<string> ListNames => Lists.Keys;

    /// <summary>Finds the stored value of a list for what a file wrote, in any script, case or diacritics.</summary>
    public static bool TryResolve(string list, string text, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        return Lookup.TryGetValue(list, out var keys) && keys.TryGetValue(MatchKey.Value(text), out value);
    }

    /// <summary>The Serbian words (Latin spelling) accepted for a value; empty when there are none.</summary>
    public static IReadOnlyList<string> Serbian(string list, string value) => Find(list, value)?.Serbian ?? [];

    /// <summary>The English words accepted for a value besides the value itself; empty when there are none.</summary>
    public static IReadOnlyList<string> English(string list, string value) => Find(list, value)?.English ?? [];

    /// <summary>The accepted values of a list in plain words: "network (vodovod), wells (bunari), none (bez vode), unknown (nepoznato)".</summary>
    public static string Accepted(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var values = SettlementFields.EnumValues(list);
        return string.Join(", ", values.Where(v => v != Unknown.Value).Concat(values.Where(v => v == Unknown.Value)).Select(value =>
            Serbian(list, value) is [var word, ..] ? $"{value} ({word})" : value));
    }

    private static Entry? Find(string list, string value) =>
        value == Unknown.Value ? Unknown : Lists.GetValueOrDefault(list)?.FirstOrDefault(e => e.Value == value);

    private static Dictionary<string, Dictionary<string, string>> BuildLookup()
    {
        var lookup = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (list, entries) in Lists)
        {
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in entries.Append(Unknown))
            {
                foreach (var word in entry.Serbian.Concat(entry.English).Append(entry.Value))
                {
                    var key = MatchKey.Value(word);
                    if (keys.TryGetValue(key, out var other) && other != entry.Value)
                    {
                        throw new InvalidOperationException($"'{word}' is a synonym of both {other} and {entry.Value} in {list}.");
                    }
                    keys[key] = entry.Value;
                }
            }
            lookup[list] = keys;
        }
        return lookup;
    }
}
