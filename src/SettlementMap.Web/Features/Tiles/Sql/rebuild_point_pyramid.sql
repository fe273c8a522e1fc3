-- The whole pyramid: the winners at zoom z are the cells' best among the winners at z + 1.
CREATE OR REPLACE FUNCTION rebuild_point_pyramid() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    z int;
BEGIN
    CREATE TEMPORARY TABLE point_pyramid_rebuild (id int PRIMARY KEY, min_zoom smallint NOT NULL) ON COMMIT DROP;
    INSERT INTO point_pyramid_rebuild SELECT id, 12 FROM settlement_points;
    FOR z IN REVERSE 11..0 LOOP
        UPDATE point_pyramid_rebuild r SET min_zoom = z
        FROM (
            SELECT DISTINCT ON (map_point_cell(ST_X(s.point), z), map_point_cell(ST_Y(s.point), z)) s.id
            FROM settlement_points s JOIN point_pyramid_rebuild c ON c.id = s.id AND c.min_zoom <= z + 1
            ORDER BY map_point_cell(ST_X(s.point), z), map_point_cell(ST_Y(s.point), z),
                     s.estimated_inhabitants DESC NULLS LAST, s.id
        ) w
        WHERE r.id = w.id;
    END LOOP;
    UPDATE settlement_points s SET min_zoom = r.min_zoom
    FROM point_pyramid_rebuild r WHERE r.id = s.id AND r.min_zoom <> s.min_zoom;
    DROP TABLE point_pyramid_rebuild;
END $$;
