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
    PERFORM log_settlement_edit_box(extent);
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
