-- Each settlement's GeoJSON "properties" object of the settlements layer, as the JSON text row_to_json
-- writes: the one definition of its keys and their order. The table settlement_layer_properties keeps it
-- per settlement (written by the triggers of sync_settlement_layer_properties and
-- sync_place_layer_properties), so LayerSql.Settlements does not build 25 values of every row again at
-- each request.
CREATE OR REPLACE VIEW settlement_layer_properties_source AS
    SELECT s.id, (SELECT row_to_json(p) FROM (SELECT s.id, s.code, s.name_latn, s.name_cyrl,
        m.code AS municipality_code, m.name_latn AS municipality_name_latn, m.name_cyrl AS municipality_name_cyrl,
        d.code AS district_code, s.settlement_type, s.location_class, s.estimated_inhabitants, s.households,
        s.main_building_material, s.substandard_share_pct, s.legal_status, s.water_supply, s.sewerage,
        s.electricity, s.heating, s.distance_to_primary_school_m, s.distance_to_health_centre_m,
        s.flood_zone, s.hazard_nearby, s.eviction_threat, s.source) p)::text AS properties
    FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id;

-- @refill
-- Runs whenever this file is applied (the view changed), after every file due: the settlements whose
-- kept properties differ from the view's go through their triggers again, which write them anew and
-- bump the settlements layer's version, so no client keeps a layer cached under the old properties.
-- Nothing is written (and no version bumped) when none differ.
DO $$
DECLARE
    stale bigint[] := ARRAY(
        SELECT v.id FROM settlement_layer_properties_source v LEFT JOIN settlement_layer_properties k ON k.id = v.id
        WHERE k.properties IS DISTINCT FROM v.properties);
BEGIN
    IF cardinality(stale) > 0 THEN
        UPDATE settlements SET id = id WHERE id = ANY (stale);
    END IF;
END $$;
