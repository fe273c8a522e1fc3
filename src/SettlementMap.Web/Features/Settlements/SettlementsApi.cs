using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Settlements;

public static class SettlementsApi
{
    public static IEndpointRouteBuilder MapSettlementsApi(this IEndpointRouteBuilder app)
    {
        var settlements = app.MapGroup("/api/settlements").WithTags("Settlements");
        settlements.MapGet("/{id}", GetSettlement)
            .WithName(nameof(GetSettlement))
            .WithSummary("One settlement as a GeoJSON Feature with every attribute the viewer may see (a small one's displaced point in the public view)")
            .Produces<Feature>(StatusCodes.Status200OK, GeoJsonFeaturesResult.MediaType);
        return app;
    }

    public static async Task<Results<JsonHttpResult<Feature>, ValidationProblem, ProblemHttpResult>> GetSettlement(
        string id, SettlementMapDbContext db, NpgsqlDataSource dataSource, HttpContext context, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var settlementId))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["id"] = [$"id must be a positive whole number; got '{id}'."] },
                title: "The settlement id is invalid.");
        }
        var settlement = await SettlementFeature.LoadAsync(db, settlementId, cancellationToken);
        if (settlement is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Settlement not found.",
                detail: $"No settlement has id {settlementId}.", extensions: new Dictionary<string, object?> { ["parameter"] = "id" });
        }
        var shown = await DisclosurePolicies.OfAsync(context);
        var displaced = (await MapDisclosure.DisplacedPointsAsync(dataSource, shown, [settlement.Id], cancellationToken)).GetValueOrDefault(settlement.Id);
        SettlementFeature.SetETag(context.Response, settlement, shown);
        return TypedResults.Json(SettlementFeature.ToFeature(settlement, shown, displaced), GeoJson.ApiOptions, GeoJsonFeaturesResult.MediaType);
    }
}
