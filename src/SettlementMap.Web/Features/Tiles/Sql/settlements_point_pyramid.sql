-- After the row triggers (sync_settlement_point) have written settlement_points.
CREATE OR REPLACE FUNCTION settlements_point_pyramid() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed geometry[];
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
    PERFORM queue_point_pyramid(changed);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS settlements_point_pyramid_insert ON settlements;
CREATE TRIGGER settlements_point_pyramid_insert AFTER INSERT ON settlements
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlements_point_pyramid();

DROP TRIGGER IF EXISTS settlements_point_pyramid_update ON settlements;
CREATE TRIGGER settlements_point_pyramid_update AFTER UPDATE ON settlements
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlements_point_pyramid();

DROP TRIGGER IF EXISTS settlements_point_pyramid_delete ON settlements;
CREATE TRIGGER settlements_point_pyramid_delete AFTER DELETE ON settlements
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION settlements_point_pyramid();
