using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// OGC API – Features under /ogc: Part 1 core with GeoJSON and HTML, Part 2 (crs, bbox-crs)
/// through ProjNet, and Part 3 filtering with a CQL2-text subset, so QGIS and GDAL read the data
/// without anyone's help.
/// </summary>
public static class OgcApi
{
    private const string JsonMediaType = "application/json";

    public static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    ];

    // Documents whose member names are OGC's or OpenAPI's ("conformsTo", "additionalProperties"): written as declared, not snake_cased.
    private static readonly JsonSerializerOptions AsDeclared = new(JsonSerializerDefaults.General) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapOgcApi(this IEndpointRouteBuilder app)
    {
        // Items, queryables and the API definition follow the viewer (Features/Sensitivity): a signed-in one's are private.
        var ogc = app.MapGroup("/ogc").WithTags("OGC API – Features").PrivateWhenRestricted();
        var document = OpenApiText(OgcParameters.Document);
        ogc.MapGet("/", GetLanding).WithName(nameof(GetLanding)).WithSummary("Landing page").DescribesQuery(document);
        ogc.MapGet("/conformance", GetConformance).WithName(nameof(GetConformance)).WithSummary("The conformance classes this service passes").DescribesQuery(document);
        ogc.MapGet("/api", GetApiDefinition).WithName(nameof(GetApiDefinition)).WithSummary("The API definition (OpenAPI 3.0; f=html for a page)").DescribesQuery(document);
        ogc.MapGet("/collections", GetCollections).WithName(nameof(GetCollections)).WithSummary("The collections: settlements, municipalities, coverage").DescribesQuery(document);
        ogc.MapGet("/collections/{collectionId}", GetCollection).WithName(nameof(GetCollection)).WithSummary("One collection with its extent and CRS list").DescribesQuery(document);
        ogc.MapGet("/collections/{collectionId}/queryables", GetQueryables).WithName(nameof(GetQueryables)).WithSummary("What a filter may name (JSON Schema)").DescribesQuery(document);
        ogc.MapGet("/collections/{collectionId}/schema", GetFeatureSchema).WithName(nameof(GetFeatureSchema)).WithSummary("The items' feature schema (JSON Schema; settlements)").DescribesQuery(document);
        ogc.MapGet("/collections/{collectionId}/items", GetItems).WithName(nameof(GetItems))
            .WithSummary("Features: bbox, bbox-crs, crs, datetime, limit and cursor (or offset) paging, property=value filters, filter (CQL2 text)")
            .DescribesQuery(ItemsOpenApiText());
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", GetItem).WithName(nameof(GetItem)).WithSummary("One feature").DescribesQuery(OpenApiText(OgcParameters.Item));
        return app;
    }

    /// <summary>The parameters as /openapi/v1.json states them (the OGC API's own document, /ogc/api, states them per collection).</summary>
    private static List<QueryParameterText> OpenApiText(IEnumerable<OgcParameter> parameters) =>
        [.. parameters.Select(p => new QueryParameterText(p.Name, p.Description, p.Schema.GetValueOrDefault("type") as string ?? "string"))];

    /// <summary>
    /// The items' parameters; a property=value filter once for every collection that has the queryable. This
    /// document is made once, for anyone, and states every parameter the endpoint can read (an administrator's
    /// view; the export's document names every filter likewise); /ogc/api states each viewer's own.
    /// </summary>
    private static List<QueryParameterText> ItemsOpenApiText() =>
    [
        .. OpenApiText(OgcParameters.Items(OgcCollections.Settlements).Where(p => p.Property is null)),
        .. OgcCollections.All.SelectMany(c => OgcParameters.Items(c).Where(p => p.Property is not null).Select(p => (Collection: c.Id, Parameter: p)))
            .GroupBy(x => x.Parameter.Name, StringComparer.Ordinal)
            .Select(g => new QueryParameterText(g.Key,
                $"Only features whose {g.Key} equals this value ({string.Join(", ", g.Select(x => x.Collection))}).",
                g.First().Parameter.Schema.GetValueOrDefault("type") as string ?? "string")),
    ];

    // ------------------------------------------------------------------ documents

    public static IResult GetLanding(HttpRequest request)
    {
        var root = Root(request);
        var links = new[]
        {
            Link(root + "/ogc?f=json", "self", JsonMediaType, "This document"),
            Link(root + "/ogc?f=html", "alternate", "text/html", "This document as HTML"),
            // The API definition itself, no redirect: QGIS 3.22 cannot follow a relative Location.
            Link(root + "/ogc/api", "service-desc", OgcOpenApi.MediaType, "The API definition (OpenAPI 3.0)"),
            Link(root + "/ogc/api?f=html", "service-doc", "text/html", "The API definition as a page"),
            Link(root + "/ogc/conformance", "conformance", JsonMediaType, "Conformance classes"),
            Link(root + "/ogc/collections", "data", JsonMediaType, "The collections"),
        };
        var body = new Dictionary<string, object?>
        {
            ["title"] = "SettlementMap – Mapa položaja romskih naselja",
            ["description"] = "Roma settlements in Serbia with their attributes, municipalities and who covers them. Demo data: the settlements are synthetic.",
            ["links"] = links,
        };
        return Respond(request, body, () => Html(root, "SettlementMap – OGC API – Features", html =>
        {
            html.Append("<p>").Append(Encode((string)body["description"]!)).Append("</p><ul>");
            html.Append("<li><a href=\"collections?f=html\">Collections</a></li><li><a href=\"conformance?f=html\">Conformance</a></li>")
                .Append("<li><a href=\"api?f=html\">API definition</a> (<a href=\"api\">OpenAPI 3.0</a>)</li></ul>");
        }));
    }

    public static IResult GetConformance(HttpRequest request) =>
        Respond(request, new Dictionary<string, object> { ["conformsTo"] = ConformanceClasses }, () => Html(Root(request), "Conformance", html =>
        {
            html.Append("<ul>");
            foreach (var c in ConformanceClasses)
            {
                html.Append("<li>").Append(Encode(c)).Append("</li>");
            }
            html.Append("</ul>");
        }));

    /// <summary>The API definition, served here with its own media type (Part 1, /req/oas30/oas-definition-1).</summary>
    public static async Task<IResult> GetApiDefinition(HttpRequest request)
    {
        var root = Root(request);
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        return Respond(request, null, () => Html(root, "API definition", html => OgcOpenApi.WriteHtml(html, root, shown)),
            () => TypedResults.Json(OgcOpenApi.Document(root, shown), AsDeclared, OgcOpenApi.MediaType));
    }

    public static async Task<IResult> GetCollections(HttpRequest request, ReadRoute route, CancellationToken cancellationToken)
    {
        var root = Root(request);
        var collections = new List<Dictionary<string, object?>>();
        foreach (var collection in OgcCollections.AllFor(await DisclosurePolicies.OfAsync(request.HttpContext)))
        {
            collections.Add(await DescribeAsync(root, collection, route.DataSource, cancellationToken));
        }
        var body = new Dictionary<string, object?>
        {
            ["links"] = new[] { Link(root + "/ogc/collections?f=json", "self", JsonMediaType, "The collections"), Link(root + "/ogc/collections?f=html", "alternate", "text/html", "As HTML") },
            ["collections"] = collections,
            ["crs"] = CrsRegistry.All.Select(c => c.Uri).ToArray(),
        };
        return Respond(request, body, () => Html(root, "Collections", html =>
        {
            html.Append("<ul>");
            foreach (var c in OgcCollections.All)
            {
                html.Append("<li><a href=\"collections/").Append(c.Id).Append("?f=html\">").Append(Encode(c.Title)).Append("</a>: ").Append(Encode(c.Description)).Append("</li>");
            }
            html.Append("</ul>");
        }));
    }

    public static async Task<IResult> GetCollection(string collectionId, HttpRequest request, ReadRoute route, CancellationToken cancellationToken)
    {
        if (OgcCollections.Find(collectionId, await DisclosurePolicies.OfAsync(request.HttpContext)) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var root = Root(request);
        var body = await DescribeAsync(root, collection, route.DataSource, cancellationToken);
        return Respond(request, body, () => Html(root, collection.Title, html =>
        {
            html.Append("<p>").Append(Encode(collection.Description)).Append("</p>");
            html.Append("<p><a href=\"").Append(collection.Id).Append("/items?f=html\">Items</a> · <a href=\"").Append(collection.Id)
                .Append("/items?f=json\">Items as GeoJSON</a> · <a href=\"").Append(collection.Id).Append("/queryables?f=html\">Queryables</a></p>");
        }));
    }

    /// <summary>
    /// The queryables (Part 3) as JSON Schema 2019-09; a coded value's meaning is given in the
    /// page's three languages: enum lists the values, oneOf gives each a title (English) and
    /// x-labels (en, sr-Latn, sr-Cyrl), so QGIS, GDAL and people see the same words as the map.
    /// </summary>
    public static async Task<IResult> GetQueryables(string collectionId, HttpRequest request, ProjectPaths paths)
    {
        if (OgcCollections.Find(collectionId, await DisclosurePolicies.OfAsync(request.HttpContext)) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var labels = PageLabels.For(paths);
        var properties = collection.Queryables.Values.ToDictionary(q => q.Name, q =>
        {
            var codes = collection.CodeLists.GetValueOrDefault(q.Name);
            var schema = OgcParameters.TypeSchema(q, codes);
            if (collection.TextOf(labels, q.Name) is { } text)
            {
                schema["title"] = text.Title.En;
                schema["x-labels"] = text.Title.ToJson();
                if (text.Description is { } description)
                {
                    schema["description"] = description.En;
                    schema["x-descriptions"] = description.ToJson();
                }
            }
            if (codes is not null)
            {
                schema["oneOf"] = codes.Values.Select(v => codes.LabelOf(labels, v) is { } label
                    ? new Dictionary<string, object?> { ["const"] = v, ["title"] = label.En, ["x-labels"] = label.ToJson() }
                    : new Dictionary<string, object?> { ["const"] = v }).ToList();
            }
            return schema;
        });
        var root = Root(request);
        var body = new Dictionary<string, object?>
        {
            ["$schema"] = "https://json-schema.org/draft/2019-09/schema",
            ["$id"] = $"{root}/ogc/collections/{collection.Id}/queryables",
            ["type"] = "object",
            ["title"] = collection.Title,
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        if (collection.TakesUnplanned)
        {
            // Not a property (no CQL2 filter names it) but the items' own parameter: said here too, where a client looks for what filters.
            body["x-parameters"] = new Dictionary<string, object?>
            {
                [OgcParameters.Unplanned.Name] = new Dictionary<string, object?>(OgcParameters.Unplanned.Schema) { ["description"] = OgcParameters.Unplanned.Description },
            };
        }
        return Respond(request, null, () => Html(root, $"{collection.Title}: queryables", html =>
        {
            html.Append("<p>What <code>filter</code> (CQL2 text) and property=value parameters of <a href=\"items?f=html\">items</a> may name. As <a href=\"queryables?f=json\">JSON Schema</a>.</p>");
            html.Append("<table><tr><th>name</th><th>meaning</th><th>type</th><th>values (en · sr-Latn · sr-Cyrl)</th></tr>");
            foreach (var (name, schema) in properties)
            {
                html.Append("<tr><td>").Append(Encode(name)).Append("</td><td>")
                    .Append(Encode(string.Join(": ", new[] { schema.GetValueOrDefault("title"), schema.GetValueOrDefault("description") }.OfType<string>()))).Append("</td><td>")
                    .Append(Encode(schema.GetValueOrDefault("type") as string ?? "geometry")).Append(schema.GetValueOrDefault("format") is string format ? " (" + Encode(format) + ")" : "").Append("</td><td>");
                if (collection.CodeLists.GetValueOrDefault(name) is { } codes)
                {
                    html.Append("<ul>");
                    foreach (var value in codes.Values)
                    {
                        html.Append("<li><code>").Append(Encode(value)).Append("</code>");
                        if (codes.LabelOf(labels, value) is { } label)
                        {
                            html.Append(": ").Append(Encode(label.En)).Append(" · ").Append(Encode(label.Latn)).Append(" · ").Append(Encode(label.Cyrl));
                        }
                        html.Append("</li>");
                    }
                    html.Append("</ul>");
                }
                html.Append("</td></tr>");
            }
            html.Append("</table>");
        }), () => TypedResults.Json(body, AsDeclared, "application/schema+json"));
    }


    private static async Task<Dictionary<string, object?>> DescribeAsync(string root, OgcCollectionInfo collection, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // The extents, from the table itself (aggregates of fixed columns: no request value is involved).
        await using var command = dataSource.CreateCommand(OgcSql.Extent(collection));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        double[]? bbox = null;
        string?[] interval = [null, null];
        if (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0))
            {
                bbox = [Math.Round(reader.GetDouble(0), 6), Math.Round(reader.GetDouble(1), 6), Math.Round(reader.GetDouble(2), 6), Math.Round(reader.GetDouble(3), 6)];
            }
            // RFC 3339 instants: the first day's start and the last day's end; null is open (Part 1's extent.temporal).
            interval[0] = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";
            interval[1] = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T23:59:59Z";
        }
        var items = $"{root}/ogc/collections/{collection.Id}/items";
        return new Dictionary<string, object?>
        {
            ["id"] = collection.Id,
            ["title"] = collection.Title,
            ["description"] = collection.Description,
            ["itemType"] = "feature",
            ["extent"] = new Dictionary<string, object?>
            {
                ["spatial"] = new { bbox = bbox is null ? Array.Empty<double[]>() : [bbox], crs = CrsRegistry.Crs84Uri },
                ["temporal"] = new { interval = new[] { interval }, trs = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian" },
            },
            ["crs"] = CrsRegistry.All.Select(c => c.Uri).ToArray(),
            ["storageCrs"] = CrsRegistry.Crs84Uri,
            ["links"] = (object[])
            [
                Link($"{root}/ogc/collections/{collection.Id}", "self", JsonMediaType, collection.Title),
                Link(items + "?f=json", "items", GeoJsonFeaturesResult.MediaType, "Items as GeoJSON"),
                Link(items + "?f=html", "items", "text/html", "Items as HTML"),
                Link($"{root}/ogc/collections/{collection.Id}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables"),
                .. collection.ItemProperties is null ? Array.Empty<object>() : (object[])
                [
                    // GDAL's OAPIF driver types the fields from a describedby JSON Schema of a Feature when there is one, else
                    // from the first page, where an attribute still empty everywhere (a new one) would become text. GDAL 3.6
                    // matches the relation as "describedBy" only (case-sensitive), others as registered: both are given.
                    Link($"{root}/ogc/collections/{collection.Id}/schema", "describedby", "application/schema+json", "Schema of the items"),
                    Link($"{root}/ogc/collections/{collection.Id}/schema", "describedBy", "application/schema+json", "Schema of the items (GDAL)"),
                ],
            ],
        };
    }

    /// <summary>
    /// The items as a JSON Schema of a GeoJSON Feature: every property with its type, title and description,
    /// in the order of the export columns. GDAL (describedby) takes the field types from it.
    /// </summary>
    public static async Task<IResult> GetFeatureSchema(string collectionId, HttpRequest request)
    {
        if (OgcCollections.Find(collectionId, await DisclosurePolicies.OfAsync(request.HttpContext)) is not { ItemProperties: { } properties } collection)
        {
            return UnknownCollection(collectionId);
        }
        var root = Root(request);
        var body = new Dictionary<string, object?>
        {
            ["$schema"] = "https://json-schema.org/draft/2019-09/schema",
            ["$id"] = $"{root}/ogc/collections/{collection.Id}/schema",
            ["title"] = collection.Title,
            ["type"] = "object",
            ["required"] = new[] { "type", "geometry", "properties" },
            ["properties"] = new Dictionary<string, object?>
            {
                ["type"] = new Dictionary<string, object?> { ["type"] = "string", ["enum"] = new[] { "Feature" } },
                ["id"] = new Dictionary<string, object?> { ["type"] = "integer" },
                ["geometry"] = new Dictionary<string, object?> { ["format"] = collection.GeometryFormat },
                ["properties"] = new Dictionary<string, object?> { ["type"] = "object", ["properties"] = properties },
            },
        };
        return TypedResults.Json(body, AsDeclared, "application/schema+json");
    }

    // ------------------------------------------------------------------ items

    public static async Task<IResult> GetItems(string collectionId, HttpContext context, ReadRoute route, CancellationToken cancellationToken)
    {
        var shown = await DisclosurePolicies.OfAsync(context);
        if (OgcCollections.Find(collectionId, shown) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var request = context.Request;
        var query = OgcQuery.Read(request.Query, OgcParameters.Items(collection), rejectUnknown: true);
        var problems = query.Problems;
        var f = query.Format();
        var crs = ParseCrs(problems, "crs", query[OgcParameters.Crs]);
        var bboxCrs = ParseCrs(problems, "bbox-crs", query[OgcParameters.BboxCrs]);
        var limit = query.Limit();
        var offset = query.Offset();
        OgcCursor? after = null;
        if (query[OgcParameters.Cursor] is { } cursorText && !OgcCursor.TryParse(cursorText, collection, out after))
        {
            problems.AddError("cursor", $"cursor must be the value a next link of this collection carries; got '{Http.Shown.Value(cursorText)}'.");
        }
        var bbox = ParseBbox(problems, query[OgcParameters.Bbox], bboxCrs);
        if (query[OgcParameters.FilterLang] is { } language && language != "cql2-text")
        {
            problems.AddError("filter-lang", $"Only cql2-text is supported; got '{language}'.");
        }
        if (query[OgcParameters.FilterCrs] is { } filterCrs && !(CrsRegistry.TryParse(filterCrs, out var fc) && fc!.Epsg is null))
        {
            problems.AddError("filter-crs", $"Filters take CRS84 coordinates ({CrsRegistry.Crs84Uri}); got '{filterCrs}'.");
        }
        OgcDatetime? datetime = null;
        if (query[OgcParameters.Datetime] is { } datetimeText && !OgcDatetime.TryParse(datetimeText, out datetime, out var datetimeError))
        {
            problems.AddError("datetime", datetimeError!);
        }
        Cql2Translation? translation = null;
        if (query[OgcParameters.Filter] is { } filter
            && !Cql2Text.TryTranslate(filter, collection.Queryables, "f", out translation, out var error, out _))
        {
            // The message already says where ("at character N: …", counted from 0 like the position).
            problems.AddError("filter", error!);
        }
        var properties = query.Given.Where(g => g.Parameter.Property is not null).Select(g => (Queryable: g.Parameter.Property!, g.Value)).ToList();
        foreach (var (queryable, value) in properties.Where(p => !OgcQuery.TryPropertyValue(p.Queryable, p.Value, out _)))
        {
            problems.AddError(queryable.Name, $"{queryable.Name} must be {Describe(queryable.Type)}; got '{value}'.");
        }
        // Only the settlements take it; elsewhere it is an unknown parameter, already refused.
        var unplanned = collection.TakesUnplanned ? UnplannedTarget.Read(problems, "unplanned", query[OgcParameters.Unplanned], shown) : null;
        if (problems.HasErrors)
        {
            return TypedResults.ValidationProblem(problems.Errors, title: "The items request has invalid parameters.");
        }

        var selection = new OgcItemsFilter(bbox, properties, datetime, translation, unplanned, shown);
        var page = new OgcPage(collection, crs ?? CrsRegistry.Crs84, limit, offset, after, Root(request),
            [.. query.Given.Where(g => g.Parameter != OgcParameters.Offset && g.Parameter != OgcParameters.Cursor && g.Parameter != OgcParameters.F).Select(g => (g.Parameter.Name, g.Value))],
            async (connection, token) =>
            {
                var (countSql, countParameters) = OgcSql.Count(collection, selection);
                await using var count = connection.CreateCommand(countSql, countParameters);
                return (long)(await count.ExecuteScalarAsync(token))!;
            });
        var (sql, pageParameters) = OgcSql.Page(collection, selection, limit, offset, after, page.GeoJsonFromDatabase);
        return WantsHtml(request, f)
            ? new OgcItemsHtmlResult(route.DataSource, sql, pageParameters, page)
            : new OgcItemsResult(route.DataSource, sql, pageParameters, page);
    }

    public static async Task<IResult> GetItem(string collectionId, string featureId, HttpRequest request, ReadRoute route, CancellationToken cancellationToken)
    {
        if (OgcCollections.Find(collectionId, await DisclosurePolicies.OfAsync(request.HttpContext)) is not { } collection)
        {
            return UnknownCollection(collectionId);
        }
        var query = OgcQuery.Read(request.Query, OgcParameters.Item, rejectUnknown: false);
        var f = query.Format();
        var crs = ParseCrs(query.Problems, "crs", query[OgcParameters.Crs]);
        if (query.Problems.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Problems.Errors, title: "The item request has invalid parameters.");
        }
        if (!long.TryParse(featureId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return NoFeature(collection, featureId);
        }
        var (itemSql, itemParameters) = OgcSql.Item(collection, id);
        await using var command = route.DataSource.CreateCommand(itemSql, itemParameters);
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
        if (WantsHtml(request, f))
        {
            return Html(root, $"{collection.Title} {id}", html => OgcItemsHtmlResult.AppendProperties(html, properties));
        }
        var json = new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["id"] = id,
            ["geometry"] = JsonSerializer.SerializeToElement(geometry, GeoJson.ApiOptions),
            ["properties"] = JsonDocument.Parse(properties).RootElement.Clone(),
            ["links"] = new[]
            {
                Link(self + "?f=json", "self", GeoJsonFeaturesResult.MediaType, "This feature"),
                Link(self + "?f=html", "alternate", "text/html", "This feature as HTML"),
                Link($"{root}/ogc/collections/{collection.Id}", "collection", JsonMediaType, collection.Title),
            },
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

    /// <summary>A document in JSON (as declared, or as <paramref name="json"/> makes it) or HTML, after checking its query (only f).</summary>
    private static IResult Respond(HttpRequest request, object? body, Func<IResult> html, Func<IResult>? json = null)
    {
        var query = OgcQuery.Read(request.Query, OgcParameters.Document, rejectUnknown: false);
        var f = query.Format();
        if (query.Problems.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Problems.Errors, title: "The request has invalid parameters.");
        }
        return WantsHtml(request, f) ? html() : json?.Invoke() ?? TypedResults.Json(body, AsDeclared, JsonMediaType);
    }

    /// <summary>A page of ours: no inline script or style (the Content-Security-Policy allows neither), its look from /ogc.css.</summary>
    internal static ContentHttpResult Html(string root, string title, Action<StringBuilder> body)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title))
            .Append("</title><link rel=\"stylesheet\" href=\"").Append(Encode(root)).Append("/ogc.css\"></head><body><h1>")
            .Append(Encode(title)).Append("</h1>");
        body(html);
        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static SupportedCrs? ParseCrs(QueryParameters query, string name, string? text)
    {
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
        if (parts.Length is not (4 or 6) || numbers.Any(n => n is null))
        {
            query.AddError("bbox", $"bbox is four numbers: lower-left and upper-right corner in the axis order of bbox-crs (CRS84: minLon,minLat,maxLon,maxLat), or six with a minimum and maximum height after each corner's two; got '{(text.Length <= 100 ? text : text[..100] + "…")}'.");
            return null;
        }
        if (parts.Length == 6)
        {
            // minx,miny,minz,maxx,maxy,maxz (Part 1): our features are flat, so the heights select nothing.
            numbers = [numbers[0], numbers[1], numbers[3], numbers[4]];
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

    private static ProblemHttpResult UnknownCollection(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such collection.",
            detail: $"'{id}' is not a collection; there are: {string.Join(", ", OgcCollections.All.Select(c => c.Id))}.");

    private static ProblemHttpResult NoFeature(OgcCollectionInfo collection, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such feature.", detail: $"{collection.Id} has no feature '{id}'.");
}
