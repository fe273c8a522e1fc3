using Npgsql;
using SettlementMap.Web.Features.Layers;

namespace SettlementMap.Web.Features.Tiles;

/// <summary>
/// The vector-tile SQL, in one place: settlements in a Web Mercator tile as Mapbox Vector Tile
/// (ST_AsMVT), with only the attributes the map styles and selects by. Below city zoom a
/// settlement is a point (its outline would be a speck), at most one a few-pixel cell; from city
/// zoom on its outline, simplified to about a quarter pixel. Filters are the settlement layer's.
/// </summary>
public static class TileSql
{
    /// <summary>From this zoom on, tiles carry outlines; below it, centroids (the map's markers).</summary>
    public const int OutlineMinZoom = 12;

    /// <summary>The extent of a tile in MVT units (a 256-pixel tile: 16 units a pixel).</summary>
    public const int Extent = 4096;

    /// <summary>
    /// Below <see cref="OutlineMinZoom"/>, one point a cell of this many tile units: 16 pixels, twice
    /// the diameter of the map's marker, so markers stand apart and show where settlements are dense.
    /// 8-pixel cells drew a carpet of touching markers: a z10 view at 100k drew ~19,000 of them
    /// and stalled zooms for up to 300 ms a frame; 16-pixel cells draw a quarter of that.
    /// </summary>
    public const int PointCellUnits = 256;

    /// <summary>
    /// Points are drawn this far beyond the tile's edge (8 pixels: a selected marker's radius and
    /// stroke), so the neighbour tile draws the rest of a marker that straddles the edge.
    /// </summary>
    private const int PointBufferUnits = 128;

    /// <summary>Outlines are clipped this far beyond the tile's edge (4 pixels), so no clip edge shows.</summary>
    private const int OutlineBufferUnits = 64;

    public static (string Sql, List<NpgsqlParameter> Parameters) Settlements(int z, int x, int y, SettlementLayerFilter filter)
    {
        var (where, parameters) = LayerSql.SettlementConditions(filter);
        parameters.Add(new NpgsqlParameter<int>("z", z));
        parameters.Add(new NpgsqlParameter<int>("x", x));
        parameters.Add(new NpgsqlParameter<int>("y", y));
        var points = z < OutlineMinZoom;
        // Points come from settlement_points (the centroids in Web Mercator with the styled and filtered
        // attributes, ~60 a page; migration SettlementPoints): in settlements each sits beside its outline
        // and a z8 tile read ~11,000 pages. A whole cell of margin around the tile, so a cell across the
        // edge has the same winner in both tiles.
        var tileFilter = points
            ? $"s.point && ST_TileEnvelope(@z, @x, @y, margin => {PointCellUnits}.0 / {Extent})"
            : $"s.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => {OutlineBufferUnits}.0 / {Extent}), 4326)";
        where = where.Length == 0 ? " WHERE " + tileFilter : where + " AND " + tileFilter;
        // The id stays a property (not the MVT feature id) so the page reads it like the other attributes.
        const string columns = """
            s.id, s.name_latn, s.name_cyrl, m.code AS municipality_code,
                       s.water_supply, s.sewerage, s.electricity, s.legal_status,
                       s.substandard_share_pct::float8 AS substandard_share_pct, s.estimated_inhabitants,
                       s.distance_to_primary_school_m, s.distance_to_health_centre_m
            """;
        var from = "FROM " + (points ? LayerSql.SettlementPointsJoined : LayerSql.SettlementsJoined);
        if (z >= OutlineMinZoom)
        {
            // A quarter of a pixel of a 4096-unit tile at this zoom, in degrees at Serbia's latitude.
            parameters.Add(new NpgsqlParameter<double>("tolerance", 360.0 / (1 << z) / Extent / 4));
            // ST_Simplify with preserveCollapsed keeps tiny outlines as they are; it does not guard
            // topology like ST_SimplifyPreserveTopology (3-4x slower), and need not: at a quarter of a
            // pixel a self-touching ring is invisible, and ST_AsMVTGeom validates polygons after snapping
            // them to the tile grid anyway.
            return ($"""
                SELECT ST_AsMVT(t.*, 'settlements', {Extent}, 'geom')
                FROM (
                    SELECT {columns},
                           ST_AsMVTGeom(ST_Transform(ST_Simplify(s.geom, @tolerance, true), 3857), ST_TileEnvelope(@z, @x, @y), {Extent}, {OutlineBufferUnits}, true) AS geom
                    {from}{where}
                ) t
                WHERE t.geom IS NOT NULL
                """, parameters);
        }
        // Points: one settlement a cell of PointCellUnits (DISTINCT ON the cell of its tile position),
        // the one with the most estimated inhabitants (ties: the lowest id), drawn with its own
        // attributes and selectable by its id. The others in the cell would be drawn under it.
        // Counts never come from tiles: the legend and totals come from /api/layers/settlements/summary,
        // which counts every matching settlement, so they stay exact.
        // The cells are aligned to the tile's edges, so neighbouring tiles share the cells along their
        // edge and, seeing all of such a cell (the margin), pick the same settlement for it: a marker
        // across the edge is drawn whole, half by each tile, never two half markers of different ones.
        return ($"""
            SELECT ST_AsMVT(t.*, 'settlements', {Extent}, 'geom')
            FROM (
                SELECT DISTINCT ON (floor(ST_X(p.geom) / {PointCellUnits}), floor(ST_Y(p.geom) / {PointCellUnits})) p.*
                FROM (
                    SELECT {columns},
                           ST_AsMVTGeom(s.point, ST_TileEnvelope(@z, @x, @y), {Extent}, {PointCellUnits}, true) AS geom
                    {from}{where}
                ) p
                WHERE p.geom IS NOT NULL
                ORDER BY floor(ST_X(p.geom) / {PointCellUnits}), floor(ST_Y(p.geom) / {PointCellUnits}), p.estimated_inhabitants DESC NULLS LAST, p.id
            ) t
            WHERE ST_X(t.geom) BETWEEN -{PointBufferUnits} AND {Extent + PointBufferUnits}
              AND ST_Y(t.geom) BETWEEN -{PointBufferUnits} AND {Extent + PointBufferUnits}
            """, parameters);
    }
}
