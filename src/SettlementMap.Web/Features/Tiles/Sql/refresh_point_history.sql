-- The cells of the point pyramid through time that hold the given positions (EPSG:3857), from zoom 11 up:
-- what a change of settlements or of their history at those positions can have changed.
CREATE OR REPLACE FUNCTION refresh_point_history(positions geometry[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    z int;
    cxs bigint[];
    cys bigint[];
BEGIN
    FOR z IN REVERSE 11..0 LOOP
        SELECT array_agg(c.cx), array_agg(c.cy) INTO cxs, cys
        FROM (SELECT DISTINCT map_point_cell(ST_X(p), z) AS cx, map_point_cell(ST_Y(p), z) AS cy
              FROM unnest(positions) p WHERE p IS NOT NULL) c;
        IF cxs IS NULL THEN
            RETURN;
        END IF;
        PERFORM point_history_level(z, cxs, cys);
    END LOOP;
END $$;
