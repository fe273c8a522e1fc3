-- settlement_edit_areas: where each version of the settlements layer changed, as a box in EPSG:3857
-- (the old and new outlines of the rows a statement wrote), so that a vector tile's ETag can follow only
-- the edits that reach it (Http/EditAreas): after a coordinator's edit in Niš, the tiles of Belgrade stay
-- cached. The triggers are named after settlements_version (triggers fire in name order), so they fire
-- after its bump and read the transaction's version; a TRUNCATE logs the whole world. One row a version:
-- its statements' boxes are merged. The log keeps 1,000 to 2,000 versions: pruned once a thousand, so the
-- floor every untouched tile's ETag names moves once a thousand edits, not at each.
CREATE OR REPLACE FUNCTION log_settlement_edit_area() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    extent box2d;
    area geometry;
    current bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT ST_Extent(n.geom) INTO extent FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT ST_Extent(o.geom) INTO extent FROM old_rows o;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT ST_Extent(g) INTO extent FROM (SELECT n.geom AS g FROM new_rows n UNION ALL SELECT o.geom FROM old_rows o) rows;
    ELSE -- TRUNCATE: everything
        extent := ST_MakeBox2D(ST_MakePoint(-180, -85.06), ST_MakePoint(180, 85.06));
    END IF;
    IF extent IS NULL THEN
        RETURN NULL; -- no rows: nothing changed
    END IF;
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
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS settlements_version_area_insert ON settlements;
CREATE TRIGGER settlements_version_area_insert AFTER INSERT ON settlements
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_settlement_edit_area();

DROP TRIGGER IF EXISTS settlements_version_area_update ON settlements;
CREATE TRIGGER settlements_version_area_update AFTER UPDATE ON settlements
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_settlement_edit_area();

DROP TRIGGER IF EXISTS settlements_version_area_delete ON settlements;
CREATE TRIGGER settlements_version_area_delete AFTER DELETE ON settlements
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION log_settlement_edit_area();

DROP TRIGGER IF EXISTS settlements_version_area_truncate ON settlements;
CREATE TRIGGER settlements_version_area_truncate AFTER TRUNCATE ON settlements
    FOR EACH STATEMENT EXECUTE FUNCTION log_settlement_edit_area();
