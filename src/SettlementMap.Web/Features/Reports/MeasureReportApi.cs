using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Coverage;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Reports;

/// <summary>How many measures of a priority area had a status (on the report's day, or on a quarter's last day).</summary>
public sealed record MeasureCount(string PriorityArea, string Status, int Count);

/// <summary>The measures by area and status on a quarter's last day (the report's day for the quarter it falls in).</summary>
public sealed record QuarterCounts(DateOnly QuarterEnd, DateOnly Day, IReadOnlyList<MeasureCount> Counts);

/// <summary>Planned and spent amounts of a priority area in one currency, over <paramref name="Measures"/> measures with amounts.</summary>
public sealed record BudgetTotal(string PriorityArea, string Currency, int Measures, decimal Planned, decimal Spent);

/// <summary>
/// The budgets: <paramref name="Restricted"/> when the viewer does not see the amounts of every municipality of the area
/// (<see cref="MeasureBudgets"/>); then Totals is empty.
/// </summary>
public sealed record BudgetSection(bool Restricted, IReadOnlyList<BudgetTotal> Totals);

/// <summary>
/// Whether a settlement a done measure names reached the value the measure aimed at: its value at the end of the day the
/// measure was done and at the report's instant, and Outcome: "already" (it had the target then), "reached" (a later version
/// has it: ReachedOn, the day, UTC) or "not_reached". Reaching is judged by the attribute's order (SettlementSchema Change): a
/// better value than the target reaches it too.
/// </summary>
public sealed record MeasureOutcome(
    long MeasureId, string MunicipalityCode, string PriorityArea, string TitleLatn, string TitleCyrl, string? TitleEn, DateOnly DoneOn,
    MeasureSettlement Settlement, string Attribute, object? Target, object? ValueAtDone, object? ValueNow, string Outcome, DateOnly? ReachedOn);

/// <summary>How many settlements of the area lack Target of Attribute with no measure planned, and the map showing them.</summary>
public sealed record MeasureGap(string Attribute, string Target, int Settlements, string MapLink);

/// <summary>The measures report of an area on a day.</summary>
public sealed record MeasureReport(
    ReportArea Area, DateOnly AsOf, int Measures, IReadOnlyList<MeasureCount> ByStatus, IReadOnlyList<QuarterCounts> OverTime,
    BudgetSection Budgets, IReadOnlyList<MeasureOutcome> Outcomes, IReadOnlyList<MeasureGap> Gaps);

/// <summary>
/// Monitoring of the local action plans' measures (issue 26) for a municipality, a district or Serbia: measures by priority
/// area and status on a day and on each quarter's last day, budget planned and spent, whether the settlements a done measure
/// aimed at changed after it (from history), and the settlements lacking something with nothing planned. JSON or CSV.
/// Every figure is what the viewer may see: amounts only where they see budgets, an outcome only where they see its attribute,
/// a gap only over the attributes they see (and values masked as the map's filter masks them).
/// </summary>
public static class MeasureReportApi
{
    private static readonly string[] Parameters = ["municipality", "district", "as_of", "format", "lang"];

    private static readonly string[] Formats = ["json", "csv"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/measures", GetMeasureReport).WithTags("Measures").WithName(nameof(GetMeasureReport))
            .WithSummary("Monitoring of measures for a municipality, a district or Serbia: by area and status, over time, budgets, outcomes, gaps")
            .WithDescription("Give municipality=<code>, district=<code> or neither (Serbia); as_of (default today) is the day the statuses are " +
                "counted on and the settlements read (their state at the end of that UTC day); format=csv (or Accept: text/csv) gives the " +
                "tables as CSV with headers in lang (sr-Latn, sr-Cyrl, en; default en).");
    }

    public static async Task<Results<Ok<MeasureReport>, FileContentHttpResult, ValidationProblem>> GetMeasureReport(
        HttpRequest request, SettlementMapDbContext db, NpgsqlDataSource dataSource, TimeProvider clock, ProjectPaths paths,
        [FromQuery] string? municipality, [FromQuery] string? district, [FromQuery(Name = "as_of")] string? asOf,
        [FromQuery] string? format, [FromQuery] string? lang, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, Parameters);
        var (municipalityCode, districtCode) = await ReportPlaces.ReadAsync(query, db, municipality, district, serbiaAllowed: true, cancellationToken);
        var day = query.Date("as_of", asOf);
        if (day < MeasureRules.EarliestDay || day > MeasureRules.LatestDay)
        {
            // The days a measure may have: beyond them nothing changes, and the quarters and history have no end to read.
            query.AddError("as_of", FormattableString.Invariant($"as_of must be a day from {MeasureRules.EarliestDay:yyyy-MM-dd} to {MeasureRules.LatestDay:yyyy-MM-dd}."));
        }
        var chosen = query.OneOf("format", format, Formats) ?? (request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "json");
        var language = query.OneOf("lang", lang, Label.Languages) ?? "en";
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The measures report request has invalid parameters.");
        }
        var place = await ReportPlaces.AreaAsync(db, municipalityCode, districtCode, cancellationToken);
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        var report = await ReadAsync(dataSource, place, municipalityCode, districtCode, day, CoverageQueries.Today(clock), clock.GetUtcNow(), shown, cancellationToken);
        // The amounts depend on who asks.
        request.HttpContext.Response.Headers.CacheControl = "private, no-store";
        if (chosen == "csv")
        {
            return TypedResults.File(MeasureReportCsv.Write(report, PageLabels.For(paths), language), "text/csv; charset=utf-8",
                FormattableString.Invariant($"measures-{report.Area.Code}-{report.AsOf:yyyy-MM-dd}.csv"));
        }
        return TypedResults.Ok(report);
    }

    /// <summary>
    /// The report. <paramref name="asOf"/>: the day asked for (statuses on it, settlements at its end from history), or null for
    /// today (statuses today, settlements now).
    /// </summary>
    public static async Task<MeasureReport> ReadAsync(NpgsqlDataSource dataSource, ReportPlace place, string? municipalityCode, string? districtCode,
        DateOnly? asOf, DateOnly today, DateTimeOffset now, Disclosure shown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(place);
        ArgumentNullException.ThrowIfNull(shown);
        var day = asOf ?? today;
        var at = asOf is { } d ? SettlementTime.EndOf(d) : now;
        var ids = place.Ids;

        var byStatus = new List<MeasureCount>();
        await ReadRowsAsync(dataSource, MeasureReportSql.ByStatus(ids, day), r => byStatus.Add(new MeasureCount(r.GetString(0), r.GetString(1), r.GetInt32(2))), cancellationToken);

        var quarters = new List<(DateOnly End, MeasureCount Count)>();
        await ReadRowsAsync(dataSource, MeasureReportSql.OverTime(ids, day),
            r => quarters.Add((r.GetFieldValue<DateOnly>(0), new MeasureCount(r.GetString(1), r.GetString(2), r.GetInt32(3)))), cancellationToken);

        // Amounts only when the viewer sees them in every municipality of the area: a sum of some of them would read as the whole.
        var budgetsShown = ids.Count > 0 && ids.All(id => MeasureBudgets.Shows(shown, id));
        var budgets = new List<BudgetTotal>();
        if (budgetsShown)
        {
            await ReadRowsAsync(dataSource, MeasureReportSql.Budgets(ids, day, shown), r => budgets.Add(new BudgetTotal(
                r.GetString(0), r.GetString(1), r.GetInt32(2), MeasureViews.Normal(r.GetDecimal(3))!.Value, MeasureViews.Normal(r.GetDecimal(4))!.Value)), cancellationToken);
        }

        var outcomes = new List<MeasureOutcome>();
        await ReadRowsAsync(dataSource, MeasureReportSql.Outcomes(ids, day, at), r =>
        {
            var attribute = r.GetString(7);
            // The aim tells the hidden value: as MeasureViews.ToView leaves it out, the outcome is left out.
            if (shown.Shows(attribute, r.GetInt32(1)) && SettlementSchema.Find(attribute) is { } definition)
            {
                outcomes.Add(Outcome(definition, r));
            }
        }, cancellationToken);

        var gaps = new List<MeasureGap>();
        foreach (var (attribute, target) in GapTargets.Where(g => !shown.Hides(g.Attribute)))
        {
            var filter = new SettlementFilter(null, municipalityCode, districtCode, null, null, null, null, null, null, null, null, null, null,
                shown, asOf is null ? null : SettlementTime.Instant(at), new UnplannedTarget(attribute, target));
            var (sql, parameters) = MeasureReportSql.Gap(filter);
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.AddRange(parameters.ToArray());
            var count = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            gaps.Add(new MeasureGap(attribute, target, count, MapLink(municipalityCode, districtCode, attribute, target, asOf)));
        }

        return new MeasureReport(place.Area, day, byStatus.Sum(c => c.Count), Ordered(byStatus),
            [.. quarters.GroupBy(q => q.End).OrderBy(g => g.Key).Select(g => new QuarterCounts(g.Key, g.Key < day ? g.Key : day, Ordered(g.Select(q => q.Count))))],
            new BudgetSection(!budgetsShown, [.. budgets.OrderBy(b => AreaRank(b.PriorityArea)).ThenBy(b => b.Currency, StringComparer.Ordinal)]),
            outcomes, gaps);
    }

    /// <summary>
    /// The gaps counted: each attribute the unplanned filter takes (<see cref="UnplannedTarget.Attributes"/>) whose values the
    /// schema ranks with one best value (water network, legal connection, …): lacking that value is the gap.
    /// </summary>
    public static IReadOnlyList<(string Attribute, string Target)> GapTargets { get; } =
    [
        .. UnplannedTarget.Attributes
            .Select(a => (Attribute: a, Order: SettlementSchema.Find(a)?.Change))
            .Where(a => a.Order is { Direction: ChangeDirection.Ranked, Ranks: [.., [var _]] })
            .Select(a => (a.Attribute, a.Order!.Ranks[^1][0])),
    ];

    /// <summary>
    /// The map with the gap's filter (state.js encodeView: filters named as the API's parameters, ':' unescaped): the one place
    /// this link is built, for the JSON, the CSV and so the report page.
    /// </summary>
    public static string MapLink(string? municipalityCode, string? districtCode, string attribute, string target, DateOnly? asOf)
    {
        var parts = new List<string>();
        if (districtCode is not null)
        {
            parts.Add("district=" + Uri.EscapeDataString(districtCode));
        }
        if (municipalityCode is not null)
        {
            parts.Add("municipality=" + Uri.EscapeDataString(municipalityCode));
        }
        parts.Add($"unplanned={Uri.EscapeDataString(attribute)}:{Uri.EscapeDataString(target)}");
        if (asOf is { } day)
        {
            parts.Add(FormattableString.Invariant($"as_of={day:yyyy-MM-dd}"));
        }
        return "index.html#" + string.Join('&', parts);
    }

    /// <summary>Whether <paramref name="value"/> reaches <paramref name="target"/>: the aim or better by the attribute's order where it has one, else equal.</summary>
    public static bool Reaches(AttributeDefinition attribute, string? value, string target)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (value is null)
        {
            return false;
        }
        static decimal? Number(string text) => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
        return attribute.Change?.Direction switch
        {
            // Another value of the aim's rank is not better (illegal is not "partial"): only the aim or a better rank reaches it.
            ChangeDirection.Ranked => value == target || (attribute.Change.RankOf(value) is { } rank && attribute.Change.RankOf(target) is { } aimed && rank > aimed),
            ChangeDirection.LowerIsBetter => Number(value) <= Number(target),
            ChangeDirection.HigherIsBetter => Number(value) >= Number(target),
            _ => Number(value) is { } n && Number(target) is { } t ? n == t : value == target,
        };
    }

    private static MeasureOutcome Outcome(AttributeDefinition attribute, NpgsqlDataReader r)
    {
        var target = r.GetString(8);
        var doneOn = r.GetFieldValue<DateOnly>(9);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var then = Text(14);
        var now = Text(15);
        var changedAt = r.GetFieldValue<DateTime[]>(16);
        var changedTo = r.GetFieldValue<string?[]>(17);
        DateOnly? reachedOn = null;
        string outcome;
        if (Reaches(attribute, then, target))
        {
            outcome = "already";
        }
        else
        {
            var first = Enumerable.Range(0, changedTo.Length).FirstOrDefault(i => Reaches(attribute, changedTo[i], target), -1);
            reachedOn = first < 0 ? null : DateOnly.FromDateTime(changedAt[first].ToUniversalTime());
            outcome = first < 0 ? "not_reached" : "reached";
        }
        return new MeasureOutcome(r.GetInt64(0), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Text(6), doneOn,
            new MeasureSettlement(r.GetInt64(10), r.GetString(11), r.GetString(12), r.GetString(13)),
            attribute.Name, Typed(attribute, target), Typed(attribute, then), Typed(attribute, now), outcome, reachedOn);
    }

    /// <summary>A value as the attribute's own values travel (a number for a number), as MeasureViews.TargetValue types the aim.</summary>
    private static object? Typed(AttributeDefinition attribute, string? text) =>
        text is not null && attribute.Type is AttributeType.WholeNumber or AttributeType.Number
            && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? MeasureViews.Normal(number)
            : text;

    private static int AreaRank(string area) => MeasureLists.PriorityArea.Values.ToList().FindIndex(v => v.Value == area);

    private static int StatusRank(string status) => MeasureLists.Status.Values.ToList().FindIndex(v => v.Value == status);

    /// <summary>In the lists' order (area, then status), as a person reads the table.</summary>
    private static List<MeasureCount> Ordered(IEnumerable<MeasureCount> counts) =>
        [.. counts.OrderBy(c => AreaRank(c.PriorityArea)).ThenBy(c => StatusRank(c.Status))];

    private static async Task ReadRowsAsync(NpgsqlDataSource dataSource, (string Sql, List<NpgsqlParameter> Parameters) query, Action<NpgsqlDataReader> row,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(query.Sql);
        command.Parameters.AddRange(query.Parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
