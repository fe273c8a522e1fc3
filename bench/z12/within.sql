-- Candidates :a (before) and :b (after) over the zoom :z tiles, as the tile test asserts them: a feature in one
-- only is smaller than a 256-pixel tile's pixel (256 units²), and each feature in both lies within a pixel
-- (16 units) of its other geometry (each covered by the other's 16-unit buffer).
CREATE FUNCTION pg_temp.rows_of(statement text, z int, x int, y int) RETURNS TABLE (id bigint, geom geometry) AS $$
BEGIN
  RETURN QUERY EXECUTE regexp_replace(statement, '^SELECT ST_AsMVT\(t\.\*, ''settlements'', 4096, ''geom''\) FROM', 'SELECT t.id, t.geom FROM') USING z, x, y;
END $$ LANGUAGE plpgsql;
SELECT count(*) AS features,
       count(*) FILTER (WHERE j.a IS NULL OR j.b IS NULL) AS in_one_only,
       max(ST_Area(coalesce(j.a, j.b))) FILTER (WHERE j.a IS NULL OR j.b IS NULL) AS largest_in_one_only,
       count(*) FILTER (WHERE NOT (ST_Covers(ST_Buffer(j.a, 16), j.b) AND ST_Covers(ST_Buffer(j.b, 16), j.a))) AS farther_than_a_pixel,
       count(*) FILTER (WHERE NOT (ST_Covers(ST_Buffer(j.a, 8), j.b) AND ST_Covers(ST_Buffer(j.b, 8), j.a))) AS farther_than_half_a_pixel
FROM tiles t
CROSS JOIN candidates ca CROSS JOIN candidates cb
CROSS JOIN LATERAL (
  SELECT id, a.geom AS a, b.geom AS b FROM pg_temp.rows_of(ca.statement, t.z, t.x, t.y) a FULL JOIN pg_temp.rows_of(cb.statement, t.z, t.x, t.y) b USING (id)) j
WHERE t.z = :z AND ca.name = :'a' AND cb.name = :'b';
