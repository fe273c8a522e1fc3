using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Tiles;

/// <summary>
/// The attribute columns settlement_points copies from settlements: what the point tiles carry
/// (SettlementSchema's tile output, from settlements itself) and what the filters compare. They
/// reach Sql/sync_settlement_point.sql as tokens (SqlDefinitionTokens), so a new tile attribute needs
/// only its column added to settlement_points by a migration.
/// </summary>
public static class SettlementPointColumns
{
    /// <summary>In schema order, then the filters' columns the tiles do not carry.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        .. SettlementSchema.In(Outputs.Tile).Where(a => a.Name != "id" && a.IsSettlementsColumn).Select(a => a.Name)
            .Union(SettlementSql.FilterColumns, StringComparer.Ordinal),
    ];

    /// <summary>The tokens of sync_settlement_point.sql, each a comma-separated list over <see cref="All"/>.</summary>
    public static IReadOnlyDictionary<string, string> Tokens { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["settlement_point_columns"] = List(c => c),
        ["settlement_point_new_values"] = List(c => "NEW." + c),
        ["settlement_point_updates"] = List(c => $"{c} = EXCLUDED.{c}"),
        ["settlement_point_kept"] = List(c => "p." + c),
        ["settlement_point_sources"] = List(c => "s." + c),
    };

    private static string List(Func<string, string> column) => string.Join(", ", All.Select(column));
}
