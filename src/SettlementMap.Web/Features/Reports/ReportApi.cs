using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Coverage;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Reports;

public sealed record ReportArea(string Kind, string Code, string NameLatn, string NameCyrl, IReadOnlyList<string> Municipalities);

/// <summary>
/// An area's totals. SettlementsGeneralised: in the generalised public view, the small settlements whose
/// inhabitants are not counted in EstimatedInhabitants (each has fewer than the threshold).
/// </summary>
public sealed record ReportTotals(int Settlements, int EstimatedInhabitants, int Households, int Dwellings, int SettlementsWithoutEstimate, int SettlementsGeneralised);

public sealed record ValueShare(string Value, int Count, double Percent);

/// <summary>Metres over the settlements where the distance is known; Over2000M counts those farther than 2 km.</summary>
public sealed record DistanceSummary(string Field, int Known, int? Median, int? Mean, int? Max, [property: System.Text.Json.Serialization.JsonPropertyName("over_2000_m")] int Over2000M);

public sealed record ReportCoverage(string MunicipalityCode, string Kind, string? ProgrammeCode, int? Count, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>
/// The names, in the three languages, of the municipalities and programmes the report gives by code
/// (Area.Municipalities, Coverage, Programmes, the settlement list): a person reads names, not codes.
/// </summary>
public sealed record ReportNames(IReadOnlyDictionary<string, Label> Municipalities, IReadOnlyDictionary<string, Label> Programmes);

public sealed record ReportChanges(DateOnly Since, int Changes, IReadOnlyDictionary<string, int> ByAction, ReportTotals Then, int? ThenWithoutWaterNetwork,
    IReadOnlyList<long> SettlementsChanged);

/// <summary>
/// The report. WithoutWaterNetwork is null when the viewer does not see the water supply of every settlement
/// in the area; Settlements gives each settlement's <see cref="ReportApi.SettlementColumns"/> that the viewer sees.
/// </summary>
public sealed record SummaryReport(
    ReportArea Area, DateOnly AsOf, ReportTotals Totals, int? WithoutWaterNetwork,
    IReadOnlyDictionary<string, IReadOnlyList<ValueShare>> Shares, IReadOnlyList<DistanceSummary> Access,
    IReadOnlyList<ReportCoverage> Coverage, IReadOnlyList<string> Programmes, ReportChanges? ChangesSince, IReadOnlyList<IReadOnlyDictionary<string, object?>> Settlements,
    ReportNames Names);

/// <summary>
/// The summary a regional coordinator writes by hand: for one municipality or district, the
/// settlements with key indicators, infrastructure shares, service-access distances, coverage and
/// programmes on a day, and what changed since an earlier day (from the audit history). Every figure
/// is made of what the viewer sees (Sensitivity/Disclosure): a share or a distance only when the
/// viewer sees that attribute in every settlement of the area, a generalised settlement's inhabitants
/// not at all.
/// </summary>
public static class ReportApi
{
    private static readonly string[] Parameters = ["municipality", "district", "as_of", "since"];

    private static readonly string[] ShareFields = ["water_supply", "sewerage", "electricity", "legal_status", "heating", "flood_zone", "eviction_threat"];

    private static readonly string[] DistanceFields = [.. SettlementFields.All.Where(f => f.Group == "access").Select(f => f.Name)];

    /// <summary>The columns of the report's settlement list, each given when the viewer sees it.</summary>
    public static readonly string[] SettlementColumns =
    [
        "id", "code", "name_latn", "name_cyrl", "municipality_code", SettlementSchema.EstimatedInhabitants, SettlementSchema.EstimatedInhabitantsBelow,
        "households", "water_supply", "sewerage", "electricity", "legal_status", "substandard_share_pct",
        "distance_to_primary_school_m", "distance_to_health_centre_m", "flood_zone", "eviction_threat",
    ];

    public static IEndpointRouteBuilder MapReportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/summary", GetSummaryReport).WithTags("Coverage").WithName(nameof(GetSummaryReport))
            .WithSummary("Summary of one municipality or district: settlements, indicators, shares, distances, coverage, programmes, change since a day")
            .WithDescription("Give municipality=<code> or district=<code>; as_of (default today) dates the coverage and, when given, the settlements too " +
                "(their state at the end of that UTC day, from history); since adds what changed from the start of that day (UTC) on, up to as_of.");
        MeasureReportApi.Map(app);
        return app;
    }

    public static async Task<Results<Ok<SummaryReport>, ValidationProblem>> GetSummaryReport(
        HttpRequest request, SettlementMapDbContext db, TimeProvider clock,
        [FromQuery] string? municipality, [FromQuery] string? district, [FromQuery(Name = "as_of")] string? asOf, [FromQuery] string? since,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, Parameters);
        var (municipalityCode, districtCode) = await ReportPlaces.ReadAsync(query, db, municipality, district, serbiaAllowed: false, cancellationToken);
        var day = query.Date("as_of", asOf) ?? CoverageQueries.Today(clock);
        var sinceDay = query.Date("since", since);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The report request has invalid parameters.");
        }

        var (area, municipalities) = await ReportPlaces.AreaAsync(db, municipalityCode, districtCode, cancellationToken);
        var ids = municipalities.Select(m => m.Id).ToList();

        var disclosure = await DisclosurePolicies.OfAsync(request.HttpContext);
        // With as_of, the settlements as they were at the end of that day (history); without it, as they are now.
        DateTimeOffset? until = asOf is null ? null : SettlementTime.EndOf(day);
        // A past state has no row version of its own (xmin, the entity's concurrency token): the report never writes it.
        var source = until is { } instant ? db.Settlements.FromSql($"SELECT s.*, '0'::xid AS xmin FROM settlements_as_of({instant}) s") : db.Settlements;
        var settlements = await source.AsNoTracking().Include(s => s.Municipality)
            .Where(s => ids.Contains(s.MunicipalityId)).OrderBy(s => s.NameLatn).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var snapshots = settlements.Select(s => (IReadOnlyDictionary<string, object?>)Disclosed(disclosure, s)).ToList();
        // A figure over a field only when the viewer sees it in every municipality of the area.
        bool Everywhere(string field) => ids.All(id => disclosure.Shows(field, id));
        var municipalityIds = municipalities.ToDictionary(m => m.Code, m => m.Id, StringComparer.Ordinal);

        var coverage = await db.Coverage.AsNoTracking()
            .Where(c => ids.Contains(c.MunicipalityId))
            .ActiveOn(day)
            .OrderBy(c => c.Municipality!.Code).ThenBy(c => c.Kind).ThenBy(c => c.Id)
            .Select(c => new { MunicipalityCode = c.Municipality!.Code, c.Kind, ProgrammeCode = c.Programme == null ? null : c.Programme.Code, c.Count, c.ValidFrom, c.ValidTo })
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new SummaryReport(
            area, day, Totals(snapshots), Everywhere("water_supply") ? snapshots.Count(LacksWaterNetwork) : null,
            ShareFields.Where(Everywhere).ToDictionary(f => f, f => (IReadOnlyList<ValueShare>)Shares(snapshots, f)),
            [.. DistanceFields.Where(Everywhere).Select(f => Distances(snapshots, f))],
            [.. coverage.Select(c => new ReportCoverage(c.MunicipalityCode, EnumText.ToText(c.Kind), c.ProgrammeCode, c.Count, c.ValidFrom, c.ValidTo))],
            [.. coverage.Where(c => c.ProgrammeCode is not null).Select(c => c.ProgrammeCode!).Distinct().Order()],
            sinceDay is { } s ? await ChangesSinceAsync(db, disclosure, s, until, municipalityIds, settlements, Everywhere("water_supply"), cancellationToken) : null,
            [.. settlements.Zip(snapshots, (settlement, snapshot) => (IReadOnlyDictionary<string, object?>)Row(settlement, snapshot))],
            new ReportNames(
                municipalities.ToDictionary(m => m.Code, m => PlaceName(m.NameLatn, m.NameCyrl), StringComparer.Ordinal),
                await ProgrammeNamesAsync(db, [.. coverage.Select(c => c.ProgrammeCode).OfType<string>().Distinct()], cancellationToken))));
    }

    /// <summary>A place's name: its Latin name is also its name in English, as on the map (Niš, Nišavski okrug).</summary>
    private static Label PlaceName(string latin, string cyrillic) => new(latin, cyrillic, latin);

    private static async Task<IReadOnlyDictionary<string, Label>> ProgrammeNamesAsync(SettlementMapDbContext db, List<string> codes, CancellationToken cancellationToken) =>
        (await db.Programmes.AsNoTracking().Where(p => codes.Contains(p.Code)).Select(p => new { p.Code, p.NameSrLatn, p.NameSrCyrl, p.NameEn }).ToListAsync(cancellationToken))
            .ToDictionary(p => p.Code, p => new Label(p.NameSrLatn, p.NameSrCyrl, p.NameEn), StringComparer.Ordinal);

    /// <summary>One settlement's values as the viewer may see them (by attribute name).</summary>
    private static SortedDictionary<string, object?> Disclosed(Disclosure disclosure, Settlement settlement)
    {
        var values = SettlementFields.Snapshot(settlement, settlement.Municipality!.Code);
        disclosure.Apply(values, settlement.MunicipalityId);
        return values;
    }

    private static Dictionary<string, object?> Row(Settlement settlement, IReadOnlyDictionary<string, object?> snapshot)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var column in SettlementColumns)
        {
            if (column == "id")
            {
                row[column] = settlement.Id;
            }
            else if (snapshot.TryGetValue(column, out var value))
            {
                row[column] = value;
            }
        }
        return row;
    }

    /// <summary>
    /// The area as it was at the start of a day: each settlement changed since then (up to <paramref name="until"/>, the
    /// report's as_of, when given) is taken from the snapshot before its first later change (absent if that change created it).
    /// </summary>
    private static async Task<ReportChanges> ChangesSinceAsync(SettlementMapDbContext db, Disclosure disclosure, DateOnly since, DateTimeOffset? until,
        Dictionary<string, int> municipalityIds, List<Settlement> current, bool waterEverywhere, CancellationToken cancellationToken)
    {
        var codes = municipalityIds.Keys.ToList();
        var from = new DateTimeOffset(since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var ids = current.Select(s => s.Id).ToList();
        // Changes of settlements in the area now, and of settlements that were in it (moved away or deleted).
        var changes = await db.SettlementChanges.AsNoTracking()
            .Where(c => c.ChangedAt >= from && (until == null || c.ChangedAt <= until))
            .OrderBy(c => c.ChangedAt).ThenBy(c => c.Id)
            .Select(c => new { c.SettlementId, c.Action, c.AttributesBefore, c.AttributesAfter })
            .ToListAsync(cancellationToken);
        var relevant = changes.Where(c => ids.Contains(c.SettlementId) || InArea(c.AttributesBefore, codes) || InArea(c.AttributesAfter, codes)).ToList();
        var firstBySettlement = relevant.GroupBy(c => c.SettlementId).ToDictionary(g => g.Key, g => g.First());

        var then = new List<IReadOnlyDictionary<string, object?>>();
        foreach (var s in current.Where(s => !firstBySettlement.ContainsKey(s.Id)))
        {
            then.Add(Disclosed(disclosure, s));
        }
        foreach (var first in firstBySettlement.Values.Where(f => f.AttributesBefore is not null && InArea(f.AttributesBefore, codes)))
        {
            var snapshot = Parse(first.AttributesBefore!);
            disclosure.Apply(snapshot, municipalityIds[(string)snapshot["municipality_code"]!]);
            then.Add(snapshot);
        }
        return new ReportChanges(since, relevant.Count,
            relevant.GroupBy(c => EnumText.ToText(c.Action)).ToDictionary(g => g.Key, g => g.Count()),
            Totals(then), waterEverywhere ? then.Count(LacksWaterNetwork) : null,
            [.. firstBySettlement.Keys.Order()]);
    }

    private static bool InArea(string? snapshot, List<string> codes) =>
        snapshot is not null && codes.Contains(Parse(snapshot)["municipality_code"] as string ?? "");

    private static Dictionary<string, object?> Parse(string snapshot)
    {
        using var document = JsonDocument.Parse(snapshot);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            JsonValueKind.Number => (object?)p.Value.GetDecimal(),
            JsonValueKind.String => p.Value.GetString(),
            _ => null,
        });
    }

    private static int Number(IReadOnlyDictionary<string, object?> s, string field) => s.GetValueOrDefault(field) is { } v ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static bool LacksWaterNetwork(IReadOnlyDictionary<string, object?> s) => s.GetValueOrDefault("water_supply") is "wells" or "none";

    private static ReportTotals Totals(List<IReadOnlyDictionary<string, object?>> settlements) => new(
        settlements.Count,
        settlements.Sum(s => Number(s, "estimated_inhabitants")),
        settlements.Sum(s => Number(s, "households")),
        settlements.Sum(s => Number(s, "dwelling_count")),
        settlements.Count(s => s.GetValueOrDefault("estimated_inhabitants") is null && !s.ContainsKey(SettlementSchema.EstimatedInhabitantsBelow)),
        settlements.Count(s => s.ContainsKey(SettlementSchema.EstimatedInhabitantsBelow)));

    private static List<ValueShare> Shares(List<IReadOnlyDictionary<string, object?>> settlements, string field)
    {
        var list = SettlementFields.Find(field)!.List!;
        return [.. SettlementFields.EnumValues(list).Select(value =>
        {
            var count = settlements.Count(s => (string?)s.GetValueOrDefault(field) == value);
            return new ValueShare(value, count, settlements.Count == 0 ? 0 : Math.Round(100.0 * count / settlements.Count, 1));
        })];
    }

    private static DistanceSummary Distances(List<IReadOnlyDictionary<string, object?>> settlements, string field)
    {
        var known = settlements.Where(s => s.GetValueOrDefault(field) is not null).Select(s => Number(s, field)).Order().ToList();
        if (known.Count == 0)
        {
            return new DistanceSummary(field, 0, null, null, null, 0);
        }
        // The lower middle value for an even count: a median that is always one of the distances.
        var median = known[(known.Count - 1) / 2];
        return new DistanceSummary(field, known.Count, median, (int)Math.Round(known.Average()), known[^1], known.Count(d => d > 2000));
    }
}
