-- The history of who-sees-what settings is append-only: the database itself refuses to change or
-- remove it, even to hand-written SQL.
CREATE OR REPLACE FUNCTION sensitivity_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sensitivity_changes is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS sensitivity_changes_append_only ON sensitivity_changes;
CREATE TRIGGER sensitivity_changes_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON sensitivity_changes
    FOR EACH STATEMENT EXECUTE FUNCTION sensitivity_changes_append_only();
