-- The cell of a Web Mercator coordinate at a zoom, counted from the grid's west or south edge.
CREATE OR REPLACE FUNCTION map_point_cell(coordinate float8, zoom int) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN floor((coordinate + 20037508.342789244) / map_point_cell_size(zoom))::bigint;
