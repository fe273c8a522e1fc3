using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Layers;

public static class LayersApi
{
    private static readonly string[] SettlementParameters =
        [
            "bbox", "municipality", "district", "water_supply", "sewerage", "electricity", "legal_status",
            "flood_zone", "hazard_nearby", "eviction_threat", "min_inhabitants", "max_inhabitants", "zoom",
        ];

    private static readonly string[] MunicipalityParameters = ["bbox", "municipality", "district", "zoom"];

    public static IEndpointRouteBuilder MapLayersApi(this IEndpointRouteBuilder app)
    {
        var layers = app.MapGroup("/api/layers").WithTags("Layers");
        layers.MapGet("/settlements", GetSettlementsLayer)
            .WithName(nameof(GetSettlementsLayer))
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Settlement polygons as an RFC 7946 FeatureCollection, filtered")
            .WithDescription("Comma-separated values select several classes, e.g. water_supply=wells,none. " +
                "zoom (0–22) simplifies outlines to under half a pixel at that Web Mercator zoom.");
        layers.MapGet("/settlements/summary", GetSettlementsSummary)
            .WithName(nameof(GetSettlementsSummary))
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("The filtered settlements in figures: count, estimated inhabitants, per municipality and per legend class of a theme (for the map at scale, where it draws tiles)")
            .WithDescription("theme names a settlement theme (water_supply, estimated_inhabitants, …); a numeric theme needs breaks, the ascending lower bounds of its classes.");
        layers.MapGet("/municipalities", GetMunicipalitiesLayer)
            .WithName(nameof(GetMunicipalitiesLayer))
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Municipality boundaries with settlement counts as an RFC 7946 FeatureCollection");
        return app;
    }

    /// <summary>The tables a settlements or municipalities layer is made of: their versions make its ETag.</summary>
    public static readonly string[] LayerTables = ["settlements", "municipalities"];

    /// <summary>The ETag of a layer or summary response: the layer tables' versions with the URL (the handlers' and the response cache's).</summary>
    public static Task<string> ETagAsync(HttpRequest request, CancellationToken cancellationToken) =>
        LayerETags.ETagAsync(request, LayerTables, cancellationToken);

    public static async Task<Results<GeoJsonFeaturesResult, ValidationProblem, StatusCodeHttpResult>> GetSettlementsLayer(
        HttpRequest request,
        NpgsqlDataSource dataSource,
        SettlementMapDbContext db,
        [FromQuery] string? bbox,
        [FromQuery] string? municipality,
        [FromQuery] string? district,
        [FromQuery(Name = "water_supply")] string? waterSupply,
        [FromQuery] string? sewerage,
        [FromQuery] string? electricity,
        [FromQuery(Name = "legal_status")] string? legalStatus,
        [FromQuery(Name = "flood_zone")] string? floodZone,
        [FromQuery(Name = "hazard_nearby")] string? hazardNearby,
        [FromQuery(Name = "eviction_threat")] string? evictionThreat,
        [FromQuery(Name = "min_inhabitants")] string? minInhabitants,
        [FromQuery(Name = "max_inhabitants")] string? maxInhabitants,
        [FromQuery] string? zoom,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var filter = await ReadSettlementFilterAsync(query, request.Query, SettlementParameters, db, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The layer request has invalid parameters.");
        }
        if (LayerETags.IsNotModified(request.HttpContext, await ETagAsync(request, cancellationToken)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var (sql, parameters) = LayerSql.Settlements(filter);
        return new GeoJsonFeaturesResult(dataSource, sql, parameters);
    }

    public sealed record MunicipalitySummary(string Code, long Settlements, long EstimatedInhabitants, long WithoutWater);

    /// <summary>
    /// The filtered settlements in figures: totals, per municipality (for the choropleths) and,
    /// when a theme is asked for, per legend class.
    /// </summary>
    public sealed record SettlementsSummary(
        long Matched, long EstimatedInhabitants, IReadOnlyList<MunicipalitySummary> Municipalities, string? Theme, IReadOnlyDictionary<string, long>? Classes);

    private static readonly string[] SummaryParameters = [.. SettlementParameters.Where(p => p != "zoom"), "theme", "breaks"];

    private const int MaxBreaks = 12;

    public static async Task<Results<Ok<SettlementsSummary>, ValidationProblem, StatusCodeHttpResult>> GetSettlementsSummary(
        HttpRequest request,
        NpgsqlDataSource dataSource,
        SettlementMapDbContext db,
        [FromQuery] string? theme,
        [FromQuery] string? breaks,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var filter = await ReadSettlementFilterAsync(query, request.Query, SummaryParameters, db, cancellationToken);
        SettlementTheme? settlementTheme = null;
        if (theme is not null && !SettlementTheme.All.TryGetValue(theme, out settlementTheme))
        {
            query.AddError("theme", $"Unknown theme '{theme}'; known: {string.Join(", ", SettlementTheme.All.Keys)}.");
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
        if (LayerETags.IsNotModified(request.HttpContext, await ETagAsync(request, cancellationToken)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var municipalities = new List<MunicipalitySummary>();
        var (byMunicipality, parameters) = LayerSql.SummaryByMunicipality(filter);
        await using (var command = dataSource.CreateCommand(byMunicipality, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                municipalities.Add(new MunicipalitySummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }
        Dictionary<string, long>? classes = null;
        if (settlementTheme is not null)
        {
            classes = new Dictionary<string, long>(StringComparer.Ordinal);
            var (themeCounts, themeParameters) = LayerSql.ThemeCounts(filter, settlementTheme, breakValues);
            await using var command = dataSource.CreateCommand(themeCounts, themeParameters);
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
        NpgsqlDataSource dataSource,
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
        await CheckPlacesExistAsync(query, db, filter.Municipality, filter.District, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The layer request has invalid parameters.");
        }
        if (LayerETags.IsNotModified(request.HttpContext, await ETagAsync(request, cancellationToken)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var (sql, parameters) = LayerSql.Municipalities(filter);
        return new GeoJsonFeaturesResult(dataSource, sql, parameters);
    }

    /// <summary>
    /// The settlement filters of a request (the layer's parameters, which the export shares): every
    /// bad parameter is added to <paramref name="query"/>. The handler's [FromQuery] parameters
    /// document them in OpenAPI; the values are read here, from one place.
    /// </summary>
    public static async Task<SettlementLayerFilter> ReadSettlementFilterAsync(
        QueryParameters query, IQueryCollection values, IReadOnlyCollection<string> known, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(values);
        query.RejectUnknown(values, known);
        string? Value(string name) => values.TryGetValue(name, out var v) ? v.ToString() : null;
        var filter = new SettlementLayerFilter(
            query.Bbox("bbox", Value("bbox")),
            query.Code("municipality", Value("municipality")),
            query.Code("district", Value("district")),
            query.EnumValues<WaterSupply>("water_supply", Value("water_supply")),
            query.EnumValues<Sewerage>("sewerage", Value("sewerage")),
            query.EnumValues<Electricity>("electricity", Value("electricity")),
            query.EnumValues<LegalStatus>("legal_status", Value("legal_status")),
            query.EnumValues<YesNo>("flood_zone", Value("flood_zone")),
            query.EnumValues<YesNo>("hazard_nearby", Value("hazard_nearby")),
            query.EnumValues<YesNo>("eviction_threat", Value("eviction_threat")),
            query.WholeNumber("min_inhabitants", Value("min_inhabitants"), 0, int.MaxValue),
            query.WholeNumber("max_inhabitants", Value("max_inhabitants"), 0, int.MaxValue),
            query.WholeNumber("zoom", Value("zoom"), 0, Simplification.MaxZoom));
        if (filter.MinInhabitants > filter.MaxInhabitants)
        {
            query.AddError("min_inhabitants", "min_inhabitants is greater than max_inhabitants.");
        }
        await CheckPlacesExistAsync(query, db, filter.Municipality, filter.District, cancellationToken);
        return filter;
    }

    /// <summary>The settlement layer's own parameters, for other endpoints that take the same filters.</summary>
    public static IReadOnlyList<string> SettlementFilterParameters => SettlementParameters;

    /// <summary>An unknown municipality or district is a mistake to report, not an empty layer.</summary>
    public static async Task CheckPlacesExistAsync(QueryParameters query, SettlementMapDbContext db, string? municipality, string? district, CancellationToken cancellationToken)
    {
        if (municipality is not null && !await db.Municipalities.AnyAsync(m => m.Code == municipality, cancellationToken))
        {
            query.AddError("municipality", $"No municipality has the code '{municipality}' (codes are lower-case ASCII slugs such as 'nis' or 'novi-beograd').");
        }
        if (district is not null && !await db.Districts.AnyAsync(d => d.Code == district, cancellationToken))
        {
            query.AddError("district", $"No district has the code '{district}' (codes are GeoNames admin2 codes such as 'RS.SE.20').");
        }
    }
}
