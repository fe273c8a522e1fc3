-- As the app runs them: prepared statements (Npgsql prepares; after five runs PostgreSQL may switch to a generic
-- plan). Each candidate matching :pattern is prepared once, then run over its tiles once a round, in a new order
-- each round, :rounds rounds (summary.sql: the medians).
CREATE FUNCTION pg_temp.run_prepared(rounds int, pattern text) RETURNS void AS $$
DECLARE c record; t record; r int; started timestamptz; ms double precision; n int; tile bytea; bytes bigint;
BEGIN
  CREATE TEMP TABLE prepared_names AS
    SELECT name, 'p' || row_number() OVER (ORDER BY name) AS handle, statement FROM candidates WHERE name ~ pattern;
  FOR c IN SELECT * FROM prepared_names LOOP
    EXECUTE format('PREPARE %s(int, int, int) AS %s', c.handle, c.statement);
  END LOOP;
  FOR r IN 1..rounds LOOP
    FOR c IN SELECT * FROM prepared_names ORDER BY md5(name || r) LOOP
      ms := 0; n := 0; bytes := 0;
      FOR t IN SELECT * FROM tiles WHERE z = coalesce(substring(c.name FROM '^z(\d+) ')::int, 12) ORDER BY x, y LOOP
        started := clock_timestamp();
        EXECUTE format('EXECUTE %s(%s, %s, %s)', c.handle, t.z, t.x, t.y) INTO tile;
        ms := ms + extract(epoch FROM clock_timestamp() - started) * 1000;
        n := n + 1;
        bytes := bytes + coalesce(length(tile), 0);
      END LOOP;
      INSERT INTO results VALUES (r, c.name, ms, bytes, n);
    END LOOP;
  END LOOP;
END $$ LANGUAGE plpgsql;
SELECT pg_temp.run_prepared(:rounds, :'pattern');
