-- A truncated settlements table leaves no settlement_points.
CREATE OR REPLACE FUNCTION truncate_settlement_points() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE settlement_points;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS settlements_points_truncate ON settlements;
CREATE TRIGGER settlements_points_truncate AFTER TRUNCATE ON settlements
    FOR EACH STATEMENT EXECUTE FUNCTION truncate_settlement_points();
