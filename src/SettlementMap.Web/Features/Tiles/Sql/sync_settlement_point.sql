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
    INSERT INTO settlement_points (id, point, municipality_id, name_latn, name_cyrl, water_supply, sewerage,
        electricity, legal_status, flood_zone, hazard_nearby, eviction_threat, substandard_share_pct,
        estimated_inhabitants, distance_to_primary_school_m, distance_to_health_centre_m)
    VALUES (NEW.id, ST_Transform(NEW.centroid, 3857), NEW.municipality_id, NEW.name_latn, NEW.name_cyrl,
        NEW.water_supply, NEW.sewerage, NEW.electricity, NEW.legal_status, NEW.flood_zone, NEW.hazard_nearby,
        NEW.eviction_threat, NEW.substandard_share_pct, NEW.estimated_inhabitants,
        NEW.distance_to_primary_school_m, NEW.distance_to_health_centre_m)
    ON CONFLICT (id) DO UPDATE SET point = EXCLUDED.point, municipality_id = EXCLUDED.municipality_id,
        name_latn = EXCLUDED.name_latn, name_cyrl = EXCLUDED.name_cyrl, water_supply = EXCLUDED.water_supply,
        sewerage = EXCLUDED.sewerage, electricity = EXCLUDED.electricity, legal_status = EXCLUDED.legal_status,
        flood_zone = EXCLUDED.flood_zone, hazard_nearby = EXCLUDED.hazard_nearby,
        eviction_threat = EXCLUDED.eviction_threat, substandard_share_pct = EXCLUDED.substandard_share_pct,
        estimated_inhabitants = EXCLUDED.estimated_inhabitants,
        distance_to_primary_school_m = EXCLUDED.distance_to_primary_school_m,
        distance_to_health_centre_m = EXCLUDED.distance_to_health_centre_m;
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
           OR (p.point, p.municipality_id, p.name_latn, p.name_cyrl, p.water_supply, p.sewerage,
            p.electricity, p.legal_status, p.flood_zone, p.hazard_nearby, p.eviction_threat, p.substandard_share_pct,
            p.estimated_inhabitants, p.distance_to_primary_school_m, p.distance_to_health_centre_m)
           IS DISTINCT FROM (ST_Transform(s.centroid, 3857), s.municipality_id, s.name_latn, s.name_cyrl,
            s.water_supply, s.sewerage, s.electricity, s.legal_status, s.flood_zone, s.hazard_nearby,
            s.eviction_threat, s.substandard_share_pct, s.estimated_inhabitants,
            s.distance_to_primary_school_m, s.distance_to_health_centre_m));
BEGIN
    IF cardinality(stale) > 0 THEN
        UPDATE settlements SET id = id WHERE id = ANY (stale);
    END IF;
END $$;
