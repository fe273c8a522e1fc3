-- A renamed municipality or district, or a municipality moved to another district, changes the
-- properties of its settlements.
CREATE OR REPLACE FUNCTION sync_place_layer_properties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'municipalities' THEN
        PERFORM refresh_settlement_layer_properties(ARRAY(SELECT id FROM settlements WHERE municipality_id = NEW.id));
    ELSE
        PERFORM refresh_settlement_layer_properties(ARRAY(
            SELECT s.id FROM settlements s JOIN municipalities m ON m.id = s.municipality_id WHERE m.district_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS municipalities_layer_properties ON municipalities;
CREATE TRIGGER municipalities_layer_properties AFTER UPDATE OF code, name_latn, name_cyrl, district_id ON municipalities
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.name_latn IS DISTINCT FROM NEW.name_latn
        OR OLD.name_cyrl IS DISTINCT FROM NEW.name_cyrl OR OLD.district_id IS DISTINCT FROM NEW.district_id)
    EXECUTE FUNCTION sync_place_layer_properties();

DROP TRIGGER IF EXISTS districts_layer_properties ON districts;
CREATE TRIGGER districts_layer_properties AFTER UPDATE OF code ON districts
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION sync_place_layer_properties();
