-- The record of exports by signed-in viewers (who exported what filter at which level) is append-only:
-- the database itself refuses to change or remove it, even to hand-written SQL.
CREATE OR REPLACE FUNCTION export_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'export_records is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS export_records_append_only ON export_records;
CREATE TRIGGER export_records_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON export_records
    FOR EACH STATEMENT EXECUTE FUNCTION export_records_append_only();
