using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Data;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>A municipality or district that words of the query named, narrowing the search to it.</summary>
public sealed record SearchPlace(string Kind, string Code, string NameLatn, string NameCyrl);

/// <summary>
/// What a search looks for: <paramref name="Key"/> (the whole text folded, see <see cref="SerbianScript.SearchKey"/>)
/// in any name; and, when words at the start or end of it name a municipality or district
/// (<paramref name="Places"/>), the other words (<paramref name="NameKey"/>) in the names of its
/// settlements (<paramref name="PlaceMunicipalities"/>): "stanica nis", "Niš Stanica", "станица ниш".
/// </summary>
public sealed record SearchTerms(string Key, string NameKey, int[] PlaceMunicipalities, IReadOnlyList<SearchPlace> Places)
{
    /// <summary>The text alone, no place named.</summary>
    public static SearchTerms NameOnly(string key) => new(key, key, [], []);
}

/// <summary>One row of the search's answer: a municipality (kind 0) or a settlement (kind 1).</summary>
public sealed class SearchRow
{
    public int Kind { get; init; }
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string NameLatn { get; init; } = "";
    public string NameCyrl { get; init; } = "";
    /// <summary>A settlement's municipality (a municipality's own name for a municipality row).</summary>
    public string MunicipalityLatn { get; init; } = "";
    public string MunicipalityCyrl { get; init; } = "";
    public Geometry Envelope { get; init; } = null!;
    /// <summary>0 when the row is in one of the viewer's own municipalities.</summary>
    public int Own { get; init; }
    public int Exact { get; init; }
    public int Prefix { get; init; }
}

/// <summary>
/// The search's queries (EF Core, translated to SQL by Npgsql), all here: names whose search key
/// (Latin, lower case, no diacritics) contains the key, in one ordered list of municipalities and
/// settlements that is paged with offset and limit. The key is matched literally: LIKE wildcards
/// typed by the user are escaped.
/// </summary>
public static class SearchQueries
{
    /// <summary>The most words at either end of the query read as a place ("Bačka Palanka", "Grad Beograd").</summary>
    public const int MaxPlaceWords = 3;

    /// <summary>
    /// The order, stated once (the API's description repeats it): exact names first, then municipalities
    /// before settlements, the viewer's own municipalities first, names that start with the text, then by
    /// name, municipality and id (so pages never overlap).
    /// </summary>
    public const string Order = "Exact names first; then municipalities before settlements; within those, the signed-in coordinator's own municipalities first, " +
        "then names that start with the text, then alphabetically by name, municipality and id.";

    /// <summary>Every match in the search's order; page it with Skip/Take, count it with Count.</summary>
    public static IQueryable<SearchRow> Matches(SettlementMapDbContext db, SearchTerms terms, int[] ownMunicipalities)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(terms);
        var (contains, startsWith) = Patterns(terms.Key);
        var (nameContains, nameStartsWith) = Patterns(terms.NameKey);
        var key = terms.Key;
        var nameKey = terms.NameKey;
        var place = terms.PlaceMunicipalities;
        var own = ownMunicipalities;

        var municipalities = db.Municipalities.AsNoTracking()
            .Where(m => EF.Functions.Like(m.SearchKey, contains, "\\"))
            .Select(m => new SearchRow
            {
                Kind = 0,
                Id = m.Id,
                Code = m.Code,
                NameLatn = m.NameLatn,
                NameCyrl = m.NameCyrl,
                MunicipalityLatn = m.NameLatn,
                MunicipalityCyrl = m.NameCyrl,
                Envelope = m.Geom.Envelope,
                Own = own.Contains(m.Id) ? 0 : 1,
                Exact = m.SearchKey == key ? 0 : 1,
                Prefix = EF.Functions.Like(m.SearchKey, startsWith, "\\") ? 0 : 1,
            });
        var settlements = db.Settlements.AsNoTracking()
            .Where(s => EF.Functions.Like(s.SearchKey, contains, "\\")
                || (place.Contains(s.MunicipalityId) && EF.Functions.Like(s.SearchKey, nameContains, "\\")))
            .Select(s => new SearchRow
            {
                Kind = 1,
                Id = s.Id,
                Code = s.Code,
                NameLatn = s.NameLatn,
                NameCyrl = s.NameCyrl,
                MunicipalityLatn = s.Municipality!.NameLatn,
                MunicipalityCyrl = s.Municipality.NameCyrl,
                Envelope = s.Geom.Envelope,
                Own = own.Contains(s.MunicipalityId) ? 0 : 1,
                Exact = s.SearchKey == key || (place.Contains(s.MunicipalityId) && s.SearchKey == nameKey) ? 0 : 1,
                Prefix = EF.Functions.Like(s.SearchKey, startsWith, "\\")
                    || (place.Contains(s.MunicipalityId) && EF.Functions.Like(s.SearchKey, nameStartsWith, "\\")) ? 0 : 1,
            });
        return municipalities.Concat(settlements)
            .OrderBy(r => r.Exact).ThenBy(r => r.Kind).ThenBy(r => r.Own).ThenBy(r => r.Prefix)
            .ThenBy(r => r.NameLatn).ThenBy(r => r.MunicipalityLatn).ThenBy(r => r.Id);
    }

    /// <summary>
    /// Reads the query's words: when the last (or else the first) one to <see cref="MaxPlaceWords"/> words
    /// are a municipality's name, or a district's ("nisava", "nisavski okrug", "nisavski"), and other words
    /// remain, the search also looks for those in that place. A municipality wins over a district of the
    /// same name, more words over fewer.
    /// </summary>
    public static async Task<SearchTerms> TermsAsync(SettlementMapDbContext db, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        var words = key.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var splits = PlaceSplits(words).ToList();
        if (splits.Count == 0)
        {
            return SearchTerms.NameOnly(key);
        }
        var phrases = splits.Select(s => s.Place).Distinct(StringComparer.Ordinal).ToArray();
        var municipalities = await db.Municipalities.AsNoTracking()
            .Where(m => phrases.Contains(m.SearchKey))
            .Select(m => new { m.Id, m.Code, m.NameLatn, m.NameCyrl, m.SearchKey })
            .ToListAsync(cancellationToken);
        var districts = (await db.Districts.AsNoTracking().Select(d => new { d.Id, d.Code, d.NameLatn, d.NameCyrl, d.NameEn }).ToListAsync(cancellationToken))
            .Select(d => new { d.Id, Place = new SearchPlace("district", d.Code, d.NameLatn, d.NameCyrl), Keys = DistrictKeys(d.NameLatn, d.NameEn) })
            .ToList();
        foreach (var (place, name) in splits)
        {
            var inMunicipalities = municipalities.Where(m => m.SearchKey == place).ToList();
            if (inMunicipalities.Count > 0)
            {
                return new SearchTerms(key, name, [.. inMunicipalities.Select(m => m.Id)],
                    [.. inMunicipalities.Select(m => new SearchPlace("municipality", m.Code, m.NameLatn, m.NameCyrl))]);
            }
            var inDistricts = districts.Where(d => d.Keys.Contains(place)).ToList();
            if (inDistricts.Count > 0)
            {
                var ids = inDistricts.Select(d => d.Id).ToArray();
                var members = await db.Municipalities.AsNoTracking().Where(m => ids.Contains(m.DistrictId)).Select(m => m.Id).ToArrayAsync(cancellationToken);
                return new SearchTerms(key, name, members, [.. inDistricts.Select(d => d.Place)]);
            }
        }
        return SearchTerms.NameOnly(key);
    }

    /// <summary>(place words, other words) at the end, then at the start, the longer place first.</summary>
    private static IEnumerable<(string Place, string Name)> PlaceSplits(string[] words)
    {
        for (var n = Math.Min(MaxPlaceWords, words.Length - 1); n >= 1; n--)
        {
            yield return (string.Join(' ', words[^n..]), string.Join(' ', words[..^n]));
            yield return (string.Join(' ', words[..n]), string.Join(' ', words[n..]));
        }
    }

    /// <summary>A district's names as typed: "nisavski okrug", "nisavski", "nisava"; "grad beograd", "beograd".</summary>
    private static HashSet<string> DistrictKeys(string nameLatn, string nameEn)
    {
        var latin = SerbianScript.SearchKey(nameLatn);
        var keys = new HashSet<string>(StringComparer.Ordinal) { latin, SerbianScript.SearchKey(nameEn) };
        if (latin.EndsWith(" okrug", StringComparison.Ordinal))
        {
            keys.Add(latin[..^" okrug".Length]);
        }
        if (latin.StartsWith("grad ", StringComparison.Ordinal))
        {
            keys.Add(latin["grad ".Length..]);
        }
        return keys;
    }

    private static (string Contains, string StartsWith) Patterns(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var literal = key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        return ($"%{literal}%", $"{literal}%");
    }
}
