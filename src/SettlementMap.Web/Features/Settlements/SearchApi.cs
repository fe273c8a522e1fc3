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

public sealed record SearchResult(string Kind, long Id, string Code, string NameLatn, string NameCyrl, string? MunicipalityNameLatn, string? MunicipalityNameCyrl, double[] Bbox,
    bool OwnMunicipality);

/// <summary>
/// One page of the matches: <paramref name="Total"/> in all, <paramref name="NextOffset"/> null on the last page;
/// <paramref name="Within"/> the municipalities or districts the query named (empty: none).
/// </summary>
public sealed record SearchResponse(string Query, IReadOnlyList<SearchResult> Results, int Total, int Offset, int? NextOffset,
    IReadOnlyList<SearchPlace> Within);

public static class SearchApi
{
    public const int MaxQueryLength = 100;
    public const int MaxLimit = 50;
    /// <summary>How far the pages go (well past the demo's 586 settlements, still a cheap OFFSET at scale).</summary>
    public const int MaxOffset = 10_000;
    private static readonly string[] Parameters = ["q", "limit", "offset"];

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", Search)
            .WithTags("Settlements")
            .WithName(nameof(Search))
            .WithSummary("Settlements and municipalities by name, in Latin or Cyrillic, ignoring case and diacritics, a page at a time")
            .WithDescription("\"Крагујевац\", \"Kragujevac\" and \"kragujevac\" find the same; \"Cukarica\" finds \"Čukarica\". " +
                "Words at the start or end that name a municipality or district narrow the rest to it: \"stanica nis\", \"станица ниш\". " +
                SearchQueries.Order + " Each result has a bbox to zoom to; total counts every match, next_offset asks for the next page.");
        return app;
    }

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem>> Search(
        HttpRequest request, SettlementMapDbContext db, NpgsqlDataSource dataSource, [FromQuery] string? q, [FromQuery] string? limit, [FromQuery] string? offset,
        CancellationToken cancellationToken)
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
        var skip = query.WholeNumber("offset", offset, 0, MaxOffset) ?? 0;
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The search request has invalid parameters.");
        }

        var terms = await SearchQueries.TermsAsync(db, key, cancellationToken);
        var viewer = await Viewer.OfAsync(request.HttpContext);
        var matches = SearchQueries.Matches(db, terms, [.. viewer.OwnMunicipalities]);
        var total = await matches.CountAsync(cancellationToken);
        var rows = await matches.Skip(skip).Take(take).ToListAsync(cancellationToken);

        // Names are never restricted; where the public view generalises a settlement, its place is the displaced point's.
        var settlementIds = rows.Where(r => r.Kind == 1).Select(r => r.Id).ToArray();
        var points = await MapDisclosure.DisplacedPointsAsync(dataSource, await DisclosurePolicies.OfAsync(request.HttpContext), settlementIds, cancellationToken);
        var results = rows.Select(r => r.Kind == 0
                ? new SearchResult("municipality", r.Id, r.Code, r.NameLatn, r.NameCyrl, null, null, Bbox(r.Envelope), r.Own == 0)
                : new SearchResult("settlement", r.Id, r.Code, r.NameLatn, r.NameCyrl, r.MunicipalityLatn, r.MunicipalityCyrl,
                    Bbox(points.GetValueOrDefault(r.Id) ?? r.Envelope), r.Own == 0))
            .ToList();
        int? next = skip + results.Count < total && skip + results.Count <= MaxOffset ? skip + results.Count : null;
        return TypedResults.Ok(new SearchResponse(q!, results, total, skip, next, terms.Places));
    }

    private static double[] Bbox(Geometry envelope)
    {
        var e = envelope.EnvelopeInternal;
        return [Math.Round(e.MinX, 6), Math.Round(e.MinY, 6), Math.Round(e.MaxX, 6), Math.Round(e.MaxY, 6)];
    }
}
