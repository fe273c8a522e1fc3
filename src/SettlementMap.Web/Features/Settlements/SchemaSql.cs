namespace SettlementMap.Web.Features.Settlements;

/// <summary>
/// The SQL select lists that <see cref="SettlementSchema"/> gives each output: over settlements s,
/// municipalities m and districts d, every attribute named as in the schema and in its order.
/// What a viewer may see is chosen by <c>Sensitivity.Disclosure</c>, which builds its lists with these.
/// </summary>
public static class SchemaSql
{
    /// <summary>"s.id, s.code, m.code AS municipality_code, …": every attribute of <paramref name="output"/>.</summary>
    public static string SelectList(Outputs output) => SelectList(SettlementSchema.In(output), a => a.Sql);

    /// <summary>"s.id, s.code, m.code AS municipality_code, …": <paramref name="attributes"/>, each as <paramref name="expression"/> gives it.</summary>
    public static string SelectList(IEnumerable<AttributeDefinition> attributes, Func<AttributeDefinition, string> expression)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(expression);
        return string.Join(", ", attributes.Select(a => Column(a, expression(a))));
    }

    /// <summary>
    /// A select list as one JSON object text, keys in its order (row_to_json keeps the order; jsonb
    /// would sort the keys, and json_build_object stops at 100 arguments).
    /// </summary>
    public static string PropertiesJson(string selectList) => $"(SELECT row_to_json(p) FROM (SELECT {selectList}) p)::text";

    /// <summary>A tile attribute's value: numbers as float8, which ST_AsMVT writes as doubles (numeric would become text).</summary>
    public static string TileExpression(AttributeDefinition attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return attribute.Type == AttributeType.Number ? attribute.Sql + "::float8" : attribute.Sql;
    }

    private static string Column(AttributeDefinition attribute, string expression) =>
        expression == "s." + attribute.Name ? expression : $"{expression} AS {attribute.Name}";
}
