-- Each settlement's GeoJSON "properties" object of the settlements layer, as the JSON text row_to_json
-- writes; its keys and their order are SettlementSchema's layer output (the token: SchemaSql.SelectList).
-- The table settlement_layer_properties keeps it per settlement (written by the triggers of sync_settlement_layer_properties and
-- sync_place_layer_properties), so LayerSql.Settlements does not build 25 values of every row again at
-- each request.
CREATE OR REPLACE VIEW settlement_layer_properties_source AS
    SELECT s.id, (SELECT row_to_json(p) FROM (SELECT {{settlement_layer_columns}}) p)::text AS properties
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
