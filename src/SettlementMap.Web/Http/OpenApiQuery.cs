using Microsoft.OpenApi;

namespace SettlementMap.Web.Http;

/// <summary>A query parameter a handler reads through its own declaration rather than a bound handler parameter.</summary>
/// <param name="Name">The parameter's name in the query.</param>
/// <param name="Description">What it does, for the API document.</param>
/// <param name="Type">Its JSON Schema type: string, integer, number, boolean or array.</param>
public sealed record QueryParameterText(string Name, string Description, string Type = "string");

public static class OpenApiQuery
{
    /// <summary>
    /// States in the OpenAPI document (/openapi/v1.json) query parameters that the handler reads from a
    /// declaration of its own (the OGC API's OgcParameters, the import options), so the document lists
    /// what is read; a parameter it describes already (a bound one) is left as it is.
    /// </summary>
    public static TBuilder DescribesQuery<TBuilder>(this TBuilder builder, IReadOnlyList<QueryParameterText> parameters)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters.Where(p => !operation.Parameters.Any(d => d.In == ParameterLocation.Query && d.Name == p.Name)))
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = ParameterLocation.Query,
                    Description = parameter.Description,
                    Schema = new OpenApiSchema { Type = SchemaType(parameter.Type) },
                });
            }
            return Task.CompletedTask;
        });
    }

    private static JsonSchemaType SchemaType(string type) => type switch
    {
        "integer" => JsonSchemaType.Integer,
        "number" => JsonSchemaType.Number,
        "boolean" => JsonSchemaType.Boolean,
        "array" => JsonSchemaType.Array,
        _ => JsonSchemaType.String,
    };
}
