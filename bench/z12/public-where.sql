-- Where the public view's extra cost is (z12): its outline test ST_Intersects on the full outline, against the
-- bounding-box test alone (what ST_AsMVTGeom's clipping leaves of a box-only match is nothing, so the same features).
INSERT INTO candidates
SELECT 'z12 public: app, box test for outlines', replace(statement, 'ST_Intersects(s.geom, ', '(s.geom && ')
FROM candidates WHERE name = 'z12 public: app';
