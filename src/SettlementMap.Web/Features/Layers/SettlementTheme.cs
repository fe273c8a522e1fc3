namespace SettlementMap.Web.Features.Layers;

/// <summary>
/// An attribute the map can colour settlements by (the themes of wwwroot/js/themes.js). The
/// fixed list maps a request's theme name to its column, so no request text reaches the SQL.
/// </summary>
public sealed record SettlementTheme(string Name, string Column, bool Numeric)
{
    public static readonly IReadOnlyDictionary<string, SettlementTheme> All = new SettlementTheme[]
    {
        new("water_supply", "s.water_supply", Numeric: false),
        new("sewerage", "s.sewerage", Numeric: false),
        new("electricity", "s.electricity", Numeric: false),
        new("legal_status", "s.legal_status", Numeric: false),
        new("substandard_share_pct", "s.substandard_share_pct", Numeric: true),
        new("estimated_inhabitants", "s.estimated_inhabitants", Numeric: true),
        new("distance_to_primary_school_m", "s.distance_to_primary_school_m", Numeric: true),
        new("distance_to_health_centre_m", "s.distance_to_health_centre_m", Numeric: true),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);
}
