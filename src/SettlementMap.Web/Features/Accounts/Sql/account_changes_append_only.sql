-- The account history is append-only, like settlement_changes: the database itself refuses to change
-- or remove it, even to hand-written SQL.
CREATE OR REPLACE FUNCTION account_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'account_changes is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS account_changes_append_only ON account_changes;
CREATE TRIGGER account_changes_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON account_changes
    FOR EACH STATEMENT EXECUTE FUNCTION account_changes_append_only();
