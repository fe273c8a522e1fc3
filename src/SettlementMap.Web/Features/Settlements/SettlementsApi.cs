using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using SettlementMap.Web.Data;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Settlements;

public static class SettlementsApi
{
    public static IEndpointRouteBuilder MapSettlementsApi(this IEndpointRouteBuilder app)
    {
        var settlements = app.MapGroup("/api/settlements").WithTags("Settlements");
        settlements.MapGet("/{id}", GetSettlement)
            .WithName(nameof(GetSettlement))
            .WithSummary("One settlement as a GeoJSON Feature with every attribute")
            .Produces<Feature>(StatusCodes.Status200OK, GeoJsonFeaturesResult.MediaType);
        return app;
    }

    public static async Task<Results<JsonHttpResult<Feature>, ValidationProblem, ProblemHttpResult>> GetSettlement(
        string id, SettlementMapDbContext db, HttpResponse response, CancellationToken cancellationToken)
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
        SettlementFeature.SetETag(response, settlement);
        return TypedResults.Json(SettlementFeature.ToFeature(settlement), GeoJson.ApiOptions, GeoJsonFeaturesResult.MediaType);
    }
}
