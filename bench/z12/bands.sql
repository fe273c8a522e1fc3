-- Candidate stored outlines, in a temporary table of this session only (the database is read-only to us):
-- the outlines reaching the measured tiles, pre-transformed to Web Mercator and pre-simplified for the z12-13 band.
-- One z12 tile unit is 40075016.685578488 / 2^12 / 4096 = 2.388657 m; a 256-pixel tile's pixel is 16 units.
CREATE TEMP TABLE band AS
SELECT s.id,
       ST_Simplify(ST_Transform(s.geom, 3857), 2.388657 / 4, true) AS quarter_unit,  -- what tiles use now, in 3857
       ST_Simplify(ST_Transform(s.geom, 3857), 2.388657, true) AS one_unit,
       ST_Simplify(ST_Transform(s.geom, 3857), 2.388657 * 4, true) AS quarter_px,
       -- snapped to the z12 unit grid (its origin is the tile grid's), repeated points dropped, then a unit's simplification
       ST_Simplify(ST_RemoveRepeatedPoints(ST_SnapToGrid(ST_Transform(s.geom, 3857), -20037508.342789244, -20037508.342789244, 2.388657, 2.388657)), 2.388657, true) AS snapped_unit
FROM settlements s
WHERE s.id IN (SELECT DISTINCT s.id FROM z12_tiles t JOIN settlements s
               ON s.geom && ST_Transform(ST_Expand(ST_TileEnvelope(t.z, t.x, t.y, margin => 64.0 / 4096), 1000), 4326));
ALTER TABLE band ADD PRIMARY KEY (id);
ANALYZE band;
