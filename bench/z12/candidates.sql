-- The tile statements compared ($1 z, $2 x, $3 y), public view (what anonymous wrk requests get) and administrator.
-- "now" is TileSql's z12 statement as it stood at 04dffc0 (before this work: flattened, a quarter unit), both disclosures.
CREATE TEMP TABLE candidates (name text PRIMARY KEY, statement text);
DO $$
DECLARE
  pub_list text := 's.id, s.name_latn, s.name_cyrl, m.code AS municipality_code, CASE WHEN COALESCE(s.estimated_inhabitants < 100, TRUE) THEN NULL ELSE s.estimated_inhabitants END AS estimated_inhabitants, CASE WHEN s.estimated_inhabitants < 100 THEN 100 END AS estimated_inhabitants_below, s.substandard_share_pct::float8 AS substandard_share_pct, s.water_supply, s.sewerage, s.distance_to_primary_school_m, s.distance_to_health_centre_m';
  adm_list text := 's.id, s.name_latn, s.name_cyrl, m.code AS municipality_code, s.estimated_inhabitants, s.residents_without_documents, s.substandard_share_pct::float8 AS substandard_share_pct, s.legal_status, s.water_supply, s.sewerage, s.electricity, s.distance_to_primary_school_m, s.distance_to_health_centre_m';
  pub_where text := 'FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE s.geom && ST_Transform(ST_Expand(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 1000), 4326) AND (s.geom && ST_Expand(ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326), 0.009091) AND ((NOT COALESCE(s.estimated_inhabitants < 100, TRUE) AND ST_Intersects(s.geom, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326))) OR (COALESCE(s.estimated_inhabitants < 100, TRUE) AND ST_Intersects(disclosed_point(s.id, s.centroid), ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)))))';
  adm_where text := 'FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE s.geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)';
  env text := 'ST_TileEnvelope($1, $2, $3)';
  now_outline text := 'ST_Transform(ST_Simplify(s.geom, 360.0 / (1 << $1) / 4096 / 4, true), 3857)';
  unit_outline text := 'ST_Transform(ST_Simplify(s.geom, 360.0 / (1 << $1) / 4096, true), 3857)';
  qpx_outline text := 'ST_Transform(ST_Simplify(s.geom, 360.0 / (1 << $1) / 4096 * 4, true), 3857)';
  pt text := 'ST_Transform(disclosed_point(s.id, s.centroid), 3857)';
  v record;
BEGIN
  FOR v IN SELECT * FROM (VALUES
    ('now', now_outline, 'true', ''),
    ('now, quarter px in degrees', qpx_outline, 'true', ''),
    ('now, one unit in degrees', unit_outline, 'true', ''),
    ('band quarter unit', 'b.quarter_unit', 'true', ' JOIN band b ON b.id = s.id'),
    ('band one unit', 'b.one_unit', 'true', ' JOIN band b ON b.id = s.id'),
    ('band quarter px', 'b.quarter_px', 'true', ' JOIN band b ON b.id = s.id'),
    ('band snapped, one unit', 'b.snapped_unit', 'true', ' JOIN band b ON b.id = s.id'),
    ('now, clip only across edge', now_outline, 'NOT (s.geom @ ST_Transform(' || env || ', 4326))', ''),
    ('band one unit, clip only across edge', 'b.one_unit', 'NOT (b.one_unit @ ' || env || ')', ' JOIN band b ON b.id = s.id')
  ) AS c(name, outline, clip, band_join)
  -- ", fenced": OFFSET 0 keeps the subquery whole, so ST_AsMVTGeom runs once a row; flattened, PostgreSQL computes
  -- it for "WHERE t.geom IS NOT NULL" in the scan's filter and again for ST_AsMVT's argument (EXPLAIN VERBOSE).
  CROSS JOIN (VALUES (''), (' OFFSET 0')) AS f(fence) LOOP
    INSERT INTO candidates VALUES
      ('admin: ' || v.name || CASE WHEN v.fence = '' THEN '' ELSE ', fenced' END, format('SELECT ST_AsMVT(t.*, ''settlements'', 4096, ''geom'') FROM (SELECT %s, ST_AsMVTGeom(%s, %s, 4096, 64, %s) AS geom %s%s) t WHERE t.geom IS NOT NULL',
         adm_list, v.outline, env, v.clip, replace(adm_where, ' WHERE ', v.band_join || ' WHERE '), v.fence)),
      ('public: ' || v.name || CASE WHEN v.fence = '' THEN '' ELSE ', fenced' END, format('SELECT ST_AsMVT(t.*, ''settlements'', 4096, ''geom'') FROM (SELECT %s, ST_AsMVTGeom(CASE WHEN COALESCE(s.estimated_inhabitants < 100, TRUE) THEN %s ELSE %s END, %s, 4096, 64, %s) AS geom %s%s) t WHERE t.geom IS NOT NULL',
         pub_list, pt, v.outline, env, v.clip, replace(pub_where, ' WHERE ', v.band_join || ' WHERE '), v.fence));
  END LOOP;
END $$;
