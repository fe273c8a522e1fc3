-- Bumps one published table's counter in layer_versions, once a transaction (see bump_layer_version.sql,
-- the trigger that calls it for every table). A write that changes what a layer shows without touching
-- its table calls it itself: a past survey inserted into settlement_versions (insert_settlement_version)
-- changes what the settlements layer answers as of a date.
CREATE OR REPLACE FUNCTION bump_layer(layer_name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A transaction-local setting remembers the bump (and is undone with it on a rollback).
    IF current_setting('settlementmap.bumped_' || layer_name, true) IS DISTINCT FROM 'yes' THEN
        UPDATE layer_versions SET version = version + 1 WHERE layer = layer_name;
        PERFORM set_config('settlementmap.bumped_' || layer_name, 'yes', true);
        PERFORM pg_notify('layer_versions', layer_name);
    END IF;
END $$;
