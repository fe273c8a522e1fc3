-- Vertex counts of the outlines in the measured tiles: stored, simplified as the tile statement did at 04dffc0
-- (a quarter of a tile unit, in degrees), at a quarter pixel (4 units) in Web Mercator, and after
-- ST_AsMVTGeom snapped them to the z12 grid (what a tile carries).
WITH s AS (
  SELECT DISTINCT s.id, s.geom FROM z12_tiles t JOIN settlements s
    ON s.geom && ST_Transform(ST_TileEnvelope(t.z, t.x, t.y, margin => 64.0 / 4096), 4326))
SELECT count(*) AS outlines,
       round(avg(ST_NPoints(geom)), 1) AS stored,
       round(avg(ST_NPoints(ST_Simplify(geom, 360.0 / 4096 / 4096 / 4, true))), 1) AS old_quarter_unit,
       round(avg(ST_NPoints(ST_Simplify(ST_Transform(geom, 3857), 40075016.68 / 4096 / 4096, true))), 1) AS one_unit_3857,
       round(avg(ST_NPoints(ST_Simplify(ST_Transform(geom, 3857), 40075016.68 / 4096 / 4096 * 4, true))), 1) AS quarter_px_3857,
       round(avg(ST_NPoints(ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(12, 0, 0), 4096, 64, false))), 1) AS mvt_grid_z12,
       round(avg(ST_NPoints(ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(14, 0, 0), 4096, 64, false))), 1) AS mvt_grid_z14
FROM s;
