-- Refreshing costs ~0.8 ms a position, rebuilding ~12 µs a settlement (measured at 10k and 100k):
-- past a sixty-fourth of the table, the rebuild is the cheaper.
CREATE OR REPLACE FUNCTION point_pyramid_rebuild_is_cheaper(positions bigint) RETURNS boolean
    LANGUAGE sql STABLE
    RETURN positions > greatest(64, (SELECT reltuples FROM pg_class WHERE oid = 'settlement_points'::regclass)) / 64;
