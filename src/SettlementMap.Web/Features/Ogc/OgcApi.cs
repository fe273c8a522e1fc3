using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// OGC API – Features under /ogc: Part 1 core with GeoJSON and HTML, Part 2 (crs, bbox-crs)
/// through ProjNet, and Part 3 filtering with a CQL2-text subset, so QGIS and GDAL read the data
/// without anyone's help.
/// </summary>
public static class OgcApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;
    private const string JsonMediaType = "application/json";

    public static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    ];

    private static readonly string[] ItemParameters = ["bbox", "bbox-crs", "crs", "limit", "offset", "filter", "filter-lang", "filter-crs", "f"];

    public static IEndpointRouteBuilder MapOgcApi(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup("/ogc").WithTags("OGC API – Features");
        ogc.MapGet("/", GetLanding).WithName(nameof(GetLanding)).WithSummary("Landing page");
        ogc.MapGet("/conformance", GetConformance).WithName(nameof(GetConformance)).WithSummary("The conformance classes this service passes");
        ogc.MapGet("/api", GetApiDefinition).WithName(nameof(GetApiDefinition)).WithSummary("The API definition (OpenAPI)");
        ogc.MapGet("/collections", GetCollections).WithName(nameof(GetCollections)).WithSummary("The collections: settlements, municipalities, coverage");
        ogc.MapGet("/collections/{collectionId}", GetCollection).WithName(nameof(GetCollection)).WithSummary("One collection with its extent and CRS list");
        ogc.MapGet("/collections/{collectionId}/queryables", GetQueryables).WithName(nameof(GetQueryables)).WithSummary("What a filter may name (JSON Schema)");
        ogc.MapGet("/collections/{collectionId}/items", GetItems).WithName(nameof(GetItems))
            .WithSummary("Features: bbox, bbox-crs, crs, limit/offset paging, property=value filters, filter (CQL2 text)");
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", GetItem).WithName(nameof(GetItem)).WithSummary("One feature");
        return app;
    }

    // ------------------------------------------------------------------ documents

    public static IResult GetLanding(HttpRequest request, string? f)
    {
        var root = Root(request);
        var links = new[]
        {
            Link(root + "/ogc?f=json", "self", JsonMediaType, "This document"),
            Link(root + "/ogc?f=html", "alternate", "text/html", "This document as HTML"),
            Link(root + "/ogc/api", "service-desc", "application/vnd.oai.openapi+json;version=3.1", "The API definition"),
            Link(root + "/ogc/conformance", "conformance", JsonMediaType, "Conformance classes"),
            Link(root + "/ogc/collections", "data", JsonMediaType, "The collections"),
        };
        var body = new Dictionary<string, object?>
        {
            ["title"] = "SettlementMap – Mapa položaja romskih naselja",
            ["description"] = "Roma settlements in Serbia with their attributes, municipalities and who covers them. Demo data: the settlements are synthetic.",
            ["links"] = links,
        };
        return Respond(request, f, body, () => Html("SettlementMap – OGC API – Features", html =>
        {
            html.Append("<p>").Append(Encode((string)body["description"]!)).Append("</p><ul>");
            html.Append("<li><a href=\"collections?f=html\">Collections</a></li><li><a href=\"conformance?f=html\">Conformance</a></li><li><a href=\"api\">API definition</a></li></ul>");
        }));
    }

    public static IResult GetConformance(HttpRequest request, string? f) =>
        // A dictionary, not an anonymous object: the API's snake_case naming must not rename OGC's members.
        Respond(request, f, new Dictionary<string, object> { ["conformsTo"] = ConformanceClasses }, () => Html("Conformance", html =>
        {
            html.Append("<ul>");
            foreach (var c in ConformanceClasses)
            {
                html.Append("<li>").Append(Encode(c)).Append("</li>");
            }
            html.Append("</ul>");
        }));

    public static RedirectHttpResult GetApiDefinition() => TypedResults.Redirect("/openapi/v1.json");

    public static async Task<IResult> GetCollections(HttpRequest request, NpgsqlDataSource dataSource, string? f, CancellationToken cancellationToken)
    {
        var root = Root(request);
        var collections = new List<Dictionary<string, object?>>();
        foreach (var collection in OgcCollections.All)
        {
            collections.Add(await DescribeAsync(root, collection, dataSource, cancellationToken));
        }
        var body = new Dictionary<string, object?>
        {
            ["links"] = new[] { Link(root + "/ogc/collections?f=json", "self", JsonMediaType, "The collections"), Link(root + "/ogc/collections?f=html", "alternate", "text/html", "As HTML") },
            ["collections"] = collections,
            ["crs"] = CrsRegistry.All.Select(c => c.Uri).ToArray(),
        };
        return Respond(request, f, body, () => Html("Collections", html =>
        {
            html.Append("<ul>");
            foreach (var c in OgcCollections.All)
            {
                html.Append("<li><a href=\"collections/").Append(c.Id).Append("?f=html\">").Append(Encode(c.Title)).Append("</a>: ").Append(Encode(c.Description)).Append("</li>");
            }
            html.Append("</ul>");
        }));
    }

    public static async Task<IResult> GetCollection(string collectionId, HttpRequest request, NpgsqlDataSource dataSource, string? f, CancellationToken cancellationToken)
    {
        if (OgcCollections.Find(collectionId) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var body = await DescribeAsync(Root(request), collection, dataSource, cancellationToken);
        return Respond(request, f, body, () => Html(collection.Title, html =>
        {
            html.Append("<p>").Append(Encode(collection.Description)).Append("</p>");
            html.Append("<p><a href=\"").Append(collection.Id).Append("/items?f=html\">Items</a> · <a href=\"").Append(collection.Id)
                .Append("/items?f=json\">Items as GeoJSON</a> · <a href=\"").Append(collection.Id).Append("/queryables\">Queryables</a></p>");
        }));
    }

    public static IResult GetQueryables(string collectionId, HttpRequest request)
    {
        if (OgcCollections.Find(collectionId) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var properties = collection.Queryables.Values.ToDictionary(q => q.Name, q => (object)(q.Type switch
        {
            Cql2Type.Integer => new { type = "integer" },
            Cql2Type.Number => new { type = "number" },
            Cql2Type.Boolean => new { type = "boolean" },
            Cql2Type.Date => new { type = "string", format = "date" },
            Cql2Type.Geometry => new { format = "geometry-any" },
            _ => (object)new { type = "string" },
        }));
        return TypedResults.Json(new Dictionary<string, object?>
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"{Root(request)}/ogc/collections/{collection.Id}/queryables",
            ["type"] = "object",
            ["title"] = collection.Title,
            ["properties"] = properties,
        }, contentType: "application/schema+json");
    }

    private static async Task<Dictionary<string, object?>> DescribeAsync(string root, OgcCollectionInfo collection, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // The extent, from the table itself (ST_Extent of a fixed column: no request value is involved).
        await using var command = dataSource.CreateCommand($"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent({collection.GeometryColumn}) AS e FROM {collection.From}) x");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        double[]? bbox = null;
        if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0))
        {
            bbox = [Math.Round(reader.GetDouble(0), 6), Math.Round(reader.GetDouble(1), 6), Math.Round(reader.GetDouble(2), 6), Math.Round(reader.GetDouble(3), 6)];
        }
        var items = $"{root}/ogc/collections/{collection.Id}/items";
        return new Dictionary<string, object?>
        {
            ["id"] = collection.Id,
            ["title"] = collection.Title,
            ["description"] = collection.Description,
            ["itemType"] = "feature",
            ["extent"] = new { spatial = new { bbox = bbox is null ? Array.Empty<double[]>() : [bbox], crs = CrsRegistry.Crs84Uri } },
            ["crs"] = CrsRegistry.All.Select(c => c.Uri).ToArray(),
            ["storageCrs"] = CrsRegistry.Crs84Uri,
            ["links"] = new[]
            {
                Link($"{root}/ogc/collections/{collection.Id}", "self", JsonMediaType, collection.Title),
                Link(items + "?f=json", "items", GeoJsonFeaturesResult.MediaType, "Items as GeoJSON"),
                Link(items + "?f=html", "items", "text/html", "Items as HTML"),
                Link($"{root}/ogc/collections/{collection.Id}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables"),
            },
        };
    }

    // ------------------------------------------------------------------ items

    public static async Task<IResult> GetItems(string collectionId, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (OgcCollections.Find(collectionId) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var request = context.Request;
        var query = new QueryParameters();
        var filterNames = collection.Queryables.Values.Where(q => q.Type != Cql2Type.Geometry).Select(q => q.Name);
        query.RejectUnknown(request.Query, [.. ItemParameters, .. filterNames]);
        var f = request.Query["f"].ToString();
        var crs = ParseCrs(query, "crs", request.Query["crs"]);
        var bboxCrs = ParseCrs(query, "bbox-crs", request.Query["bbox-crs"]);
        var limit = query.WholeNumber("limit", NullIfEmpty(request.Query["limit"]), 1, MaxLimit) ?? DefaultLimit;
        var offset = query.WholeNumber("offset", NullIfEmpty(request.Query["offset"]), 0, int.MaxValue) ?? 0;
        var bbox = ParseBbox(query, NullIfEmpty(request.Query["bbox"]), bboxCrs);
        if (NullIfEmpty(request.Query["filter-lang"]) is { } language && language != "cql2-text")
        {
            query.AddError("filter-lang", $"Only cql2-text is supported; got '{language}'.");
        }
        if (NullIfEmpty(request.Query["filter-crs"]) is { } filterCrs && !(CrsRegistry.TryParse(filterCrs, out var fc) && fc!.Epsg is null))
        {
            query.AddError("filter-crs", $"Filters take CRS84 coordinates ({CrsRegistry.Crs84Uri}); got '{filterCrs}'.");
        }
        Cql2Translation? translation = null;
        if (NullIfEmpty(request.Query["filter"]) is { } filter
            && !Cql2Text.TryTranslate(filter, collection.Queryables, "f", out translation, out var error, out var position))
        {
            // The message already says where ("at character N: …", counted from 0 like the position).
            query.AddError("filter", error!);
        }
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The items request has invalid parameters.");
        }

        List<NpgsqlParameter> Where(List<string> where)
        {
            var parameters = new List<NpgsqlParameter>();
            if (bbox is { } b)
            {
                where.Add($"ST_Intersects({collection.GeometryColumn}, ST_MakeEnvelope(@bbox_min_x, @bbox_min_y, @bbox_max_x, @bbox_max_y, 4326))");
                parameters.Add(new NpgsqlParameter<double>("bbox_min_x", b.MinX));
                parameters.Add(new NpgsqlParameter<double>("bbox_min_y", b.MinY));
                parameters.Add(new NpgsqlParameter<double>("bbox_max_x", b.MaxX));
                parameters.Add(new NpgsqlParameter<double>("bbox_max_y", b.MaxY));
            }
            var index = 0;
            foreach (var (name, values) in request.Query)
            {
                if (!collection.Queryables.TryGetValue(name, out var queryable) || queryable.Type == Cql2Type.Geometry)
                {
                    continue;
                }
                var parameterName = "p" + index++.ToString(CultureInfo.InvariantCulture);
                where.Add($"{queryable.SqlExpression} = @{parameterName}");
                parameters.Add(PropertyParameter(parameterName, queryable, values.ToString()));
            }
            if (translation is not null)
            {
                where.Add(translation.Sql);
                parameters.AddRange(translation.Parameters.Select(p => p.Clone()));
            }
            return parameters;
        }

        foreach (var (name, values) in request.Query)
        {
            if (collection.Queryables.TryGetValue(name, out var queryable) && queryable.Type != Cql2Type.Geometry && !TryPropertyValue(queryable, values.ToString(), out _))
            {
                query.AddError(name, $"{name} must be {Describe(queryable.Type)}; got '{values}'.");
            }
        }
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The items request has invalid parameters.");
        }

        var countWhere = new List<string>();
        var countParameters = Where(countWhere);
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {collection.From}{WhereClause(countWhere)}", countParameters);
        var matched = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        var pageWhere = new List<string>();
        var pageParameters = Where(pageWhere);
        pageParameters.Add(new NpgsqlParameter<int>("limit", limit));
        pageParameters.Add(new NpgsqlParameter<int>("offset", offset));
        var sql = $"""
            SELECT {collection.IdColumn}, ST_ForcePolygonCCW({collection.GeometryColumn}), {collection.Properties}
            FROM {collection.From}{WhereClause(pageWhere)}
            ORDER BY {collection.IdColumn}
            LIMIT @limit OFFSET @offset
            """;
        var page = new OgcPage(collection, crs ?? CrsRegistry.Crs84, matched, limit, offset, Root(request), request.Query);
        return WantsHtml(request, f)
            ? new OgcItemsHtmlResult(dataSource, sql, pageParameters, page)
            : new OgcItemsResult(dataSource, sql, pageParameters, page);
    }

    public static async Task<IResult> GetItem(string collectionId, string featureId, HttpRequest request, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (OgcCollections.Find(collectionId) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, ["crs", "f"]);
        var crs = ParseCrs(query, "crs", request.Query["crs"]);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The item request has invalid parameters.");
        }
        if (!long.TryParse(featureId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return NoFeature(collection, featureId);
        }
        await using var command = dataSource.CreateCommand($"""
            SELECT {collection.IdColumn}, ST_ForcePolygonCCW({collection.GeometryColumn}), {collection.Properties}
            FROM {collection.From} WHERE {collection.IdColumn} = @id
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return NoFeature(collection, featureId);
        }
        var target = crs ?? CrsRegistry.Crs84;
        var geometry = CrsRegistry.FromCrs84(reader.GetFieldValue<Geometry>(1), target);
        var properties = reader.GetString(2);
        var root = Root(request);
        var self = $"{root}/ogc/collections/{collection.Id}/items/{id.ToString(CultureInfo.InvariantCulture)}";
        if (WantsHtml(request, request.Query["f"].ToString()))
        {
            return Html($"{collection.Title} {id}", html => OgcItemsHtmlResult.AppendProperties(html, properties));
        }
        var json = new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["id"] = id,
            ["geometry"] = JsonSerializer.SerializeToElement(geometry, GeoJson.ApiOptions),
            ["properties"] = JsonDocument.Parse(properties).RootElement.Clone(),
            ["links"] = new[] { Link(self, "self", GeoJsonFeaturesResult.MediaType, "This feature"), Link($"{root}/ogc/collections/{collection.Id}", "collection", JsonMediaType, collection.Title) },
        };
        request.HttpContext.Response.Headers["Content-Crs"] = $"<{target.Uri}>";
        return TypedResults.Json(json, contentType: GeoJsonFeaturesResult.MediaType);
    }

    // ------------------------------------------------------------------ helpers

    internal static string Root(HttpRequest request) => PublicUrls.Root(request);

    internal static object Link(string href, string rel, string type, string title) => new { href, rel, type, title };

    // Every script passes as itself (Cyrillic stays readable); markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    internal static string Encode(string text) => Encoder.Encode(text);

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 0 ? null : values.ToString();

    private static string WhereClause(List<string> where) => where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);

    internal static bool WantsHtml(HttpRequest request, string? f)
    {
        if (f == "html")
        {
            return true;
        }
        if (!string.IsNullOrEmpty(f))
        {
            return false;
        }
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) && !accept.Contains("json", StringComparison.OrdinalIgnoreCase);
    }

    private static IResult Respond(HttpRequest request, string? f, object body, Func<IResult> html)
    {
        if (f is not (null or "" or "json" or "html"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["f"] = [$"f must be json or html; got '{f}'."] });
        }
        return WantsHtml(request, f) ? html() : TypedResults.Json(body, contentType: JsonMediaType);
    }

    internal static ContentHttpResult Html(string title, Action<StringBuilder> body)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title))
            .Append("</title><style>body{font:14px system-ui,sans-serif;margin:16px;color:#1d2733}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}</style></head><body><h1>")
            .Append(Encode(title)).Append("</h1>");
        body(html);
        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static SupportedCrs? ParseCrs(QueryParameters query, string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        var text = NullIfEmpty(values);
        if (text is null)
        {
            return null;
        }
        if (CrsRegistry.TryParse(text, out var crs))
        {
            return crs;
        }
        query.AddError(name, $"Unsupported {name} '{text}'; supported: {string.Join(", ", CrsRegistry.All.Select(c => c.Uri))}.");
        return null;
    }

    /// <summary>A bbox in bbox-crs (axis order of that CRS) as a lon/lat envelope: all four corners are transformed.</summary>
    private static Envelope? ParseBbox(QueryParameters query, string? text, SupportedCrs? crs)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split(',');
        var numbers = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : (double?)null).ToList();
        if (parts.Length != 4 || numbers.Any(n => n is null))
        {
            query.AddError("bbox", $"bbox is four numbers: lower-left and upper-right corner in the axis order of bbox-crs (CRS84: minLon,minLat,maxLon,maxLat); got '{text}'.");
            return null;
        }
        var source = crs ?? CrsRegistry.Crs84;
        if (numbers[0] > numbers[2] || numbers[1] > numbers[3])
        {
            query.AddError("bbox", "The lower corner of bbox must not be above or right of the upper corner.");
            return null;
        }
        var corners = new[] { (numbers[0]!.Value, numbers[1]!.Value), (numbers[0]!.Value, numbers[3]!.Value), (numbers[2]!.Value, numbers[1]!.Value), (numbers[2]!.Value, numbers[3]!.Value) }
            .Select(c => CrsRegistry.ToCrs84(c.Item1, c.Item2, source)).ToList();
        var envelope = new Envelope();
        foreach (var (lon, lat) in corners)
        {
            envelope.ExpandToInclude(lon, lat);
        }
        return envelope;
    }

    private static string Describe(Cql2Type type) => type switch
    {
        Cql2Type.Integer => "a whole number",
        Cql2Type.Number => "a number",
        Cql2Type.Date => "a date (yyyy-MM-dd)",
        Cql2Type.Boolean => "true or false",
        _ => "text",
    };

    private static bool TryPropertyValue(Cql2Queryable queryable, string text, out object? value)
    {
        value = null;
        switch (queryable.Type)
        {
            case Cql2Type.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i):
                value = i;
                return true;
            case Cql2Type.Number when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                value = d;
                return true;
            case Cql2Type.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                value = day;
                return true;
            case Cql2Type.Boolean when bool.TryParse(text, out var b):
                value = b;
                return true;
            case Cql2Type.Text:
                value = text;
                return true;
            default:
                return false;
        }
    }

    private static NpgsqlParameter PropertyParameter(string name, Cql2Queryable queryable, string text)
    {
        TryPropertyValue(queryable, text, out var value);
        return queryable.Type switch
        {
            Cql2Type.Integer => new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value },
            Cql2Type.Number => new NpgsqlParameter(name, NpgsqlDbType.Numeric) { Value = value },
            Cql2Type.Date => new NpgsqlParameter(name, NpgsqlDbType.Date) { Value = value },
            Cql2Type.Boolean => new NpgsqlParameter(name, NpgsqlDbType.Boolean) { Value = value },
            _ => new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value },
        };
    }

    private static ProblemHttpResult UnknownCollection(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such collection.",
            detail: $"'{id}' is not a collection; there are: {string.Join(", ", OgcCollections.All.Select(c => c.Id))}.");

    private static ProblemHttpResult NoFeature(OgcCollectionInfo collection, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such feature.", detail: $"{collection.Id} has no feature '{id}'.");
}
