-- The point pyramid through time (settlement_point_winners, migration PointHistory): for each cell of
-- the point tiles at a zoom, which settlement was drawn for it in each period of history. It is the
-- current pyramid's rule (refresh_point_pyramid) at every instant: a cell's winner is its settlement
-- with the most estimated inhabitants then (ties: the lowest id); at zoom 11 among the versions there,
-- above among the winners of its four children. A cell's candidates' period ends cut its time into
-- pieces in which the same candidates are valid; each piece's best wins, and consecutive pieces with
-- the same winner at the same weight make one row. Recomputes zoom z for the cells (cxs[i], cys[i]),
-- or for every cell when cxs is null; the children at z + 1 must be up to date.
CREATE OR REPLACE FUNCTION point_history_level(z int, cxs bigint[], cys bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cxs IS NULL THEN
        DELETE FROM settlement_point_winners w WHERE w.zoom = z;
    ELSE
        DELETE FROM settlement_point_winners w USING unnest(cxs, cys) c(cx, cy)
        WHERE w.zoom = z AND w.cx = c.cx AND w.cy = c.cy;
    END IF;
    INSERT INTO settlement_point_winners (zoom, cx, cy, id, estimated_inhabitants, valid, centre)
    WITH cells AS (
        SELECT DISTINCT c.cx, c.cy FROM unnest(cxs, cys) c(cx, cy)),
    candidates AS (
        SELECT map_point_cell(ST_X(p.point), z) AS cx, map_point_cell(ST_Y(p.point), z) AS cy, v.id, v.estimated_inhabitants, v.valid
        FROM settlement_versions v CROSS JOIN LATERAL (SELECT ST_Transform(v.centroid, 3857) AS point) p
        WHERE z = 11 AND cxs IS NULL
        UNION ALL
        SELECT c.cx, c.cy, v.id, v.estimated_inhabitants, v.valid
        FROM cells c JOIN settlement_versions v ON ST_Transform(v.centroid, 3857) && map_point_cell_box(z, c.cx, c.cy)
        WHERE z = 11 AND map_point_cell(ST_X(ST_Transform(v.centroid, 3857)), z) = c.cx
          AND map_point_cell(ST_Y(ST_Transform(v.centroid, 3857)), z) = c.cy
        UNION ALL
        SELECT w.cx / 2, w.cy / 2, w.id, w.estimated_inhabitants, w.valid
        FROM settlement_point_winners w
        WHERE z < 11 AND cxs IS NULL AND w.zoom = z + 1
        UNION ALL
        SELECT c.cx, c.cy, w.id, w.estimated_inhabitants, w.valid
        FROM cells c JOIN settlement_point_winners w
          ON w.zoom = z + 1 AND w.cx IN (2 * c.cx, 2 * c.cx + 1) AND w.cy IN (2 * c.cy, 2 * c.cy + 1)
        WHERE z < 11),
    bounds AS (
        SELECT DISTINCT c.cx, c.cy, b.at
        FROM candidates c CROSS JOIN LATERAL (VALUES (lower(c.valid)), (upper(c.valid))) b(at)
        WHERE b.at IS NOT NULL),
    pieces AS MATERIALIZED (
        SELECT b.cx, b.cy, b.at AS starts, lead(b.at) OVER (PARTITION BY b.cx, b.cy ORDER BY b.at) AS ends
        FROM bounds b),
    best AS (
        SELECT DISTINCT ON (p.cx, p.cy, p.starts) p.cx, p.cy, p.starts, p.ends, c.id, c.estimated_inhabitants
        FROM pieces p JOIN candidates c ON c.cx = p.cx AND c.cy = p.cy AND c.valid @> p.starts
        ORDER BY p.cx, p.cy, p.starts, c.estimated_inhabitants DESC NULLS LAST, c.id),
    breaks AS (
        SELECT b.*, (lag(b.ends) OVER w IS DISTINCT FROM b.starts OR lag(b.id) OVER w IS DISTINCT FROM b.id
                     OR lag(b.estimated_inhabitants) OVER w IS DISTINCT FROM b.estimated_inhabitants) AS breaks
        FROM best b WINDOW w AS (PARTITION BY b.cx, b.cy ORDER BY b.starts)),
    runs AS (
        SELECT b.*, count(*) FILTER (WHERE b.breaks) OVER (PARTITION BY b.cx, b.cy ORDER BY b.starts) AS run
        FROM breaks b)
    SELECT z, r.cx, r.cy, r.id, r.estimated_inhabitants,
           tstzrange(min(r.starts), CASE WHEN bool_or(r.ends IS NULL) THEN NULL ELSE max(r.ends) END),
           ST_Centroid(map_point_cell_box(z, r.cx, r.cy))
    FROM runs r
    GROUP BY r.cx, r.cy, r.run, r.id, r.estimated_inhabitants;
END $$;
