-- Times a tile statement ($1 z, $2 x, $3 y) over every tile of the zoom in tiles (tiles.sql), in this session:
-- total ms and bytes, and the number of tiles.
CREATE OR REPLACE FUNCTION pg_temp.time_tiles(statement text, zoom int, OUT ms double precision, OUT bytes bigint, OUT n int) AS $$
DECLARE
  t record;
  started timestamptz;
  tile bytea;
BEGIN
  ms := 0; bytes := 0; n := 0;
  FOR t IN SELECT * FROM tiles WHERE tiles.z = zoom ORDER BY x, y LOOP
    started := clock_timestamp();
    EXECUTE statement INTO tile USING t.z, t.x, t.y;
    ms := ms + extract(epoch FROM clock_timestamp() - started) * 1000;
    bytes := bytes + coalesce(length(tile), 0);
    n := n + 1;
  END LOOP;
END $$ LANGUAGE plpgsql;
-- Where rounds.sql and prepared.sql put their timings, for summary.sql.
CREATE TEMP TABLE results (round int, name text, ms double precision, bytes bigint, n int);
