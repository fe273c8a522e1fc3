-- TileSql's own statements (statements.tsv: zoom, viewer, statement, written by print-statements.sh) as candidates
-- "zN viewer: app", and variants of them:
--   ", unfenced"       without the subquery's OFFSET 0 (ST_AsMVTGeom then runs twice a row);
--   ", <k> units"      outlines simplified by k tile units (4096 a tile) at the tile's zoom instead of the app's;
--   "zN viewer: before" both, as main was at 04dffc0: unfenced and a quarter unit.
CREATE TEMP TABLE app_statements (zoom int, viewer text, statement text);
\copy app_statements FROM 'statements.tsv'
CREATE TEMP TABLE IF NOT EXISTS candidates (name text PRIMARY KEY, statement text);
CREATE FUNCTION pg_temp.tolerance(statement text, units text) RETURNS text AS $$
  SELECT regexp_replace(statement, 'ST_Simplify\(s\.geom, [0-9.Ee-]+, true\)', 'ST_Simplify(s.geom, 360.0 / (1 << $1) / 4096 * ' || units || ', true)')
$$ LANGUAGE sql;
INSERT INTO candidates
SELECT format('z%s %s: app', zoom, viewer), statement FROM app_statements
UNION ALL
SELECT format('z%s %s: app, unfenced', zoom, viewer), replace(statement, ' OFFSET 0 ', ' ') FROM app_statements
UNION ALL
SELECT format('z%s %s: before', zoom, viewer), pg_temp.tolerance(replace(statement, ' OFFSET 0 ', ' '), '0.25') FROM app_statements
UNION ALL
SELECT format('z%s %s: app, %s', zoom, viewer, v.label), pg_temp.tolerance(statement, v.units)
FROM app_statements, (VALUES ('quarter unit', '0.25'), ('one unit', '1'), ('4 units', '4')) AS v(label, units)
WHERE statement LIKE '%ST_Simplify%';
