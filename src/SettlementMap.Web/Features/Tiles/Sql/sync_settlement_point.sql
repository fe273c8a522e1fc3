-- settlement_points: each settlement's centroid in Web Mercator with the attributes the map styles and
-- filters by, and nothing else, kept in step with settlements by this row trigger (nothing else writes
-- its rows). The vector tiles below zoom 12 read it: ~60 rows share a page there, where in settlements
-- each sits beside its outline.
CREATE OR REPLACE FUNCTION sync_settlement_point() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM settlement_points WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    -- AFTER the write, so NEW.centroid (a generated column) is computed.
    -- The copied columns come from SettlementPointColumns (the schema's tile attributes and the filters' columns).
    INSERT INTO settlement_points (id, point, municipality_id, {{settlement_point_columns}})
    VALUES (NEW.id, ST_Transform(NEW.centroid, 3857), NEW.municipality_id, {{settlement_point_new_values}})
    ON CONFLICT (id) DO UPDATE SET point = EXCLUDED.point, municipality_id = EXCLUDED.municipality_id,
        {{settlement_point_updates}};
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS settlements_points ON settlements;
CREATE TRIGGER settlements_points AFTER INSERT OR UPDATE OR DELETE ON settlements
    FOR EACH ROW EXECUTE FUNCTION sync_settlement_point();

-- @refill
-- Runs whenever this file is applied (the function changed), after every file due: the settlements
-- whose point row differs from what the function copies go through their triggers again, which rewrite
-- the rows and bump the layer's version and edited areas, so tiles cached under the old columns are not
-- served. Nothing is written (and no version bumped) when none differ.
DO $$
DECLARE
    stale bigint[] := ARRAY(
        SELECT s.id FROM settlements s LEFT JOIN settlement_points p ON p.id = s.id
        WHERE p.id IS NULL
           OR (p.point, p.municipality_id, {{settlement_point_kept}})
           IS DISTINCT FROM (ST_Transform(s.centroid, 3857), s.municipality_id, {{settlement_point_sources}}));
BEGIN
    IF cardinality(stale) > 0 THEN
        UPDATE settlements SET id = id WHERE id = ANY (stale);
    END IF;
END $$;
