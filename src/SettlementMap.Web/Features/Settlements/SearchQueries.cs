using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>A municipality whose search key holds the text.</summary>
public sealed record MunicipalityMatch(int Id, string Code, string NameLatn, string NameCyrl, Geometry Envelope);

/// <summary>A settlement whose search key holds the text, with its municipality's names.</summary>
public sealed record SettlementMatch(long Id, string Code, string NameLatn, string NameCyrl, string MunicipalityLatn, string MunicipalityCyrl, Geometry Envelope);

/// <summary>
/// The search's queries (EF Core, translated to SQL by Npgsql): names whose search key (Latin, lower
/// case, no diacritics) contains the key, those that start with it first. The key is matched
/// literally: LIKE wildcards typed by the user are escaped.
/// </summary>
public static class SearchQueries
{
    public static IQueryable<MunicipalityMatch> Municipalities(SettlementMapDbContext db, string key, int take)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (contains, startsWith) = Patterns(key);
        return db.Municipalities.AsNoTracking()
            .Where(m => EF.Functions.Like(m.SearchKey, contains, "\\"))
            .OrderBy(m => EF.Functions.Like(m.SearchKey, startsWith, "\\") ? 0 : 1).ThenBy(m => m.NameLatn)
            .Take(take)
            .Select(m => new MunicipalityMatch(m.Id, m.Code, m.NameLatn, m.NameCyrl, m.Geom.Envelope));
    }

    public static IQueryable<SettlementMatch> Settlements(SettlementMapDbContext db, string key, int take)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (contains, startsWith) = Patterns(key);
        return db.Settlements.AsNoTracking()
            .Where(s => EF.Functions.Like(s.SearchKey, contains, "\\"))
            .OrderBy(s => EF.Functions.Like(s.SearchKey, startsWith, "\\") ? 0 : 1).ThenBy(s => s.NameLatn).ThenBy(s => s.Id)
            .Take(take)
            .Select(s => new SettlementMatch(s.Id, s.Code, s.NameLatn, s.NameCyrl, s.Municipality!.NameLatn, s.Municipality.NameCyrl, s.Geom.Envelope));
    }

    private static (string Contains, string StartsWith) Patterns(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var literal = key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        return ($"%{literal}%", $"{literal}%");
    }
}
