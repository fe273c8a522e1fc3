using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Tiles;

/// <summary>Settlements as Mapbox Vector Tiles for the map at scale, cached by ETag like the layers.</summary>
public static class TilesApi
{
    public const string MediaType = "application/vnd.mapbox-vector-tile";
    public const int MaxZoom = 22;

    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tiles/settlements/{z}/{x}/{y}.mvt", GetSettlementTile).WithTags("Tiles").WithName(nameof(GetSettlementTile))
            .CacheLayerResponse(ETagAsync)
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Settlements in one Web Mercator tile (MVT), with the settlement layer's filters; points below zoom 12, outlines from 12")
            .Produces(StatusCodes.Status200OK, contentType: MediaType);
        return app;
    }

    /// <summary>
    /// A tile's ETag: the layer tables' versions, except that settlements count only the edits whose
    /// area reaches the tile (settlement_edit_areas), so an edit elsewhere leaves it cached. The same
    /// for the response cache (before the handler) and the handler; route values out of range give
    /// the layer's own version (the handler answers 400 anyway).
    /// </summary>
    public static async Task<string> ETagAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        int? Route(string name) =>
            int.TryParse(request.RouteValues[name] as string, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value : null;
        TileArea? area = (Route("z"), Route("x"), Route("y")) is ({ } z, { } x, { } y) && z <= MaxZoom && x < (1L << z) && y < (1L << z)
            ? TileArea.ForTile(z, x, y)
            : null;
        // In the public view a generalised settlement is drawn up to the radius from its outline: an edit there reaches the tile too.
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        if (area is { } reached && shown.Generalises)
        {
            var reach = MapDisclosure.ReachMercatorUnits(shown);
            area = new TileArea(reached.MinX - reach, reached.MinY - reach, reached.MaxX + reach, reached.MaxY + reach);
        }
        return await LayerETags.ETagAsync(request, LayerETags.SettlementTables(request), cancellationToken, tile: area);
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, StatusCodeHttpResult>> GetSettlementTile(
        string z, string x, string y, [AsParameters] SettlementFilterQuery filters, HttpRequest request, ReadRoute route, SettlementMapDbContext db,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var zoom = query.WholeNumber("z", z, 0, MaxZoom);
        var column = zoom is { } zz ? query.WholeNumber("x", x, 0, (1 << zz) - 1) : null;
        var row = zoom is { } zr ? query.WholeNumber("y", y, 0, (1 << zr) - 1) : null;
        var filter = await filters.ReadAsync(query, request, db, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The tile request is invalid.");
        }
        if (LayerETags.IsNotModified(request.HttpContext, await ETagAsync(request, cancellationToken)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var (sql, parameters) = TileSql.Settlements(zoom!.Value, column!.Value, row!.Value, filter);
        await using var command = route.DataSource.CreateCommand(sql, parameters);
        var tile = (byte[]?)await command.ExecuteScalarAsync(cancellationToken) ?? [];
        return TypedResults.File(tile, MediaType);
    }
}
