-- Each settlement that existed at some instant of a period, in its last state there, as rows of
-- settlements (an OGC datetime interval): its version that meets the period and has no later one that
-- does. A filter, not DISTINCT ON, so that the planner still pushes a caller's bbox or filter down to the
-- indexes of settlement_versions. Written from the catalogue (settlement_columns) each time this file is
-- applied, after every migration.
DO $$
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION settlements_during(period tstzrange) RETURNS SETOF settlements LANGUAGE sql STABLE AS $body$
            SELECT %s FROM settlement_versions v
            WHERE v.valid && period
              AND NOT EXISTS (SELECT 1 FROM settlement_versions later
                              WHERE later.id = v.id AND later.valid && period AND lower(later.valid) > lower(v.valid))
        $body$
        $f$, settlement_columns('v.%I', false));
END $$;
