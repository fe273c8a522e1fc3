-- The tiles measured: at each zoom, those of the centroids of 50 settlements spread over the ids (every 2000th),
-- as bench/SettlementMap.Bench/Workload.cs picks them (random settlements, so denser areas come up more often).
CREATE TEMP TABLE tiles AS
SELECT DISTINCT z.z,
       floor((ST_X(centroid) + 180) / 360 * (1 << z.z))::int AS x,
       floor((1 - ln(tan(radians(ST_Y(centroid))) + 1 / cos(radians(ST_Y(centroid)))) / pi()) / 2 * (1 << z.z))::int AS y
FROM settlements, (VALUES (8), (12), (14), (16)) AS z(z) WHERE id % 2000 = 7;
CREATE TEMP VIEW z12_tiles AS SELECT * FROM tiles WHERE z = 12;
