using System.Text;
using System.Text.Json;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// One GET operation of the OGC API as the API definition describes it: its path relative to /ogc
/// (the document's server URL), and its path parameters with their allowed values (null: any).
/// </summary>
public sealed record OgcOperation(
    string Path,
    string OperationId,
    string Summary,
    IReadOnlyList<OgcParameter> Parameters,
    IReadOnlyList<string> MediaTypes,
    IReadOnlyList<(string Name, string Description, IReadOnlyList<string>? Values)> PathParameters);

/// <summary>
/// The API definition at the landing page's service-desc link: OpenAPI 3.0 (what QGIS and the
/// OGC test suite read; /req/oas30), built from <see cref="OgcParameters"/>, so every parameter a
/// handler reads is described with its limits. QGIS takes the page size from
/// components.parameters.limit (default and maximum). The service-doc link is its HTML form.
/// </summary>
public static class OgcOpenApi
{
    public const string MediaType = "application/vnd.oai.openapi+json;version=3.0";
    private const string Json = "application/json";
    private const string Html = "text/html";

    private static readonly (string, string, IReadOnlyList<string>?) CollectionId =
        ("collectionId", "The collection's id.", OgcCollections.All.Select(c => c.Id).ToArray());

    private static readonly (string, string, IReadOnlyList<string>?) FeatureId = ("featureId", "The feature's id (a whole number).", null);

    /// <summary>Every operation, in the order of the document, with the property filters of the collections as <paramref name="shown"/>'s viewer sees them.</summary>
    public static IReadOnlyList<OgcOperation> Operations(Sensitivity.Disclosure shown) =>
    [
        new("/", "getLandingPage", "Landing page: links to the API definition, the conformance classes and the collections", OgcParameters.Document, [Json, Html], []),
        new("/conformance", "getConformance", "The conformance classes this service passes", OgcParameters.Document, [Json, Html], []),
        new("/api", "getApiDefinition", "This API definition (OpenAPI 3.0; f=html for a readable page)", OgcParameters.Document, [MediaType, Html], []),
        new("/collections", "getCollections", "The collections: settlements, municipalities, coverage", OgcParameters.Document, [Json, Html], []),
        new("/collections/{collectionId}", "describeCollection", "One collection with its spatial and temporal extent and CRS list", OgcParameters.Document, [Json, Html], [CollectionId]),
        new("/collections/{collectionId}/queryables", "getQueryables", "What a filter may name, with the labels of coded values (JSON Schema)", OgcParameters.Document, ["application/schema+json", Html], [CollectionId]),
        new("/collections/{collectionId}/schema", "getSchema", "The items as a JSON Schema of a GeoJSON Feature (settlements)", OgcParameters.Document, ["application/schema+json"], [CollectionId]),
        .. OgcCollections.AllFor(shown).SelectMany(c => new OgcOperation[]
        {
            new($"/collections/{c.Id}/items", $"getItems_{c.Id}", $"{c.Title}: features, paged", OgcParameters.Items(c), [GeoJsonFeaturesResult.MediaType, Html], []),
            new($"/collections/{c.Id}/items/{{featureId}}", $"getItem_{c.Id}", $"{c.Title}: one feature", OgcParameters.Item, [GeoJsonFeaturesResult.MediaType, Html], [FeatureId]),
        }),
    ];

    // Parameters every items operation shares go to components (QGIS reads limit from there); property filters stay inline.
    private static readonly OgcParameter[] Shared =
    [
        OgcParameters.F, OgcParameters.Limit, OgcParameters.Offset, OgcParameters.Cursor, OgcParameters.Bbox, OgcParameters.BboxCrs, OgcParameters.Crs,
        OgcParameters.Datetime, OgcParameters.Filter, OgcParameters.FilterLang, OgcParameters.FilterCrs,
    ];

    public static Dictionary<string, object?> Document(string root, Sensitivity.Disclosure shown)
    {
        var paths = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var operation in Operations(shown))
        {
            paths[operation.Path] = new Dictionary<string, object?>
            {
                ["get"] = new Dictionary<string, object?>
                {
                    ["operationId"] = operation.OperationId,
                    ["summary"] = operation.Summary,
                    ["tags"] = new[] { operation.Path.Contains("/items", StringComparison.Ordinal) ? "Data" : "Capabilities" },
                    ["parameters"] = operation.PathParameters.Select(PathParameter)
                        .Concat(operation.Parameters.Select(p => Shared.Contains(p) ? new Dictionary<string, object?> { ["$ref"] = "#/components/parameters/" + p.Name } : Parameter(p)))
                        .ToList(),
                    ["responses"] = Responses(operation),
                },
            };
        }
        return new Dictionary<string, object?>
        {
            ["openapi"] = "3.0.3",
            ["info"] = new Dictionary<string, object?>
            {
                ["title"] = "SettlementMap – OGC API – Features",
                ["version"] = "1.0.0",
                ["description"] = "Roma settlements in Serbia, municipalities and who covers them, as OGC API – Features Part 1 (core, GeoJSON, HTML, OpenAPI 3.0), Part 2 (CRS) and Part 3 (CQL2-text filters). Demo data: the settlements are synthetic.",
                ["contact"] = new Dictionary<string, object?> { ["name"] = "SettlementMap", ["url"] = root + "/" },
                ["license"] = new Dictionary<string, object?> { ["name"] = "CC BY 4.0", ["url"] = "https://creativecommons.org/licenses/by/4.0/" },
            },
            ["servers"] = new[] { new Dictionary<string, object?> { ["url"] = root + "/ogc" } },
            ["paths"] = paths,
            ["components"] = new Dictionary<string, object?>
            {
                ["parameters"] = Shared.ToDictionary(p => p.Name, p => (object?)Parameter(p), StringComparer.Ordinal),
                ["schemas"] = new Dictionary<string, object?>
                {
                    ["exception"] = new Dictionary<string, object?>
                    {
                        ["type"] = "object",
                        ["description"] = "An RFC 7807 problem; errors names each bad parameter.",
                        ["properties"] = new Dictionary<string, object?>
                        {
                            ["title"] = new { type = "string" },
                            ["status"] = new { type = "integer" },
                            ["detail"] = new { type = "string" },
                            ["errors"] = new { type = "object", additionalProperties = new { type = "array", items = new { type = "string" } } },
                        },
                    },
                },
            },
        };
    }

    /// <summary>The API definition as a page: each operation with its parameters, limits and media types.</summary>
    public static void WriteHtml(StringBuilder html, string root, Sensitivity.Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Append("<p>The machine-readable definition: <a href=\"").Append(OgcApi.Encode(root)).Append("/ogc/api?f=json\">OpenAPI 3.0 (JSON)</a>. ")
            .Append("Every operation is a GET; HEAD answers the same without a body. A bad parameter gets a 400 problem+json naming it.</p>");
        foreach (var operation in Operations(shown))
        {
            html.Append("<section><h2>GET /ogc").Append(OgcApi.Encode(operation.Path)).Append("</h2><p>").Append(OgcApi.Encode(operation.Summary))
                .Append(". Media types: ").Append(OgcApi.Encode(string.Join(", ", operation.MediaTypes))).Append(".</p>");
            html.Append("<table><tr><th>parameter</th><th>in</th><th>schema</th><th>description</th></tr>");
            foreach (var (name, description, values) in operation.PathParameters)
            {
                html.Append("<tr><td>").Append(OgcApi.Encode(name)).Append("</td><td>path</td><td>")
                    .Append(OgcApi.Encode(values is null ? "string" : "one of " + string.Join(", ", values))).Append("</td><td>").Append(OgcApi.Encode(description)).Append("</td></tr>");
            }
            foreach (var parameter in operation.Parameters)
            {
                html.Append("<tr><td>").Append(OgcApi.Encode(parameter.Name)).Append("</td><td>query</td><td>")
                    .Append(OgcApi.Encode(JsonSerializer.Serialize(parameter.Schema))).Append("</td><td>").Append(OgcApi.Encode(parameter.Description)).Append("</td></tr>");
            }
            html.Append("</table></section>");
        }
    }

    private static Dictionary<string, object?> Parameter(OgcParameter parameter) => new()
    {
        ["name"] = parameter.Name,
        ["in"] = "query",
        ["description"] = parameter.Description,
        ["required"] = false,
        ["style"] = "form",
        ["explode"] = false,
        ["schema"] = parameter.Schema,
    };

    private static Dictionary<string, object?> PathParameter((string Name, string Description, IReadOnlyList<string>? Values) parameter) => new()
    {
        ["name"] = parameter.Name,
        ["in"] = "path",
        ["description"] = parameter.Description,
        ["required"] = true,
        ["schema"] = parameter.Values is null ? new { type = "string" } : new { type = "string", @enum = parameter.Values },
    };

    private static Dictionary<string, object?> Responses(OgcOperation operation)
    {
        var problem = new Dictionary<string, object?>
        {
            ["application/problem+json"] = new Dictionary<string, object?> { ["schema"] = new Dictionary<string, object?> { ["$ref"] = "#/components/schemas/exception" } },
        };
        var responses = new Dictionary<string, object?>
        {
            ["200"] = new Dictionary<string, object?>
            {
                ["description"] = operation.Summary,
                ["content"] = operation.MediaTypes.ToDictionary(t => t, _ => (object?)new { schema = new { type = "object" } }, StringComparer.Ordinal),
            },
            ["400"] = new Dictionary<string, object?> { ["description"] = operation.Parameters.Any(p => p.Property is not null)
                ? "A parameter is unknown, repeated with different values or invalid; errors names it."
                : "A parameter is repeated with different values or invalid; errors names it (others are ignored).", ["content"] = problem },
        };
        if (operation.PathParameters.Count > 0)
        {
            responses["404"] = new Dictionary<string, object?> { ["description"] = "No such collection or feature.", ["content"] = problem };
        }
        responses["503"] = new Dictionary<string, object?> { ["description"] = "The database is not reachable for the moment; try again after Retry-After.", ["content"] = problem };
        return responses;
    }

}
