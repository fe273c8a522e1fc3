-- Queues positions (EPSG:3857) whose cells the point pyramids must recompute at commit
-- (process_point_pyramid_queue): the current one and the one through time. One commit-time event a
-- transaction (an import of 100,000 single-row INSERTs made as many, each of which looked for its queue
-- rows); more positions than a refresh is worth queue a rebuild instead (positions NULL).
CREATE OR REPLACE FUNCTION queue_point_pyramid(changed geometry[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    first boolean;
BEGIN
    IF cardinality(changed) > 0 THEN
        first := current_setting('settlementmap.point_pyramid_queued', true) IS DISTINCT FROM pg_current_xact_id()::text;
        IF first THEN
            PERFORM set_config('settlementmap.point_pyramid_queued', pg_current_xact_id()::text, true);
        END IF;
        INSERT INTO point_pyramid_queue (positions, starts_transaction)
        VALUES (CASE WHEN point_pyramid_rebuild_is_cheaper(cardinality(changed)) THEN NULL ELSE changed END, first);
    END IF;
END $$;
