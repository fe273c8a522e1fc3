-- Like settlement_changes: the database itself refuses to change or remove the history of plans and measures.
CREATE OR REPLACE FUNCTION measure_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'measure_changes is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS measure_changes_append_only ON measure_changes;
CREATE TRIGGER measure_changes_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON measure_changes
    FOR EACH STATEMENT EXECUTE FUNCTION measure_changes_append_only();
