using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using System.Text.Json.Serialization;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Layers;

public static class LayersApi
{
    private static readonly string[] MunicipalityParameters = ["bbox", "municipality", "district", "zoom"];

    public static IEndpointRouteBuilder MapLayersApi(this IEndpointRouteBuilder app)
    {
        var layers = app.MapGroup("/api/layers").WithTags("Layers");
        layers.MapGet("/settlements", GetSettlementsLayer)
            .WithName(nameof(GetSettlementsLayer))
            .CacheLayerResponse(LayerETags.LayerETagAsync)
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Settlement polygons as an RFC 7946 FeatureCollection, filtered")
            .WithDescription("Comma-separated values select several classes, e.g. water_supply=wells,none. " +
                "zoom (0–22) simplifies outlines to under half a pixel at that Web Mercator zoom.");
        layers.MapGet("/settlements/summary", GetSettlementsSummary)
            .WithName(nameof(GetSettlementsSummary))
            .CacheLayerResponse(LayerETags.LayerETagAsync)
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("The filtered settlements in figures: count, estimated inhabitants, per municipality and per legend class of a theme (for the map at scale, where it draws tiles)")
            .WithDescription("theme names a settlement theme (water_supply, estimated_inhabitants, …); a numeric theme needs breaks, the ascending lower bounds of its classes.");
        layers.MapGet("/municipalities", GetMunicipalitiesLayer)
            .WithName(nameof(GetMunicipalitiesLayer))
            .CacheLayerResponse(LayerETags.LayerETagAsync)
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Municipality boundaries with settlement counts as an RFC 7946 FeatureCollection");
        return app;
    }

    public static async Task<Results<GeoJsonFeaturesResult, ValidationProblem, StatusCodeHttpResult>> GetSettlementsLayer(
        HttpRequest request,
        ReadRoute route,
        SettlementMapDbContext db,
        [AsParameters] SettlementLayerQuery filters,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var filter = await filters.ReadAsync(query, request, db, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The layer request has invalid parameters.");
        }
        if (LayerETags.IsNotModified(request.HttpContext, await LayerETags.LayerETagAsync(request, cancellationToken)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var (sql, parameters) = LayerSql.Settlements(filter);
        return new GeoJsonFeaturesResult(route.DataSource, sql, parameters);
    }

    /// <summary>
    /// One municipality's figures. <paramref name="WithoutWater"/> is absent where the viewer does not see
    /// water_supply (everywhere, or outside a coordinator's municipalities), not a 0 that would read as "none".
    /// </summary>
    public sealed record MunicipalitySummary(
        string Code, long Settlements, long EstimatedInhabitants,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? WithoutWater);

    /// <summary>
    /// The filtered settlements in figures: totals, per municipality (for the choropleths) and,
    /// when a theme is asked for, per legend class.
    /// </summary>
    public sealed record SettlementsSummary(
        long Matched, long EstimatedInhabitants, IReadOnlyList<MunicipalitySummary> Municipalities, string? Theme, IReadOnlyDictionary<string, long>? Classes);

    private const int MaxBreaks = 12;

    public static async Task<Results<Ok<SettlementsSummary>, ValidationProblem, StatusCodeHttpResult>> GetSettlementsSummary(
        HttpRequest request,
        ReadRoute route,
        SettlementMapDbContext db,
        [AsParameters] SettlementAreaQuery filters,
        [FromQuery] string? theme,
        [FromQuery] string? breaks,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var filter = await filters.ReadAsync(query, request, db, cancellationToken, "theme", "breaks");
        // A theme on an attribute the viewer does not see is unknown to them, like a filter on it.
        var shown = filter.Shown;
        SettlementTheme? settlementTheme = null;
        if (theme is not null && (!SettlementTheme.All.TryGetValue(theme, out settlementTheme) || !shown.Shows(settlementTheme.Attribute)))
        {
            settlementTheme = null;
            var known = SettlementTheme.All.Values.Where(t => shown.Shows(t.Attribute)).Select(t => t.Name);
            query.AddError("theme", $"Unknown theme '{theme}'; known: {string.Join(", ", known)}.");
        }
        var breakValues = query.AscendingNumbers("breaks", breaks, MaxBreaks);
        if (settlementTheme is { Numeric: true } && breaks is null)
        {
            query.AddError("breaks", $"The theme '{theme}' is a number: give its class breaks, e.g. breaks=0,100,300.");
        }
        if (breaks is not null && settlementTheme is not { Numeric: true })
        {
            query.AddError("breaks", "breaks go with a numeric theme only.");
        }
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The summary request has invalid parameters.");
        }
        if (LayerETags.IsNotModified(request.HttpContext, await LayerETags.LayerETagAsync(request, cancellationToken)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var municipalities = new List<MunicipalitySummary>();
        var water = SettlementSchema.Find(LayerSql.WaterSupply)!;
        var (byMunicipality, parameters) = LayerSql.SummaryByMunicipality(filter);
        await using (var command = route.DataSource.CreateCommand(byMunicipality, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var seesWater = shown.ShowsEverywhere(water) || shown.Viewer.OwnMunicipalities.Contains(reader.GetInt32(0));
                municipalities.Add(new MunicipalitySummary(reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), seesWater ? reader.GetInt64(4) : null));
            }
        }
        Dictionary<string, long>? classes = null;
        if (settlementTheme is not null)
        {
            classes = new Dictionary<string, long>(StringComparer.Ordinal);
            var (themeCounts, themeParameters) = LayerSql.ThemeCounts(filter, settlementTheme, breakValues);
            await using var command = route.DataSource.CreateCommand(themeCounts, themeParameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                classes[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        return TypedResults.Ok(new SettlementsSummary(
            municipalities.Sum(m => m.Settlements), municipalities.Sum(m => m.EstimatedInhabitants), municipalities, settlementTheme?.Name, classes));
    }

    public static async Task<Results<GeoJsonFeaturesResult, ValidationProblem, StatusCodeHttpResult>> GetMunicipalitiesLayer(
        HttpRequest request,
        ReadRoute route,
        SettlementMapDbContext db,
        [FromQuery] string? bbox,
        [FromQuery] string? municipality,
        [FromQuery] string? district,
        [FromQuery] string? zoom,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, MunicipalityParameters);
        var filter = new MunicipalityLayerFilter(
            query.Bbox("bbox", bbox),
            query.Code("municipality", municipality),
            query.Code("district", district),
            query.WholeNumber("zoom", zoom, 0, Simplification.MaxZoom));
        await PlaceCodes.CheckExistAsync(query, db, filter.Municipality, filter.District, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The layer request has invalid parameters.");
        }
        if (LayerETags.IsNotModified(request.HttpContext, await LayerETags.LayerETagAsync(request, cancellationToken)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var (sql, parameters) = LayerSql.Municipalities(filter, await DisclosurePolicies.OfAsync(request.HttpContext));
        return new GeoJsonFeaturesResult(route.DataSource, sql, parameters);
    }
}
