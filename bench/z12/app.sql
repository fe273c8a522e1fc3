-- TileSql's own statements (statements.tsv: zoom, viewer, statement, printed by print-statements.sh), as they are
-- ("fenced", OFFSET 0) and without the OFFSET 0 (as before), as candidates "zN viewer: app[, unfenced]".
CREATE TEMP TABLE app_statements (zoom int, viewer text, statement text);
\copy app_statements FROM 'statements.tsv'
CREATE TEMP TABLE IF NOT EXISTS candidates (name text PRIMARY KEY, statement text);
INSERT INTO candidates
SELECT format('z%s %s: app', zoom, viewer), statement FROM app_statements
UNION ALL
SELECT format('z%s %s: app, unfenced', zoom, viewer), replace(statement, ' OFFSET 0 ', ' ') FROM app_statements;
-- The outline statements with another simplification tolerance, in tile units (4096 a tile) at the tile's zoom:
-- the app's is a quarter of a unit; one unit; four units (a quarter of a 256-pixel tile's pixel).
INSERT INTO candidates
SELECT format('z%s %s: app, %s', zoom, viewer, v.label),
       regexp_replace(statement, 'ST_Simplify\(s\.geom, [0-9.Ee-]+, true\)', 'ST_Simplify(s.geom, 360.0 / (1 << $1) / 4096 * ' || v.units || ', true)')
FROM app_statements, (VALUES ('one unit', '1'), ('4 units', '4')) AS v(label, units)
WHERE statement LIKE '%ST_Simplify%';
