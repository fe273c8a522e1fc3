using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>
/// Suggests which column of a file feeds which target, from the column names as survey files
/// write them: Serbian (either script, with or without diacritics) or English, any case, words
/// joined by spaces, underscores, hyphens or dots, a unit or note in brackets ("Udaljenost od
/// škole (m)"), and names that a DBF cut to ten characters ("vodosnabde"). Every field's own
/// name and the labels the map shows (wwwroot/js/i18n.js) are recognised, so the map's CSV
/// export reads back. Geometry columns (wkt, geom, lon, lat, x, y…) are the reader's and are
/// neither mapped nor listed as unmapped.
/// </summary>
public static class ColumnMatcher
{
    /// <summary>A cut name shorter than this is not completed: too many names start alike.</summary>
    private const int MinPrefixLength = 6;

    private static readonly Dictionary<string, string[]> Names = new(StringComparer.Ordinal)
    {
        [ImportTargets.Code] = ["šifra", "šifra naselja", "kod", "kod naselja", "id naselja", "naselje id", "code", "settlement code", "settlement id", "stable id"],
        [ImportTargets.Municipality] = ["opština", "opštine", "naziv opštine", "ime opštine", "opština naziv", "šifra opštine", "opština šifra", "opština grad", "grad opština", "jls", "jedinica lokalne samouprave", "municipality", "municipality code", "municipality name", "lsg", "local self government"],
        [ImportTargets.Name] = ["naziv", "ime", "naselje", "naziv naselja", "ime naselja", "name", "settlement name"],
        ["name_latn"] = ["naziv lat", "naziv latinica", "naziv latinično", "naziv naselja latinica", "ime lat", "ime latinica", "naselje lat", "naselje latinica", "latinica", "name latin", "name lat", "name (latin)"],
        ["name_cyrl"] = ["naziv cir", "naziv ćir", "naziv ćirilica", "naziv ćirilično", "naziv naselja ćirilica", "ime cir", "ime ćirilica", "naselje cir", "naselje ćirilica", "ćirilica", "name cyrillic", "name cyr", "name (cyrillic)"],
        ["settlement_type"] = ["tip", "tip naselja", "vrsta naselja", "vrsta", "type", "settlement type"],
        ["location_class"] = ["položaj", "položaj naselja", "lokacija", "lokacija naselja", "smeštaj", "location", "location type"],
        ["decade_founded"] = ["nastanak (decenija)", "nastanak", "decenija", "decenija nastanka", "decenija osnivanja", "godina nastanka", "starost naselja", "founded (decade)", "founded", "decade", "decade founded"],
        ["estimated_inhabitants"] = ["procenjen broj stanovnika", "procena stanovnika", "procena broja stanovnika", "broj stanovnika", "br stanovnika", "stanovnika", "stanovnici", "stanovništvo", "population", "inhabitants", "estimated population"],
        ["households"] = ["domaćinstva", "domaćinstava", "broj domaćinstava", "br domaćinstava", "households", "number of households"],
        ["population_year"] = ["godina procene", "godina procjene", "godina popisa", "godina", "year of estimate", "estimate year", "population year", "year"],
        ["population_source"] = ["izvor procene", "izvor procjene", "izvor podataka o stanovništvu", "izvor broja stanovnika", "source of estimate", "population source", "estimate source"],
        ["dwelling_count"] = ["stambeni objekti", "broj stambenih objekata", "broj objekata", "objekti", "broj kuća", "kuće", "broj stanova", "dwellings", "number of dwellings", "houses", "buildings"],
        ["main_building_material"] = ["pretežni građevinski materijal", "građevinski materijal", "materijal", "materijal gradnje", "osnovni materijal", "main building material", "building material", "material"],
        ["substandard_share_pct"] = ["podstandardni ili improvizovani objekti", "udeo podstandardnih", "udeo podstandardnih objekata", "procenat podstandardnih", "udeo nehigijenskih", "udeo nehigijenskih objekata", "procenat nehigijenskih", "nehigijenski objekti", "substandard or makeshift dwellings", "substandard share", "substandard share pct", "substandard pct", "substandard"],
        ["overcrowding"] = ["prenaseljenost", "prenaseljeno", "overcrowding", "overcrowded"],
        ["legal_status"] = ["legalizacija zemljišta i objekata", "pravni status", "legalizacija", "status legalizacije", "stepen legalizacije", "legalizovanost", "legalisation of land and dwellings", "legal status", "legalisation", "legalization"],
        ["planning_document"] = ["obuhvaćeno planskim dokumentom", "planski dokument", "planska dokumentacija", "urbanistički plan", "plan", "covered by a planning document", "planning document", "planning"],
        ["water_supply"] = ["snabdevanje vodom", "snabdijevanje vodom", "vodosnabdevanje", "vodosnabdijevanje", "voda", "vodovod", "water supply", "water"],
        ["sewerage"] = ["kanalizacija", "odvod otpadnih voda", "sewerage", "sewage", "sewer", "sanitation"],
        ["electricity"] = ["struja", "električna energija", "elektrifikacija", "elektro mreža", "electricity", "power", "electric power"],
        ["heating"] = ["grejanje", "grijanje", "način grejanja", "heating"],
        ["paved_access_road"] = ["asfaltiran prilazni put", "asfaltiran pristupni put", "asfaltni put", "prilazni put", "pristupni put", "asfalt", "paved access road", "access road", "paved road"],
        ["street_network"] = ["ulična mreža", "mreža ulica", "ulice", "street network", "streets"],
        ["waste_collection"] = ["odvoženje otpada", "odvoz otpada", "odvoz smeća", "odnošenje smeća", "iznošenje smeća", "smeće", "waste collection", "waste", "garbage collection"],
        ["street_lighting"] = ["javna rasveta", "ulična rasveta", "rasveta", "javno osvetljenje", "osvetljenje", "street lighting", "public lighting", "lighting"],
        ["distance_to_seat_m"] = ["sedište opštine", "udaljenost od sedišta opštine", "udaljenost od sedišta", "udaljenost od centra", "udaljenost od centra opštine", "udaljenost od opštine", "municipality seat", "distance to seat", "distance to municipality seat", "distance to centre", "distance to center"],
        ["distance_to_primary_school_m"] = ["osnovna škola", "udaljenost od škole", "udaljenost od osnovne škole", "primary school", "distance to school", "distance to primary school"],
        ["distance_to_preschool_m"] = ["predškolska ustanova", "vrtić", "udaljenost od vrtića", "udaljenost od predškolske ustanove", "pre-school", "kindergarten", "distance to preschool", "distance to kindergarten"],
        ["distance_to_health_centre_m"] = ["dom zdravlja", "ambulanta", "udaljenost od doma zdravlja", "udaljenost od ambulante", "health centre", "health center", "distance to health centre", "distance to health center"],
        ["distance_to_social_work_centre_m"] = ["centar za socijalni rad", "csr", "udaljenost od csr", "udaljenost od centra za socijalni rad", "social work centre", "social work center", "distance to social work centre", "distance to social work center"],
        ["distance_to_transport_stop_m"] = ["stanica javnog prevoza", "stajalište", "autobuska stanica", "javni prevoz", "udaljenost od stanice", "udaljenost od stajališta", "udaljenost od stanice javnog prevoza", "public transport stop", "bus stop", "transport stop", "distance to transport stop", "distance to bus stop"],
        ["distance_to_pharmacy_m"] = ["apoteka", "udaljenost od apoteke", "pharmacy", "distance to pharmacy"],
        ["flood_zone"] = ["plavno područje", "poplavna zona", "poplave", "plavljenje", "flood zone", "flood risk", "flooding"],
        ["hazard_nearby"] = ["deponija ili industrijska opasnost u blizini", "deponija", "deponija u blizini", "industrijska opasnost", "opasnost", "zagađenje", "landfill or industrial hazard nearby", "hazard", "hazard nearby", "landfill"],
        ["eviction_threat"] = ["pretnja iseljenjem", "pretnja iseljenja", "iseljenje", "prinudno iseljenje", "eviction threat", "eviction", "eviction risk"],
        ["source"] = ["izvor", "izvor podataka", "source", "data source"],
        ["data_collected_on"] = ["datum prikupljanja", "datum prikupljanja podataka", "datum", "datum istraživanja", "datum ankete", "data collected on", "collected on", "date collected", "survey date", "date"],
    };

    private static readonly HashSet<string> GeometryNames = new(
        new[]
        {
            "wkt", "wkb", "geometry", "geometrija", "geom", "the_geom", "shape", "geojson", "coordinates", "koordinate",
            "lon", "lng", "long", "longitude", "lat", "latitude", "x", "y", "z", "coord_x", "coord_y", "x_coord", "y_coord",
            "easting", "northing", "geografska dužina", "geografska širina", "dužina", "širina",
        }.Select(MatchKey.Column),
        StringComparer.Ordinal);

    private static readonly Dictionary<string, string> ByKey = BuildKeys();

    /// <summary>Suggests a mapping: each column to at most one target, each target from the first column that names it.</summary>
    public static ImportMapping Suggest(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!mapped.ContainsKey(column) && Recognise(column) is { } target && taken.Add(target))
            {
                mapped[column] = target;
            }
        }
        return new ImportMapping(mapped);
    }

    /// <summary>The target a column name stands for, or null when it is not recognised (or is a geometry column).</summary>
    public static string? Recognise(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (IsGeometryColumn(column))
        {
            return null;
        }
        var key = MatchKey.Column(column);
        if (ByKey.TryGetValue(key, out var target))
        {
            return target;
        }
        // A unit or note in brackets: "Broj stanovnika (procena)", "Udaljenost od škole (m)".
        var open = column.IndexOfAny(['(', '[']);
        if (open > 0 && ByKey.TryGetValue(MatchKey.Column(column[..open]), out target))
        {
            return target;
        }
        // A name cut short, as a DBF cuts it to ten characters: complete it when only one target fits.
        if (key.Length >= MinPrefixLength)
        {
            var candidates = ByKey.Where(k => k.Key.StartsWith(key, StringComparison.Ordinal)).Select(k => k.Value).Distinct().ToList();
            if (candidates.Count == 1)
            {
                return candidates[0];
            }
        }
        return null;
    }

    /// <summary>Whether a column name is one a reader takes the geometry from (wkt, geometry, geom, lon, lat, x, y…).</summary>
    public static bool IsGeometryColumn(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return GeometryNames.Contains(MatchKey.Column(column));
    }

    /// <summary>The columns, in file order, that the mapping does not use, geometry columns left out; for the report.</summary>
    public static IReadOnlyList<string> Unmapped(IReadOnlyList<string> columns, ImportMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(mapping);
        var used = RowMapper.Resolve(mapping, columns);
        return [.. columns.Where(c => !IsGeometryColumn(c) && !used.ContainsKey(c))];
    }

    /// <summary>The column names recognised for a target (as written in the table, before normalising).</summary>
    public static IReadOnlyList<string> NamesOf(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var names = Names.GetValueOrDefault(target) ?? [];
        return target is ImportTargets.Code or ImportTargets.Municipality or ImportTargets.Name ? names : [target, .. names];
    }

    private static Dictionary<string, string> BuildKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in ImportTargets.All)
        {
            foreach (var name in NamesOf(target))
            {
                var key = MatchKey.Column(name);
                if (keys.TryGetValue(key, out var other) && other != target)
                {
                    throw new InvalidOperationException($"The column name '{name}' is given for both {other} and {target}.");
                }
                if (GeometryNames.Contains(key))
                {
                    throw new InvalidOperationException($"The column name '{name}' of {target} is a geometry column name.");
                }
                keys[key] = target;
            }
        }
        foreach (var target in Names.Keys.Where(t => !ImportTargets.IsTarget(t)))
        {
            throw new InvalidOperationException($"Column names are given for {target}, which is not an import target.");
        }
        return keys;
    }
}
