using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Measures;

/// <summary>The measures' filters, already validated (null: not filtered by it).</summary>
public sealed record MeasureFilter(
    string? Municipality, string? Settlement, IReadOnlyList<MeasureStatus>? Statuses, IReadOnlyList<PriorityArea>? Areas, string? Programme, int? Plan)
{
    /// <summary>The measures that pass every filter given.</summary>
    public IQueryable<Measure> Apply(IQueryable<Measure> measures)
    {
        ArgumentNullException.ThrowIfNull(measures);
        if (Municipality is { } municipality)
        {
            measures = measures.Where(m => m.ActionPlan!.Municipality!.Code == municipality);
        }
        if (Settlement is { } settlement)
        {
            measures = measures.Where(m => m.Settlements.Any(s => s.Code == settlement));
        }
        if (Statuses is { } statuses)
        {
            measures = measures.Where(m => statuses.Contains(m.Status));
        }
        if (Areas is { } areas)
        {
            measures = measures.Where(m => areas.Contains(m.PriorityArea));
        }
        if (Programme is { } programme)
        {
            measures = measures.Where(m => m.Programme!.Code == programme);
        }
        if (Plan is { } plan)
        {
            measures = measures.Where(m => m.ActionPlanId == plan);
        }
        return measures;
    }
}

/// <summary>
/// The measures' filters as the query string gives them, bound with [AsParameters] by every endpoint that reads measures
/// (the list, the map's layer and coverage), so OpenAPI describes what is read and each reads them the same way.
/// Text, not typed values: <see cref="ReadAsync"/> checks them, so a bad value is a 400 naming the parameter.
/// </summary>
public sealed class MeasureFilterQuery
{
    [FromQuery(Name = "municipality")]
    public string? Municipality { get; set; }

    [FromQuery(Name = "settlement")]
    public string? Settlement { get; set; }

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    [FromQuery(Name = "priority_area")]
    public string? PriorityArea { get; set; }

    [FromQuery(Name = "programme")]
    public string? Programme { get; set; }

    [FromQuery(Name = "plan")]
    public string? Plan { get; set; }

    /// <summary>The parameters bound here.</summary>
    public static IReadOnlyList<string> Names { get; } = ["municipality", "settlement", "status", "priority_area", "programme", "plan"];

    /// <summary>
    /// The filter, with every bad parameter added to <paramref name="query"/>: an unknown one (the request's keys against
    /// <see cref="Names"/> and the endpoint's <paramref name="alsoKnown"/>), a bad value, an unknown place or programme.
    /// </summary>
    public async Task<MeasureFilter> ReadAsync(
        QueryParameters query, HttpRequest request, SettlementMapDbContext db, CancellationToken cancellationToken, params string[] alsoKnown)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(db);
        query.RejectUnknown(request.Query, [.. Names, .. alsoKnown]);
        var filter = new MeasureFilter(
            query.Code("municipality", Municipality),
            query.Code("settlement", Settlement),
            query.EnumValues<MeasureStatus>("status", Status)?.Select(EnumText.Parse<MeasureStatus>).ToList(),
            query.EnumValues<Data.PriorityArea>("priority_area", PriorityArea)?.Select(EnumText.Parse<Data.PriorityArea>).ToList(),
            query.Code("programme", Programme),
            query.WholeNumber("plan", Plan, 1, int.MaxValue));
        await PlaceCodes.CheckExistAsync(query, db, filter.Municipality, null, cancellationToken);
        if (filter.Settlement is { } settlement && !await db.Settlements.AnyAsync(s => s.Code == settlement, cancellationToken))
        {
            query.AddError("settlement", $"No settlement has the code '{SettlementRules.Printable(Shown.Value(settlement))}'.");
        }
        if (filter.Programme is { } programme && !await db.Programmes.AnyAsync(p => p.Code == programme, cancellationToken))
        {
            query.AddError("programme", $"No programme has the code '{SettlementRules.Printable(Shown.Value(programme))}'.");
        }
        return filter;
    }
}
