-- Logs a box (lon/lat) where the current version of the settlements layer changed, in EPSG:3857, merged
-- with that version's earlier boxes (see log_settlement_edit_area.sql, the triggers that call it for
-- every statement on settlements). A write that changes settlements as of some date without touching
-- the table calls it itself (insert_settlement_version), after bumping the layer's version.
CREATE OR REPLACE FUNCTION log_settlement_edit_box(extent box2d) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    area geometry;
    current bigint;
BEGIN
    -- Within Web Mercator's latitudes, then projected.
    area := ST_Transform(ST_MakeEnvelope(
        greatest(ST_XMin(extent), -180), greatest(ST_YMin(extent), -85.06),
        least(ST_XMax(extent), 180), least(ST_YMax(extent), 85.06), 4326), 3857);
    SELECT version INTO current FROM layer_versions WHERE layer = 'settlements';
    INSERT INTO settlement_edit_areas (version, min_x, min_y, max_x, max_y)
    VALUES (current, ST_XMin(area), ST_YMin(area), ST_XMax(area), ST_YMax(area))
    ON CONFLICT (version) DO UPDATE SET
        min_x = least(settlement_edit_areas.min_x, EXCLUDED.min_x), min_y = least(settlement_edit_areas.min_y, EXCLUDED.min_y),
        max_x = greatest(settlement_edit_areas.max_x, EXCLUDED.max_x), max_y = greatest(settlement_edit_areas.max_y, EXCLUDED.max_y);
    IF current % 1000 = 0 THEN
        DELETE FROM settlement_edit_areas WHERE version <= current - 1000;
    END IF;
END $$;
