-- The cells holding the given positions (EPSG:3857), from zoom 11 up. A cell's winner at zoom 11 is
-- its best settlement; above, the best of its four children's winners: an affected child's as just
-- computed, another's the one settlement there with min_zoom <= z + 1 (unchanged). Then every
-- settlement that was or becomes a winner of such a cell gets its lowest winning zoom again.
CREATE OR REPLACE FUNCTION refresh_point_pyramid(positions geometry[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    z int;
    cell record;
    cell_keys text[] := '{}';
    cell_winners int[] := '{}';
    candidates int[];
    winner int;
    touched int[] := '{}';
    settlement record;
    at int;
    new_min_zoom smallint;
BEGIN
    FOR z IN REVERSE 11..0 LOOP
        FOR cell IN
            SELECT DISTINCT map_point_cell(ST_X(p), z) AS cx, map_point_cell(ST_Y(p), z) AS cy
            FROM unnest(positions) p WHERE p IS NOT NULL
        LOOP
            -- The winners before (a moved settlement may show twice: it is recomputed anyway).
            touched := touched || ARRAY(
                SELECT s.id FROM settlement_points s
                WHERE s.point && map_point_cell_box(z, cell.cx, cell.cy) AND s.min_zoom <= z::smallint
                  AND map_point_cell(ST_X(s.point), z) = cell.cx AND map_point_cell(ST_Y(s.point), z) = cell.cy);
            IF z = 11 THEN
                candidates := ARRAY(
                    SELECT s.id FROM settlement_points s
                    WHERE s.point && map_point_cell_box(z, cell.cx, cell.cy)
                      AND map_point_cell(ST_X(s.point), z) = cell.cx AND map_point_cell(ST_Y(s.point), z) = cell.cy);
            ELSE
                candidates := ARRAY(
                    SELECT s.id FROM settlement_points s
                    WHERE s.point && map_point_cell_box(z, cell.cx, cell.cy) AND s.min_zoom <= (z + 1)::smallint
                      AND map_point_cell(ST_X(s.point), z) = cell.cx AND map_point_cell(ST_Y(s.point), z) = cell.cy
                      AND array_position(cell_keys, concat_ws('/', z + 1, map_point_cell(ST_X(s.point), z + 1), map_point_cell(ST_Y(s.point), z + 1))) IS NULL)
                  || ARRAY(
                    SELECT cell_winners[array_position(cell_keys, concat_ws('/', z + 1, 2 * cell.cx + d.dx, 2 * cell.cy + d.dy))]
                    FROM (VALUES (0, 0), (0, 1), (1, 0), (1, 1)) d(dx, dy));
            END IF;
            SELECT s.id INTO winner FROM settlement_points s WHERE s.id = ANY (candidates)
            ORDER BY s.estimated_inhabitants DESC NULLS LAST, s.id LIMIT 1;
            cell_keys := cell_keys || concat_ws('/', z, cell.cx, cell.cy);
            cell_winners := cell_winners || winner;
            IF winner IS NOT NULL THEN
                touched := touched || winner;
            END IF;
        END LOOP;
    END LOOP;

    FOR settlement IN
        SELECT s.id, s.point, s.min_zoom FROM settlement_points s WHERE s.id = ANY (touched)
    LOOP
        new_min_zoom := 12;
        FOR z IN 0..11 LOOP
            at := array_position(cell_keys, concat_ws('/', z, map_point_cell(ST_X(settlement.point), z), map_point_cell(ST_Y(settlement.point), z)));
            IF (at IS NOT NULL AND cell_winners[at] IS NOT DISTINCT FROM settlement.id)
               OR (at IS NULL AND settlement.min_zoom <= z) THEN
                new_min_zoom := z;
                EXIT;
            END IF;
        END LOOP;
        IF new_min_zoom <> settlement.min_zoom THEN
            UPDATE settlement_points SET min_zoom = new_min_zoom WHERE id = settlement.id;
        END IF;
    END LOOP;
END $$;
