-- A truncated settlements table leaves no kept layer properties.
CREATE OR REPLACE FUNCTION truncate_settlement_layer_properties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE settlement_layer_properties;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS settlements_layer_properties_truncate ON settlements;
CREATE TRIGGER settlements_layer_properties_truncate AFTER TRUNCATE ON settlements
    FOR EACH STATEMENT EXECUTE FUNCTION truncate_settlement_layer_properties();
