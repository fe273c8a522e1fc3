-- The whole point pyramid through time (point_history_level), from zoom 11 up.
CREATE OR REPLACE FUNCTION rebuild_point_history() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    z int;
BEGIN
    FOR z IN REVERSE 11..0 LOOP
        PERFORM point_history_level(z, NULL, NULL);
    END LOOP;
    -- Its statistics now, not when autovacuum comes: without them the tiles' plans guessed one row a cell range.
    ANALYZE settlement_point_winners;
END $$;

-- @refill
-- Once, when history has versions but the pyramid through time has none (the migration created it
-- empty, or the history was just backfilled).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM settlement_versions) AND NOT EXISTS (SELECT 1 FROM settlement_point_winners) THEN
        PERFORM rebuild_point_history();
    END IF;
END $$;
