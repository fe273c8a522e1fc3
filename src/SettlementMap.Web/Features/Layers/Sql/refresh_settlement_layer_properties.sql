-- Writes the kept layer properties (settlement_layer_properties) of the given settlements anew from the
-- view that defines them; the triggers of sync_settlement_layer_properties and sync_place_layer_properties
-- call it.
CREATE OR REPLACE FUNCTION refresh_settlement_layer_properties(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO settlement_layer_properties
    SELECT id, properties FROM settlement_layer_properties_source WHERE id = ANY (ids)
    ON CONFLICT (id) DO UPDATE SET properties = EXCLUDED.properties;
$$;
