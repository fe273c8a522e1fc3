-- Like settlement_changes: the database itself refuses to change or remove the coverage history.
CREATE OR REPLACE FUNCTION coverage_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'coverage_changes is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS coverage_changes_append_only ON coverage_changes;
CREATE TRIGGER coverage_changes_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON coverage_changes
    FOR EACH STATEMENT EXECUTE FUNCTION coverage_changes_append_only();
