-- The settlements as they were at an instant, as rows of settlements: each one's version valid then
-- (settlement_versions), so one deleted since is there and one created after is not. A plain SQL
-- function the planner inlines: a caller's bbox or filter reaches the indexes of settlement_versions.
-- Written from the catalogue (settlement_columns) each time this file is applied, after every migration.
DO $$
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION settlements_as_of(at timestamptz) RETURNS SETOF settlements LANGUAGE sql STABLE AS $body$
            SELECT %s FROM settlement_versions v WHERE v.valid @> at
        $body$
        $f$, settlement_columns('v.%I', false));
END $$;
