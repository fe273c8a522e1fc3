using Npgsql;
using SettlementMap.Web.Features.Layers;

namespace SettlementMap.Web.Features.Tiles;

/// <summary>
/// The vector-tile SQL, in one place: settlements in a Web Mercator tile as Mapbox Vector Tile
/// (ST_AsMVT), with only the attributes the map styles and selects by. Below city zoom a
/// settlement is a point (its outline would be a speck); from city zoom on its outline,
/// simplified to about a quarter pixel. Filters are the settlement layer's.
/// </summary>
public static class TileSql
{
    /// <summary>From this zoom on, tiles carry outlines; below it, centroids (the map's markers).</summary>
    public const int OutlineMinZoom = 12;

    public static (string Sql, List<NpgsqlParameter> Parameters) Settlements(int z, int x, int y, SettlementLayerFilter filter)
    {
        var (where, parameters) = LayerSql.SettlementConditions(filter);
        parameters.Add(new NpgsqlParameter<int>("z", z));
        parameters.Add(new NpgsqlParameter<int>("x", x));
        parameters.Add(new NpgsqlParameter<int>("y", y));
        // A quarter of a pixel of a 4096-unit tile at this zoom, in degrees at Serbia's latitude.
        parameters.Add(new NpgsqlParameter<double>("tolerance", 360.0 / (1 << z) / 4096 / 4));
        var tileFilter = "s.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 0.015625), 4326)";
        where = where.Length == 0 ? " WHERE " + tileFilter : where + " AND " + tileFilter;
        var geometry = z >= OutlineMinZoom
            ? "ST_Transform(ST_SimplifyPreserveTopology(s.geom, @tolerance), 3857)"
            : "ST_Transform(s.centroid, 3857)";
        // The id stays a property (not the MVT feature id) so the page reads it like the other attributes.
        var sql = $"""
            SELECT ST_AsMVT(t.*, 'settlements', 4096, 'geom')
            FROM (
                SELECT s.id, s.name_latn, s.name_cyrl, m.code AS municipality_code,
                       s.water_supply, s.sewerage, s.electricity, s.legal_status,
                       s.substandard_share_pct::float8 AS substandard_share_pct, s.estimated_inhabitants,
                       s.distance_to_primary_school_m, s.distance_to_health_centre_m,
                       ST_AsMVTGeom({geometry}, ST_TileEnvelope(@z, @x, @y), 4096, 64, true) AS geom
                FROM settlements s
                JOIN municipalities m ON m.id = s.municipality_id
                JOIN districts d ON d.id = m.district_id{where}
            ) t
            WHERE t.geom IS NOT NULL
            """;
        return (sql, parameters);
    }
}
