-- Keeps settlement_layer_properties in step with each written or deleted settlement.
CREATE OR REPLACE FUNCTION sync_settlement_layer_properties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM settlement_layer_properties WHERE id = OLD.id;
    ELSE
        PERFORM refresh_settlement_layer_properties(ARRAY[NEW.id]);
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS settlements_layer_properties ON settlements;
CREATE TRIGGER settlements_layer_properties AFTER INSERT OR UPDATE OR DELETE ON settlements
    FOR EACH ROW EXECUTE FUNCTION sync_settlement_layer_properties();
