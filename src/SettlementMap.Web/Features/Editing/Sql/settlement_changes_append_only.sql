-- The audit history is append-only: the database itself refuses to change or remove it, even to
-- hand-written SQL.
CREATE OR REPLACE FUNCTION settlement_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'settlement_changes is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS settlement_changes_append_only ON settlement_changes;
CREATE TRIGGER settlement_changes_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON settlement_changes
    FOR EACH STATEMENT EXECUTE FUNCTION settlement_changes_append_only();
