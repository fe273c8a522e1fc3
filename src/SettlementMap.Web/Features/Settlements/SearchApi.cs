using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Settlements;

public sealed record SearchResult(string Kind, long Id, string Code, string NameLatn, string NameCyrl, string? MunicipalityNameLatn, string? MunicipalityNameCyrl, double[] Bbox);

public sealed record SearchResponse(string Query, IReadOnlyList<SearchResult> Results);

public static class SearchApi
{
    public const int MaxQueryLength = 100;
    public const int MaxLimit = 50;
    private static readonly string[] Parameters = ["q", "limit"];

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", Search)
            .WithTags("Settlements")
            .WithName(nameof(Search))
            .WithSummary("Settlements and municipalities by name, in Latin or Cyrillic, ignoring case and diacritics")
            .WithDescription("\"Крагујевац\", \"Kragujevac\" and \"kragujevac\" find the same; \"Cukarica\" finds \"Čukarica\". " +
                "Municipalities come first, then names that start with the query, then the rest alphabetically. Each result has a bbox to zoom to.");
        return app;
    }

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem>> Search(
        HttpRequest request, SettlementMapDbContext db, NpgsqlDataSource dataSource, [FromQuery] string? q, [FromQuery] string? limit, CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, Parameters);
        var key = q is null ? "" : SerbianScript.SearchKey(q.Trim());
        if (key.Length == 0)
        {
            query.AddError("q", "Give a name (or part of one) to search for.");
        }
        else if (key.Length > MaxQueryLength)
        {
            query.AddError("q", $"The search text is longer than {MaxQueryLength} characters.");
        }
        var take = query.WholeNumber("limit", limit, 1, MaxLimit) ?? 10;
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The search request has invalid parameters.");
        }

        var municipalities = await SearchQueries.Municipalities(db, key, take).ToListAsync(cancellationToken);
        var settlements = await SearchQueries.Settlements(db, key, take).ToListAsync(cancellationToken);

        // Names are never restricted; where the public view generalises a settlement, its place is the displaced point's.
        var points = await MapDisclosure.DisplacedPointsAsync(dataSource, await DisclosurePolicies.OfAsync(request.HttpContext), [.. settlements.Select(s => s.Id)], cancellationToken);
        var results = municipalities
            .Select(m => new SearchResult("municipality", m.Id, m.Code, m.NameLatn, m.NameCyrl, null, null, Bbox(m.Envelope)))
            .Concat(settlements.Select(s => new SearchResult("settlement", s.Id, s.Code, s.NameLatn, s.NameCyrl, s.MunicipalityLatn, s.MunicipalityCyrl,
                Bbox(points.GetValueOrDefault(s.Id) ?? s.Envelope))))
            .Take(take)
            .ToList();
        return TypedResults.Ok(new SearchResponse(q!, results));
    }

    private static double[] Bbox(Geometry envelope)
    {
        var e = envelope.EnvelopeInternal;
        return [Math.Round(e.MinX, 6), Math.Round(e.MinY, 6), Math.Round(e.MaxX, 6), Math.Round(e.MaxY, 6)];
    }
}
