-- :rounds rounds of every candidate whose name matches :pattern, in a new order each round (summary.sql: the medians).
-- A candidate named "zN ..." runs over the zN tiles, any other over the z12 tiles. For example:
-- psql -v rounds=7 -v pattern='^public' -f tiles.sql -f harness.sql -f bands.sql -f candidates.sql -f rounds.sql -f summary.sql
CREATE FUNCTION pg_temp.run_rounds(rounds int, pattern text) RETURNS void AS $$
DECLARE r int; c record; res record;
BEGIN
  FOR r IN 1..rounds LOOP
    FOR c IN SELECT name, statement FROM candidates WHERE name ~ pattern ORDER BY md5(name || r) LOOP
      res := pg_temp.time_tiles(c.statement, coalesce(substring(c.name FROM '^z(\d+) ')::int, 12));
      INSERT INTO results VALUES (r, c.name, res.ms, res.bytes, res.n);
    END LOOP;
  END LOOP;
END $$ LANGUAGE plpgsql;
SELECT pg_temp.run_rounds(:rounds, :'pattern');
