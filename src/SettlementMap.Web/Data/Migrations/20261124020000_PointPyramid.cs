using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// A generalisation pyramid for the point tiles: settlement_points.min_zoom is the lowest zoom (0–11) at
    /// which the settlement is the one drawn for its cell, 12 if it never is below the outline zoom. The
    /// cells are the point tiles' (16 a tile, aligned to the tile grid: <c>map_point_cell</c>), and a
    /// cell's settlement is the one with the most estimated inhabitants (ties: the lowest id), so a
    /// settlement drawn at a zoom is drawn at every higher one (a cell's winner wins each smaller cell it
    /// lies in). An unfiltered point tile is then <c>min_zoom &lt;= z</c> in the tile, found in the
    /// (point, min_zoom) GiST index: a z8 tile at 100k reads ~300 rows, not ~20,000 to sort by cell
    /// (100 ms → 4 ms in psql).
    /// <para>
    /// Statement triggers keep it in step: they pass the old and new positions of the settlements a
    /// statement inserted, moved, re-weighted or deleted to <c>refresh_point_pyramid</c>, which recomputes
    /// only the cells holding those positions, from zoom 11 up (~24 cells). A statement of more than
    /// <c>1000</c> rows, or a session that set <c>settlementmap.defer_point_pyramid</c> (the scale loader,
    /// which then calls <c>rebuild_point_pyramid()</c> once), rebuilds the whole pyramid instead.
    /// </para>
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261124020000_PointPyramid")]
    public partial class PointPyramid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.Sql("""
                -- The width of the point tiles' cells at a zoom, in Web Mercator metres: 16 cells a tile (16-pixel
                -- cells, TileSql.PointCellUnits of its 4096-unit extent).
                CREATE FUNCTION map_point_cell_size(zoom int) RETURNS float8
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    RETURN 40075016.685578488 / (16 * (1::bigint << zoom));

                -- The cell of a Web Mercator coordinate at a zoom, counted from the grid's west or south edge.
                CREATE FUNCTION map_point_cell(coordinate float8, zoom int) RETURNS bigint
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    RETURN floor((coordinate + 20037508.342789244) / map_point_cell_size(zoom))::bigint;

                CREATE FUNCTION map_point_cell_box(zoom int, cx bigint, cy bigint) RETURNS geometry
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    RETURN ST_MakeEnvelope(
                        cx * map_point_cell_size(zoom) - 20037508.342789244, cy * map_point_cell_size(zoom) - 20037508.342789244,
                        (cx + 1) * map_point_cell_size(zoom) - 20037508.342789244, (cy + 1) * map_point_cell_size(zoom) - 20037508.342789244, 3857);

                ALTER TABLE settlement_points ADD COLUMN min_zoom smallint NOT NULL DEFAULT 12;

                -- The whole pyramid: the winners at zoom z are the cells' best among the winners at z + 1.
                CREATE FUNCTION rebuild_point_pyramid() RETURNS void LANGUAGE plpgsql AS $$
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

                -- The cells holding the given positions (EPSG:3857), from zoom 11 up. A cell's winner at zoom 11 is
                -- its best settlement; above, the best of its four children's winners: an affected child's as just
                -- computed, another's the one settlement there with min_zoom <= z + 1 (unchanged). Then every
                -- settlement that was or becomes a winner of such a cell gets its lowest winning zoom again.
                CREATE FUNCTION refresh_point_pyramid(positions geometry[]) RETURNS void LANGUAGE plpgsql AS $$
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

                -- What a transaction changed, kept until it commits: a statement's positions, or NULL when the
                -- statement alone calls for a rebuild. Unlogged and short-lived: its rows go at the same commit.
                CREATE UNLOGGED TABLE point_pyramid_queue (
                    xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    positions geometry[],
                    starts_transaction boolean NOT NULL DEFAULT false);
                CREATE INDEX ix_point_pyramid_queue_xact ON point_pyramid_queue (xact);

                -- Refreshing costs ~0.8 ms a position, rebuilding ~12 µs a settlement (measured at 10k and 100k):
                -- past a sixty-fourth of the table, the rebuild is the cheaper.
                CREATE FUNCTION point_pyramid_rebuild_is_cheaper(positions bigint) RETURNS boolean
                    LANGUAGE sql STABLE
                    RETURN positions > greatest(64, (SELECT reltuples FROM pg_class WHERE oid = 'settlement_points'::regclass)) / 64;

                -- After the row triggers (sync_settlement_point) have written settlement_points.
                CREATE FUNCTION settlements_point_pyramid() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    changed geometry[];
                    first boolean;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        changed := ARRAY(SELECT ST_Transform(n.centroid, 3857) FROM new_rows n);
                    ELSIF TG_OP = 'DELETE' THEN
                        changed := ARRAY(SELECT ST_Transform(o.centroid, 3857) FROM old_rows o);
                    ELSE
                        -- Only a move or a new weight changes a cell's winner. A set difference, not a join: the plan
                        -- is cached with a one-row guess for the transition tables, and a nested loop over two of
                        -- 10,000 rows took 112 s.
                        changed := ARRAY(
                            SELECT ST_Transform(ST_GeomFromEWKB(c.centroid), 3857) FROM (
                                (SELECT o.id, ST_AsEWKB(o.centroid) AS centroid, o.estimated_inhabitants FROM old_rows o
                                 EXCEPT SELECT n.id, ST_AsEWKB(n.centroid), n.estimated_inhabitants FROM new_rows n)
                                UNION ALL
                                (SELECT n.id, ST_AsEWKB(n.centroid), n.estimated_inhabitants FROM new_rows n
                                 EXCEPT SELECT o.id, ST_AsEWKB(o.centroid), o.estimated_inhabitants FROM old_rows o)) c);
                    END IF;
                    IF cardinality(changed) > 0 THEN
                        -- One commit-time event a transaction (an import of 100,000 single-row INSERTs made as many,
                        -- each of which looked for its queue rows).
                        first := current_setting('settlementmap.point_pyramid_queued', true) IS DISTINCT FROM pg_current_xact_id()::text;
                        IF first THEN
                            PERFORM set_config('settlementmap.point_pyramid_queued', pg_current_xact_id()::text, true);
                        END IF;
                        INSERT INTO point_pyramid_queue (positions, starts_transaction)
                        VALUES (CASE WHEN point_pyramid_rebuild_is_cheaper(cardinality(changed)) THEN NULL ELSE changed END, first);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER settlements_point_pyramid_insert AFTER INSERT ON settlements
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlements_point_pyramid();
                CREATE TRIGGER settlements_point_pyramid_update AFTER UPDATE ON settlements
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlements_point_pyramid();
                CREATE TRIGGER settlements_point_pyramid_delete AFTER DELETE ON settlements
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION settlements_point_pyramid();

                -- At commit, once for everything the transaction queued (its first queue row carries the event):
                -- an EF batch of 500 single-row INSERTs or a load of 100 COPY batches
                -- is one refresh or one rebuild. The lock puts pyramid updates of concurrent transactions one
                -- after the other, each reading the other's committed result; it is held only until the commit.
                CREATE FUNCTION process_point_pyramid_queue() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    rebuild boolean;
                    queued geometry[];
                BEGIN
                    -- Changes after this (SET CONSTRAINTS … IMMEDIATE fired it early) queue an event of their own.
                    PERFORM set_config('settlementmap.point_pyramid_queued', '', true);
                    WITH taken AS (DELETE FROM point_pyramid_queue WHERE xact = pg_current_xact_id() RETURNING positions)
                    SELECT bool_or(t.positions IS NULL), array_agg(p)
                    INTO rebuild, queued
                    FROM taken t LEFT JOIN LATERAL unnest(t.positions) p ON true;
                    IF rebuild IS NULL THEN
                        RETURN NULL;
                    END IF;
                    PERFORM pg_advisory_xact_lock(hashtext('settlementmap.point_pyramid'));
                    IF rebuild OR point_pyramid_rebuild_is_cheaper(cardinality(queued)) THEN
                        PERFORM rebuild_point_pyramid();
                    ELSE
                        PERFORM refresh_point_pyramid(queued);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER point_pyramid_at_commit AFTER INSERT ON point_pyramid_queue
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.starts_transaction)
                    EXECUTE FUNCTION process_point_pyramid_queue();

                SELECT rebuild_point_pyramid();
                DROP INDEX ix_settlement_points_point;
                -- btree_gist lets min_zoom sit in the GiST index beside the point; queries on the point alone use it too.
                CREATE INDEX ix_settlement_points_point_min_zoom ON settlement_points USING gist (point, min_zoom);
                ANALYZE settlement_points;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS settlements_point_pyramid_insert ON settlements;
                DROP TRIGGER IF EXISTS settlements_point_pyramid_update ON settlements;
                DROP TRIGGER IF EXISTS settlements_point_pyramid_delete ON settlements;
                DROP FUNCTION IF EXISTS settlements_point_pyramid();
                DROP TABLE IF EXISTS point_pyramid_queue;
                DROP FUNCTION IF EXISTS process_point_pyramid_queue();
                DROP FUNCTION IF EXISTS point_pyramid_rebuild_is_cheaper(bigint);
                DROP FUNCTION IF EXISTS refresh_point_pyramid(geometry[]);
                DROP FUNCTION IF EXISTS rebuild_point_pyramid();
                DROP INDEX IF EXISTS ix_settlement_points_point_min_zoom;
                ALTER TABLE settlement_points DROP COLUMN IF EXISTS min_zoom;
                CREATE INDEX IF NOT EXISTS ix_settlement_points_point ON settlement_points USING gist (point);
                DROP FUNCTION IF EXISTS map_point_cell_box(int, bigint, bigint);
                DROP FUNCTION IF EXISTS map_point_cell(float8, int);
                DROP FUNCTION IF EXISTS map_point_cell_size(int);
                """);

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,");
        }
    }
}
