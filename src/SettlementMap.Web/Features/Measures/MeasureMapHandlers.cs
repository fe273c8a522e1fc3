using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Measures;

/// <summary>A municipality's measures for the map's choropleth: its settlements, those named by a measure that is not dropped, its measures by status.</summary>
public sealed record MunicipalityMeasures(string Code, int Settlements, int SettlementsWithMeasure, IReadOnlyDictionary<string, int> Measures);

/// <summary>Every municipality's <see cref="MunicipalityMeasures"/>, for the measures the filters give.</summary>
public sealed record MeasureCoverage(IReadOnlyList<MunicipalityMeasures> Municipalities);

/// <summary>
/// The measures on the map (issue 26, item 3): a point layer of measures by status and priority area, and their coverage per
/// municipality. Both read the list's filters (<see cref="MeasureFilterQuery"/>), carry no amount and no target, and are
/// cached by the versions of the tables they are made of, like the settlement layers.
/// </summary>
public static class MeasureMapHandlers
{
    /// <summary>More measures than this in one layer is a 400 asking for a narrower filter (the demo has 201, a country a few thousand).</summary>
    public const int MaxLayerMeasures = 2_000;

    private static readonly string[] Tables = [.. LayerETags.LayerTables, .. LayerETags.MeasureTables];

    public static Task<string> ETagAsync(HttpRequest request, CancellationToken cancellationToken) => LayerETags.ETagAsync(request, Tables, cancellationToken);

    public static void Map(IEndpointRouteBuilder app)
    {
        var reads = app.MapGroup("/api/measures").WithTags("Measures");
        reads.MapGet("/layer", GetMeasuresLayer).WithName(nameof(GetMeasuresLayer))
            .CacheLayerResponse(ETagAsync)
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Measures as points (RFC 7946): one per measure and settlement, at the settlement's point as this viewer sees it, " +
                "or one on the municipality for a measure naming no settlement; filtered as the list (at most 2000 measures)");
        reads.MapGet("/coverage", GetMeasureCoverage).WithName(nameof(GetMeasureCoverage))
            .CacheLayerResponse(ETagAsync)
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Per municipality: its settlements, how many a measure that is not dropped names, and its measures by status; filtered as the list");
    }

    /// <summary>The filters read, and what answers instead when they are bad (400) or the client has this version (304).</summary>
    private static async Task<(QueryParameters Query, MeasureFilter Filter, ValidationProblem? Problem, StatusCodeHttpResult? NotModified)> ReadAsync(
        HttpRequest request, SettlementMapDbContext db, MeasureFilterQuery filters, string what, CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var filter = await filters.ReadAsync(query, request, db, cancellationToken);
        if (query.HasErrors)
        {
            return (query, filter, TypedResults.ValidationProblem(query.Errors, title: $"The measures {what} request has invalid parameters."), null);
        }
        return LayerETags.IsNotModified(request.HttpContext, await ETagAsync(request, cancellationToken))
            ? (query, filter, null, TypedResults.StatusCode(StatusCodes.Status304NotModified))
            : (query, filter, null, null);
    }

    public static async Task<Results<GeoJsonFeaturesResult, ValidationProblem, StatusCodeHttpResult>> GetMeasuresLayer(
        HttpRequest request, ReadRoute route, SettlementMapDbContext db, [AsParameters] MeasureFilterQuery filters, CancellationToken cancellationToken)
    {
        var (query, filter, problem, notModified) = await ReadAsync(request, db, filters, "layer", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (notModified is not null)
        {
            return notModified;
        }
        var ids = await filter.Apply(db.Measures.AsNoTracking()).OrderBy(m => m.Id).Select(m => m.Id).Take(MaxLayerMeasures + 1).ToArrayAsync(cancellationToken);
        if (ids.Length > MaxLayerMeasures)
        {
            query.AddError("municipality", $"More than {MaxLayerMeasures} measures match: narrow the layer by municipality, status, priority_area, programme or plan.");
            return TypedResults.ValidationProblem(query.Errors, title: "The measures layer would be too large.");
        }
        var (sql, parameters) = MeasureMapSql.Layer(ids, await DisclosurePolicies.OfAsync(request.HttpContext));
        return new GeoJsonFeaturesResult(route.DataSource, sql, parameters);
    }

    public static async Task<Results<Ok<MeasureCoverage>, ValidationProblem, StatusCodeHttpResult>> GetMeasureCoverage(
        HttpRequest request, SettlementMapDbContext db, [AsParameters] MeasureFilterQuery filters, CancellationToken cancellationToken)
    {
        var (_, filter, problem, notModified) = await ReadAsync(request, db, filters, "coverage", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (notModified is not null)
        {
            return notModified;
        }
        var measures = filter.Apply(db.Measures.AsNoTracking());
        var municipalities = await db.Municipalities.AsNoTracking().OrderBy(m => m.Code).Select(m => new { m.Id, m.Code }).ToListAsync(cancellationToken);
        // Counts only: every settlement is counted whatever the viewer sees of it (the municipalities layer publishes the same count).
        var settlements = await db.Settlements.AsNoTracking().GroupBy(s => s.MunicipalityId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var named = await db.Settlements.AsNoTracking()
            .Where(s => measures.Any(m => m.Status != MeasureStatus.Dropped && m.Settlements.Any(x => x.Id == s.Id)))
            .GroupBy(s => s.MunicipalityId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var byStatus = (await measures.GroupBy(m => new { m.ActionPlan!.MunicipalityId, m.Status })
            .Select(g => new { g.Key.MunicipalityId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToLookup(r => r.MunicipalityId);
        return TypedResults.Ok(new MeasureCoverage([.. municipalities.Select(m => new MunicipalityMeasures(
            m.Code, settlements.GetValueOrDefault(m.Id), named.GetValueOrDefault(m.Id),
            Enum.GetValues<MeasureStatus>().ToDictionary(EnumText.ToText, s => byStatus[m.Id].Where(r => r.Status == s).Sum(r => r.Count), StringComparer.Ordinal)))]));
    }
}
