-- The width of the point tiles' cells at a zoom, in Web Mercator metres: 16 cells a tile (16-pixel
-- cells, TileSql.PointCellUnits of its 4096-unit extent).
CREATE OR REPLACE FUNCTION map_point_cell_size(zoom int) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN 40075016.685578488 / (16 * (1::bigint << zoom));
