using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Layers;

/// <summary>
/// An attribute the map can colour settlements by (SettlementSchema's theme output; wwwroot/js/themes.js
/// styles them). The fixed list maps a request's theme name to its attribute, so no request text reaches the SQL;
/// the value classed is the one the viewer sees (<c>Disclosure.FilterSql</c>).
/// </summary>
public sealed record SettlementTheme(AttributeDefinition Attribute, bool Numeric)
{
    public string Name => Attribute.Name;

    public static readonly IReadOnlyDictionary<string, SettlementTheme> All = SettlementSchema.In(Outputs.Theme)
        .Select(a => new SettlementTheme(a, a.Type != AttributeType.Enum))
        .ToDictionary(t => t.Name, StringComparer.Ordinal);
}
