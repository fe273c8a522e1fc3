-- Where the public view's extra cost is (z12), for attribution only (these variants show wrong places):
-- disclosed_point replaced by the centroid itself, and the outline test by the box test.
INSERT INTO candidates
SELECT 'z12 public: app, centroid for disclosed_point', replace(statement, 'disclosed_point(s.id, s.centroid)', 's.centroid')
FROM candidates WHERE name = 'z12 public: app'
UNION ALL
SELECT 'z12 public: app, box test for outlines', replace(statement, 'ST_Intersects(s.geom, ', '(s.geom && ')
FROM candidates WHERE name = 'z12 public: app';
