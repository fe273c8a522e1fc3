-- Each settlement that existed at some instant of a period, in its last state there, as rows of
-- settlements (an OGC datetime interval). Written from the catalogue (settlement_columns) each time this
-- file is applied, after every migration.
DO $$
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION settlements_during(period tstzrange) RETURNS SETOF settlements LANGUAGE sql STABLE AS $body$
            SELECT DISTINCT ON (v.id) %s FROM settlement_versions v WHERE v.valid && period ORDER BY v.id, lower(v.valid) DESC
        $body$
        $f$, settlement_columns('v.%I', false));
END $$;
