using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Reports;

/// <summary>A municipality of a report's area, by the database's id and its code.</summary>
public sealed record ReportMunicipality(int Id, string Code, string NameLatn, string NameCyrl);

/// <summary>The area a report is about and its municipalities (every one of Serbia for the national report).</summary>
public sealed record ReportPlace(ReportArea Area, IReadOnlyList<ReportMunicipality> Municipalities)
{
    public IReadOnlyList<int> Ids => [.. Municipalities.Select(m => m.Id)];
}

/// <summary>
/// The place a report is asked for, read once for every report: municipality=&lt;code&gt; or district=&lt;code&gt;
/// (one of them; or neither, for Serbia, where the report allows it), each checked to exist.
/// </summary>
public static class ReportPlaces
{
    /// <summary>The national area's code (ISO 3166-1) and names.</summary>
    public const string SerbiaCode = "RS";

    private static readonly Label Serbia = new("Srbija", "Србија", "Serbia");

    /// <summary>
    /// The codes given, with an error on <paramref name="query"/> for a bad or unknown one, both at once, or (unless
    /// <paramref name="serbiaAllowed"/>) neither.
    /// </summary>
    public static async Task<(string? Municipality, string? District)> ReadAsync(QueryParameters query, SettlementMapDbContext db,
        string? municipality, string? district, bool serbiaAllowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var municipalityCode = query.Code("municipality", municipality);
        var districtCode = query.Code("district", district);
        var bothOrNeither = (municipalityCode is null) == (districtCode is null);
        var neither = municipality is null && district is null;
        if (bothOrNeither && !(neither && serbiaAllowed) && !query.Errors.ContainsKey("municipality") && !query.Errors.ContainsKey("district"))
        {
            query.AddError("municipality", serbiaAllowed
                ? "Give municipality=<code> or district=<code>, not both (neither: Serbia)."
                : "Give either municipality=<code> or district=<code>.");
        }
        await PlaceCodes.CheckExistAsync(query, db, municipalityCode, districtCode, cancellationToken);
        return (municipalityCode, districtCode);
    }

    /// <summary>The area of codes <see cref="ReadAsync"/> accepted: a municipality, a district, or Serbia when neither is given.</summary>
    public static async Task<ReportPlace> AreaAsync(SettlementMapDbContext db, string? municipalityCode, string? districtCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var municipalities = await db.Municipalities.AsNoTracking()
            .Where(m => municipalityCode != null ? m.Code == municipalityCode : districtCode == null || m.District!.Code == districtCode)
            .OrderBy(m => m.Code).Select(m => new ReportMunicipality(m.Id, m.Code, m.NameLatn, m.NameCyrl)).ToListAsync(cancellationToken);
        var codes = municipalities.Select(m => m.Code).ToList();
        var area = municipalityCode is not null
            ? await db.Municipalities.Where(m => m.Code == municipalityCode).Select(m => new ReportArea("municipality", m.Code, m.NameLatn, m.NameCyrl, codes)).SingleAsync(cancellationToken)
            : districtCode is not null
                ? await db.Districts.Where(d => d.Code == districtCode).Select(d => new ReportArea("district", d.Code, d.NameLatn, d.NameCyrl, codes)).SingleAsync(cancellationToken)
                : new ReportArea("serbia", SerbiaCode, Serbia.Latn, Serbia.Cyrl, codes);
        return new ReportPlace(area, municipalities);
    }
}
