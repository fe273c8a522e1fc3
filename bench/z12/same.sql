-- Do two candidates give the same tiles? Per tile: the same bytes, or else the same features (id and geometry
-- in tile units) in another order. :a and :b name candidates; rows are the tiles that differ.
CREATE FUNCTION pg_temp.features(statement text, z int, x int, y int) RETURNS text AS $$
DECLARE inner_rows text; result text;
BEGIN
  -- the rows the statement aggregates: its FROM subquery, compared as (id, geometry) sorted by id
  inner_rows := regexp_replace(statement, '^SELECT ST_AsMVT\(t\.\*, ''settlements'', 4096, ''geom''\) FROM', 'SELECT string_agg(t.id || '':'' || ST_AsText(t.geom), '','' ORDER BY t.id) FROM');
  EXECUTE inner_rows INTO result USING z, x, y;
  RETURN result;
END $$ LANGUAGE plpgsql;
CREATE FUNCTION pg_temp.tile(statement text, z int, x int, y int) RETURNS bytea AS $$
DECLARE result bytea; BEGIN EXECUTE statement INTO result USING z, x, y; RETURN result; END $$ LANGUAGE plpgsql;
SELECT t.x, t.y,
       pg_temp.tile(a.statement, t.z, t.x, t.y) = pg_temp.tile(b.statement, t.z, t.x, t.y) AS same_bytes,
       pg_temp.features(a.statement, t.z, t.x, t.y) = pg_temp.features(b.statement, t.z, t.x, t.y) AS same_features
FROM z12_tiles t, candidates a, candidates b
WHERE a.name = :'a' AND b.name = :'b'
ORDER BY 3, 4, 1, 2;
