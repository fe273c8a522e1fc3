-- Refreshing the pyramid through time costs ~11 ms a position, rebuilding it ~110 µs a version (measured
-- at 100k settlements with 500k versions): past a hundredth of the versions, the rebuild is the cheaper.
CREATE OR REPLACE FUNCTION point_history_rebuild_is_cheaper(positions bigint) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN positions > greatest(64, (SELECT reltuples FROM pg_class WHERE oid = 'settlement_versions'::regclass)) / 100;
