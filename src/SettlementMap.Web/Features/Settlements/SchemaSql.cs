namespace SettlementMap.Web.Features.Settlements;

/// <summary>
/// The SQL select lists that <see cref="SettlementSchema"/> gives each output: over settlements s,
/// municipalities m and districts d, every attribute named as in the schema and in its order.
/// </summary>
public static class SchemaSql
{
    /// <summary>"s.id, s.code, m.code AS municipality_code, …": the attributes of <paramref name="output"/>.</summary>
    /// <param name="output">Which attributes.</param>
    /// <param name="expression">The SQL of each value; <see cref="AttributeDefinition.Sql"/> when not given.</param>
    public static string SelectList(Outputs output, Func<AttributeDefinition, string>? expression = null) =>
        string.Join(", ", SettlementSchema.In(output).Select(a => Column(a, expression?.Invoke(a) ?? a.Sql)));

    /// <summary>
    /// The attributes of <paramref name="output"/> as one JSON object text, keys in schema order
    /// (row_to_json keeps the order; jsonb would sort the keys, and json_build_object stops at 100 arguments).
    /// </summary>
    public static string PropertiesJson(Outputs output) => $"(SELECT row_to_json(p) FROM (SELECT {SelectList(output)}) p)::text";

    /// <summary>The vector tiles' attributes: numbers as float8, which ST_AsMVT writes as doubles (numeric would become text).</summary>
    public static string TileSelectList() =>
        SelectList(Outputs.Tile, a => a.Type == AttributeType.Number ? a.Sql + "::float8" : a.Sql);

    private static string Column(AttributeDefinition attribute, string expression) =>
        expression == "s." + attribute.Name ? expression : $"{expression} AS {attribute.Name}";
}
