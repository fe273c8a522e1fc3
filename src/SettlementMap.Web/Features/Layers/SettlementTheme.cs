using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Layers;

/// <summary>
/// An attribute the map can colour settlements by (SettlementSchema's theme output; wwwroot/js/themes.js
/// styles them). The fixed list maps a request's theme name to its column, so no request text reaches the SQL.
/// </summary>
public sealed record SettlementTheme(string Name, string Column, bool Numeric)
{
    public static readonly IReadOnlyDictionary<string, SettlementTheme> All = SettlementSchema.In(Outputs.Theme)
        .Select(a => new SettlementTheme(a.Name, a.FilterSql, a.Type != AttributeType.Enum))
        .ToDictionary(t => t.Name, StringComparer.Ordinal);
}
