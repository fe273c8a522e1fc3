using Npgsql;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>Plain SQL helpers for assertions that read the database directly.</summary>
public static class Sql
{
    /// <summary>Rows of settlement_points that differ from their settlement, or have none (expected: 0).</summary>
    public const string SettlementPointsOutOfStep = """
        SELECT count(*) FROM settlements s FULL JOIN settlement_points p ON p.id = s.id
        WHERE s.id IS NULL OR p.id IS NULL OR NOT ST_Equals(p.point, ST_Transform(s.centroid, 3857))
           OR (s.municipality_id, s.name_latn, s.name_cyrl, s.water_supply, s.sewerage, s.electricity, s.legal_status, s.flood_zone,
               s.hazard_nearby, s.eviction_threat, s.substandard_share_pct, s.estimated_inhabitants, s.distance_to_primary_school_m,
               s.distance_to_health_centre_m)
              IS DISTINCT FROM
              (p.municipality_id, p.name_latn, p.name_cyrl, p.water_supply, p.sewerage, p.electricity, p.legal_status, p.flood_zone,
               p.hazard_nearby, p.eviction_threat, p.substandard_share_pct, p.estimated_inhabitants, p.distance_to_primary_school_m,
               p.distance_to_health_centre_m)
        """;

    /// <summary>
    /// Settlements whose kept layer properties (settlement_layer_properties) differ from what the view
    /// that defines them gives now, or that have none, and kept rows of no settlement (expected: 0).
    /// </summary>
    public const string LayerPropertiesOutOfStep = """
        SELECT count(*) FROM settlement_layer_properties_source v FULL JOIN settlement_layer_properties k ON k.id = v.id
        WHERE v.id IS NULL OR k.id IS NULL OR k.properties IS DISTINCT FROM v.properties
        """;

    /// <summary>
    /// Settlements whose settlement_points.min_zoom disagrees with the point tiles' rule worked out from
    /// scratch: at each zoom 0–11, the one with the most estimated inhabitants (ties: lowest id) in each
    /// cell, and only those, have min_zoom at or below it (expected: 0).
    /// </summary>
    public const string PointPyramidOutOfStep = """
        WITH winners AS (
            SELECT z, w.id FROM generate_series(0, 11) z, LATERAL (
                SELECT DISTINCT ON (map_point_cell(ST_X(point), z), map_point_cell(ST_Y(point), z)) id FROM settlement_points
                ORDER BY map_point_cell(ST_X(point), z), map_point_cell(ST_Y(point), z), estimated_inhabitants DESC NULLS LAST, id) w
        ), pyramid AS (SELECT z, s.id FROM generate_series(0, 11) z JOIN settlement_points s ON s.min_zoom <= z)
        SELECT count(*) FROM winners w FULL JOIN pyramid p ON p.z = w.z AND p.id = w.id WHERE w.id IS NULL OR p.id IS NULL
        """;

    /// <summary>
    /// Rows where settlement_point_winners (the point pyramid through time) disagrees with the point tiles' rule
    /// worked out from scratch over settlement_versions, at every instant a version begins and the last
    /// microsecond before each ends: at each zoom 0–11 and in each cell, the settlement valid then with the most
    /// estimated inhabitants (ties: lowest id) is the pyramid's row for that cell then, and only it (expected: 0).
    /// </summary>
    public const string PointHistoryOutOfStep = """
        WITH instants AS (
            SELECT lower(valid) AS at FROM settlement_versions
            UNION SELECT upper(valid) - interval '1 microsecond' FROM settlement_versions WHERE NOT upper_inf(valid)),
        winners AS (
            SELECT i.at, z, w.cx, w.cy, w.id FROM instants i CROSS JOIN generate_series(0, 11) z CROSS JOIN LATERAL (
                SELECT DISTINCT ON (map_point_cell(ST_X(q.point), z), map_point_cell(ST_Y(q.point), z))
                       map_point_cell(ST_X(q.point), z) AS cx, map_point_cell(ST_Y(q.point), z) AS cy, v.id
                FROM settlement_versions v CROSS JOIN LATERAL (SELECT ST_Transform(v.centroid, 3857) AS point) q
                WHERE v.valid @> i.at
                ORDER BY map_point_cell(ST_X(q.point), z), map_point_cell(ST_Y(q.point), z), v.estimated_inhabitants DESC NULLS LAST, v.id) w),
        pyramid AS (
            SELECT i.at, w.zoom::int AS z, w.cx, w.cy, w.id FROM instants i JOIN settlement_point_winners w ON w.valid @> i.at)
        SELECT count(*) FROM winners w FULL JOIN pyramid p ON p.at = w.at AND p.z = w.z AND p.cx = w.cx AND p.cy = w.cy AND p.id = w.id
        WHERE w.id IS NULL OR p.id IS NULL
        """;

    /// <summary>
    /// The tests' own checks (the out-of-step counts work the pyramids out from scratch over every version) take seconds
    /// alone and passed Npgsql's 30 s default when CI shared the 2 cores with other work: failures that said nothing of the code.
    /// </summary>
    private const int CheckTimeoutSeconds = 300;

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CheckTimeoutSeconds };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<List<string>> ColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0).ToString()!);
        }
        return values;
    }
}
