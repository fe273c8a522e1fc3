-- At commit, once for everything the transaction queued (queue_point_pyramid; its first queue row carries the event):
-- an EF batch of 500 single-row INSERTs or a load of 100 COPY batches
-- is one refresh or one rebuild. The lock puts pyramid updates of concurrent transactions one
-- after the other, each reading the other's committed result; it is held only until the commit.
CREATE OR REPLACE FUNCTION process_point_pyramid_queue() RETURNS trigger LANGUAGE plpgsql AS $$
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
    -- The pyramid through time: a change of settlements moves or re-weights its current version; a past
    -- version inserted (insert_settlement_version) queues its own positions.
    IF rebuild OR point_history_rebuild_is_cheaper(cardinality(queued)) THEN
        PERFORM rebuild_point_history();
    ELSE
        PERFORM refresh_point_history(queued);
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS point_pyramid_at_commit ON point_pyramid_queue;
CREATE CONSTRAINT TRIGGER point_pyramid_at_commit AFTER INSERT ON point_pyramid_queue
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.starts_transaction)
    EXECUTE FUNCTION process_point_pyramid_queue();
