-- As the app runs them: prepared statements (Npgsql prepares; after five runs PostgreSQL may switch to a generic
-- plan). Each candidate matching :pattern is prepared once and run over its tiles :rounds times (summary.sql: the medians).
CREATE FUNCTION pg_temp.run_prepared(rounds int, pattern text) RETURNS void AS $$
DECLARE c record; t record; r int; i int := 0; started timestamptz; ms double precision; n int; tile bytea; bytes bigint;
BEGIN
  FOR c IN SELECT name, statement FROM candidates WHERE name ~ pattern ORDER BY name LOOP
    i := i + 1;
    EXECUTE format('PREPARE p%s(int, int, int) AS %s', i, c.statement);
    FOR r IN 1..rounds LOOP
      ms := 0; n := 0; bytes := 0;
      FOR t IN SELECT * FROM tiles WHERE z = coalesce(substring(c.name FROM '^z(\d+) ')::int, 12) ORDER BY x, y LOOP
        started := clock_timestamp();
        EXECUTE format('EXECUTE p%s(%s, %s, %s)', i, t.z, t.x, t.y) INTO tile;
        ms := ms + extract(epoch FROM clock_timestamp() - started) * 1000;
        n := n + 1;
        bytes := bytes + coalesce(length(tile), 0);
      END LOOP;
      INSERT INTO results VALUES (r, c.name, ms, bytes, n);
    END LOOP;
  END LOOP;
END $$ LANGUAGE plpgsql;
SELECT pg_temp.run_prepared(:rounds, :'pattern');
