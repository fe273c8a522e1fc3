-- The columns of settlements as a list, in the table's order (its row type), each written as
-- format(pattern, name) (e.g. 'v.%I' or 'NEW.%I'); only_stored leaves out the generated ones (which
-- settlement_versions computes again). The history's functions are written from it whenever their
-- files are applied (after every migration, Database/DatabaseDefinitions), so they name every column
-- settlements has and a new attribute needs no change to them.
CREATE OR REPLACE FUNCTION settlement_columns(pattern text, only_stored boolean) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT string_agg(format(pattern, attname), ', ' ORDER BY attnum)
    FROM pg_attribute
    WHERE attrelid = 'settlements'::regclass AND attnum > 0 AND NOT attisdropped AND (NOT only_stored OR attgenerated = '')
$$;
