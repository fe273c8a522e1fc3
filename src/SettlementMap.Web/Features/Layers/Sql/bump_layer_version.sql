-- One counter per published table (layer_versions), bumped by every transaction that changes it: the
-- ETag of every layer and tile is built from these (Http/LayerETags), so any edit changes the ETag of
-- what it affects. Once a transaction, not once a statement: each update of the same row inside one
-- transaction leaves a row version the next has to step over, which made bulk imports slow; the ETags
-- only see committed versions anyway. The bump also notifies the channel layer_versions (delivered at
-- commit, dropped on a rollback), so the app's in-memory copy (Http/LayerVersions) is dropped when
-- anyone writes.
CREATE OR REPLACE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_layer(TG_TABLE_NAME);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS settlements_version ON settlements;
CREATE TRIGGER settlements_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settlements
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

DROP TRIGGER IF EXISTS municipalities_version ON municipalities;
CREATE TRIGGER municipalities_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

DROP TRIGGER IF EXISTS coverage_version ON coverage;
CREATE TRIGGER coverage_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON coverage
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

DROP TRIGGER IF EXISTS programmes_version ON programmes;
CREATE TRIGGER programmes_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programmes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

-- Who sees what (Features/Sensitivity): a changed level or generalisation changes every ETag of what it shapes.
DROP TRIGGER IF EXISTS attribute_levels_version ON attribute_levels;
CREATE TRIGGER attribute_levels_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attribute_levels
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

DROP TRIGGER IF EXISTS disclosure_settings_version ON disclosure_settings;
CREATE TRIGGER disclosure_settings_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON disclosure_settings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

-- Local action plans and their measures (Features/Measures): what the measures' layers and reports will be built from.
DROP TRIGGER IF EXISTS action_plans_version ON action_plans;
CREATE TRIGGER action_plans_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON action_plans
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

DROP TRIGGER IF EXISTS measures_version ON measures;
CREATE TRIGGER measures_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

DROP TRIGGER IF EXISTS measure_settlements_version ON measure_settlements;
CREATE TRIGGER measure_settlements_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measure_settlements
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();

DROP TRIGGER IF EXISTS measure_indicators_version ON measure_indicators;
CREATE TRIGGER measure_indicators_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measure_indicators
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version();
