-- Candidates :a and :b over the tiles of zoom :z: features in one only, and the largest Hausdorff distance between
-- the two geometries of a feature, in tile units (16 a pixel of a 256-pixel tile; the map draws 8 a CSS pixel).
CREATE FUNCTION pg_temp.rows_of(statement text, z int, x int, y int) RETURNS TABLE (id bigint, geom geometry) AS $$
BEGIN
  RETURN QUERY EXECUTE regexp_replace(statement, '^SELECT ST_AsMVT\(t\.\*, ''settlements'', 4096, ''geom''\) FROM', 'SELECT t.id, t.geom FROM') USING z, x, y;
END $$ LANGUAGE plpgsql;
SELECT count(DISTINCT (t.x, t.y)) AS tiles, count(*) AS features,
       count(*) FILTER (WHERE a.id IS NULL OR b.id IS NULL) AS in_one_only,
       round(max(ST_HausdorffDistance(a.geom, b.geom))::numeric, 2) AS max_hausdorff_units,
       round(avg(ST_HausdorffDistance(a.geom, b.geom))::numeric, 2) AS avg_hausdorff_units
FROM tiles t
CROSS JOIN candidates ca CROSS JOIN candidates cb
CROSS JOIN LATERAL (
  SELECT * FROM pg_temp.rows_of(ca.statement, t.z, t.x, t.y) a FULL JOIN pg_temp.rows_of(cb.statement, t.z, t.x, t.y) b USING (id)) j(id, a_geom, b_geom)
CROSS JOIN LATERAL (SELECT CASE WHEN j.a_geom IS NOT NULL THEN j.id END AS id, j.a_geom AS geom) a
CROSS JOIN LATERAL (SELECT CASE WHEN j.b_geom IS NOT NULL THEN j.id END AS id, j.b_geom AS geom) b
WHERE t.z = :z AND ca.name = :'a' AND cb.name = :'b';
