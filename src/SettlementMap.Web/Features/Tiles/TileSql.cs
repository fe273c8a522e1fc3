using Npgsql;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;

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
    /// Below <see cref="OutlineMinZoom"/>, one point a cell of this many tile units: 16 pixels of a
    /// 256-pixel tile, so markers stand apart and show where settlements are dense. The map draws each
    /// tile at 512 pixels one zoom out (wwwroot/js/app.js), so its cells are 32 pixels on screen.
    /// 8-pixel cells drew a carpet of touching markers: a z10 view at 100k drew ~19,000 of them
    /// and stalled zooms for up to 300 ms a frame.
    /// The database's <c>map_point_cell</c> and the pyramid in settlement_points.min_zoom (migration
    /// PointPyramid) are built on this size: changing it needs a migration that rebuilds them.
    /// </summary>
    public const int PointCellUnits = 256;

    /// <summary>Point cells across a tile: <c>map_point_cell</c>'s 16.</summary>
    public const int PointCellsPerTile = Extent / PointCellUnits;

    /// <summary>
    /// Points are drawn this far beyond the tile's edge (8 pixels: a selected marker's radius and
    /// stroke), so the neighbour tile draws the rest of a marker that straddles the edge.
    /// </summary>
    private const int PointBufferUnits = 128;

    /// <summary>Outlines are clipped this far beyond the tile's edge (4 pixels), so no clip edge shows.</summary>
    private const int OutlineBufferUnits = 64;

    /// <summary>
    /// Tiles of this zoom and above are drawn enlarged: the map asks for none finer than z16 and stretches
    /// those up to 4x at the base layer's zoom 19 (wwwroot/js/tile-layer.js: maxNativeZoom 17, zoomOffset -1).
    /// </summary>
    private const int OverzoomedFromZoom = 16;

    /// <summary>
    /// How far ST_Simplify may move an outline, in degrees of longitude: up to a quarter of a 256-pixel tile's pixel (4 units;
    /// north–south in Serbia up to 1.45x that), half a pixel of the 512 the map draws a tile at, the bound the layer keeps
    /// (Geo/Simplification) and far less than a selected outline's stroke. Vertices are most of an outline tile's cost: a
    /// quarter unit, as before, left 90 of an outline's 112 (z12 at 100k, bench/z12) where 4 units leave 17, and a tile
    /// took 2-2.7x as long. Tiles the map enlarges keep the quarter unit, so they stay as sharp when stretched.
    /// </summary>
    private static double OutlineToleranceDegrees(int z) => 360.0 / (1L << z) / Extent * (z < OverzoomedFromZoom ? 4 : 0.25);

    public static (string Sql, List<NpgsqlParameter> Parameters) Settlements(int z, int x, int y, SettlementFilter filter)
    {
        var (where, parameters) = SettlementSql.Conditions(filter);
        parameters.Add(new NpgsqlParameter<int>("z", z));
        parameters.Add(new NpgsqlParameter<int>("x", x));
        parameters.Add(new NpgsqlParameter<int>("y", y));
        var shown = filter.Shown;
        var attributes = shown.TileSelectList();
        var points = z < OutlineMinZoom;
        // Points come from settlement_points (the centroids in Web Mercator with the styled and filtered
        // attributes, ~60 a page; migration SettlementPoints): in settlements each sits beside its outline
        // and a z8 tile read ~11,000 pages. A whole cell of margin around the tile, so a cell across the
        // edge has the same winner in both tiles.
        // As of an instant, the pyramid through time (settlement_point_winners) gives the same winners; over a
        // period, the winners are found as for a filter.
        var unfiltered = where.Length == 0 && filter.Time is null or { IsInstant: true };
        // A generalised settlement (public view) is drawn at its displaced point, up to the radius from its
        // centroid: the points searched reach that much farther, and the drawing drops those outside the buffer.
        var pointEnvelope = $"ST_TileEnvelope(@z, @x, @y, margin => {(unfiltered ? PointBufferUnits : PointCellUnits)}.0 / {Extent})";
        var searched = shown.Generalises ? $"ST_Expand({pointEnvelope}, {MapDisclosure.ReachMercator(shown)})" : pointEnvelope;
        var tileFilter = points
            ? $"s.point && {searched}"
            : OutlineTileFilter(shown);
        where = where.Length == 0 ? " WHERE " + tileFilter : where + " AND " + tileFilter;
        var from = "FROM " + (points ? SettlementSql.PointsJoined(filter) : SettlementSql.Joined(filter));
        if (z >= OutlineMinZoom)
        {
            parameters.Add(new NpgsqlParameter<double>("tolerance", OutlineToleranceDegrees(z)));
            // ST_Simplify with preserveCollapsed keeps tiny outlines as they are; it does not guard
            // topology like ST_SimplifyPreserveTopology (3-4x slower), and need not: within half a screen
            // pixel a self-touching ring is invisible, and ST_AsMVTGeom validates polygons after snapping
            // them to the tile grid anyway. A generalised settlement is its displaced point.
            var outline = shown.Geometry("ST_Transform(ST_Simplify(s.geom, @tolerance, true), 3857)", srid: 3857);
            return (Mvt(attributes, $"ST_AsMVTGeom({outline}, ST_TileEnvelope(@z, @x, @y), {Extent}, {OutlineBufferUnits}, true)",
                from + where), parameters);
        }
        // Points: one settlement a cell of PointCellUnits, the one with the most estimated inhabitants (ties:
        // the lowest id), drawn with its own attributes and selectable by its id; the others in the cell would be
        // drawn under it. Counts never come from tiles: the legend and totals come from
        // /api/layers/settlements/summary, which counts every matching settlement, so they stay exact.
        // The cells are the grid's (map_point_cell, migration PointPyramid), so neighbouring tiles share the
        // cells along their edge and pick the same settlement for each: a marker across the edge is drawn
        // whole, half by each tile, never two half markers of different ones.
        var shownPoint = shown.Geometry("s.point", "ST_Transform(s.point, 4326)", 3857);
        var point = $"ST_AsMVTGeom({shownPoint}, ST_TileEnvelope(@z, @x, @y), {Extent}, {PointBufferUnits}, true)";
        if (unfiltered)
        {
            // The precomputed winners (settlement_points.min_zoom) in the (point, min_zoom) GiST index.
            // The pyramid was built from the true centroids and estimates, for every viewer. In the public
            // view a generalised settlement that wins a cell is drawn at its displaced point, so what it can
            // tell is (a) that the centroid lies in the cell it won, a cell of 16 pixels at that zoom (at
            // z11 about 1.2 km of Web Mercator, some 0.85 km on the ground in Serbia: not finer than the
            // radius's disc, and which cell is not shown: only that one of the cells the disc touches), and
            // (b) that it had more estimated inhabitants than the others of that cell (all of them still
            // below the threshold when it is generalised). It cannot tell the outline, the centroid within
            // its cell or an estimate's value. The filtered path below gives nothing of either away: its
            // cells are the displaced points' and it ranks by the estimate as the viewer sees it.
            parameters.Add(new NpgsqlParameter<short>("z_cells", (short)z));
            if (filter.Time is null)
            {
                return (Mvt(attributes, point, $"{from}{where} AND s.min_zoom <= @z_cells"), parameters);
            }
            // As of an instant: the winners then of the cells whose centre lies within half a cell of where
            // points are searched, each joined to its version valid then by id; the drawing drops those outside
            // the buffer. No condition on the versions' points: with one, the generic plan Npgsql's prepared
            // statement gets after five runs began from the versions in the tile and probed the winners for each
            // (z8 at 100k: 5-10 s, against ~5 ms from the winners).
            return (Mvt(attributes, point, $"""
                {from}
                JOIN settlement_point_winners w ON w.id = s.id
                WHERE w.zoom = @z_cells AND w.valid @> @as_of AND w.centre && ST_Expand({searched}, map_point_cell_size(@z) / 2)
                """), parameters);
        }
        // A filter decides which settlements compete: the winners are found here, among those in the cells
        // the tile touches (the whole of each edge cell: the margin).
        if (shown.Generalises)
        {
            var inhabitants = shown.Sql(SettlementSchema.Find(SettlementSchema.EstimatedInhabitants)!);
            return (Mvt(attributes, point, $"""
                FROM (
                    SELECT DISTINCT ON (map_point_cell(ST_X(c.point), @z), map_point_cell(ST_Y(c.point), @z)) c.id
                    FROM (SELECT s.id, {shownPoint} AS point, {inhabitants} AS inhabitants {from}{where}) c
                    ORDER BY map_point_cell(ST_X(c.point), @z), map_point_cell(ST_Y(c.point), @z), c.inhabitants DESC NULLS LAST, c.id
                ) w
                JOIN {SettlementSql.PointsJoined(filter)} ON s.id = w.id
                """), parameters);
        }
        return (Mvt(attributes, point, $"""
            FROM (
                SELECT DISTINCT ON (map_point_cell(ST_X(s.point), @z), map_point_cell(ST_Y(s.point), @z)) s.id
                {from}{where}
                ORDER BY map_point_cell(ST_X(s.point), @z), map_point_cell(ST_Y(s.point), @z), s.estimated_inhabitants DESC NULLS LAST, s.id
            ) w
            JOIN {SettlementSql.PointsJoined(filter)} ON s.id = w.id
            """), parameters);
    }

    /// <summary>
    /// The outlines that reach the tile (and its buffer); in the public view a generalised settlement only
    /// when its displaced point does, so no tile tells where its outline is.
    /// </summary>
    private static string OutlineTileFilter(Disclosure shown)
    {
        var margin = $"ST_TileEnvelope(@z, @x, @y, margin => {OutlineBufferUnits}.0 / {Extent})";
        var envelope = $"ST_Transform({margin}, 4326)";
        if (!shown.Generalises)
        {
            return $"s.geom && {envelope}";
        }
        // The box widened by the radius first, alone: with only the OR of Intersects the planner looped over every
        // municipality and read the outline index once each (z12 at 100k: ~100 ms; ~45 ms with this, EXPLAIN ANALYZE).
        return $"s.geom && ST_Transform(ST_Expand({margin}, {MapDisclosure.ReachMercator(shown)}), 4326) AND {shown.Intersects("s.geom", envelope)}";
    }

    /// <summary>
    /// The tile: the styling attributes the viewer sees (<paramref name="attributes"/>) and <paramref name="geometry"/> (in tile units) of the rows
    /// <paramref name="rows"/> (a FROM ... WHERE over settlements or settlement_points as s, with m and d)
    /// gives, those outside the tile's buffer dropped. The id stays a property (not the MVT feature id)
    /// so the page reads it like the other attributes.
    /// OFFSET 0 keeps the subquery from being flattened: flattened, PostgreSQL computed ST_AsMVTGeom twice a
    /// row, once for "t.geom IS NOT NULL" in the scan's filter and again for ST_AsMVT (EXPLAIN VERBOSE). Computed
    /// once, a z12 outline tile at 100k took 1.6x less time, with the same features (bench/z12, bench/RESULTS.md).
    /// </summary>
    private static string Mvt(string attributes, string geometry, string rows) => $"""
        SELECT ST_AsMVT(t.*, 'settlements', {Extent}, 'geom')
        FROM (
            SELECT {attributes}, {geometry} AS geom
            {rows}
            OFFSET 0
        ) t
        WHERE t.geom IS NOT NULL
        """;
}
