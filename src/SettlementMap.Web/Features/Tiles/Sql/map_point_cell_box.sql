-- The box of one point cell (map_point_cell) in EPSG:3857.
CREATE OR REPLACE FUNCTION map_point_cell_box(zoom int, cx bigint, cy bigint) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ST_MakeEnvelope(
        cx * map_point_cell_size(zoom) - 20037508.342789244, cy * map_point_cell_size(zoom) - 20037508.342789244,
        (cx + 1) * map_point_cell_size(zoom) - 20037508.342789244, (cy + 1) * map_point_cell_size(zoom) - 20037508.342789244, 3857);
