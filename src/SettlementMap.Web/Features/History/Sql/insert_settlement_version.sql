-- A past state of a settlement, put into its history without touching its current state: what a survey
-- dated before the settlement's current version began says (a survey of 2015 loaded in 2027). The
-- version that holds the date is split there: it ends at the date, and the new version runs from the date
-- to where that one ended, holding the survey's values over the state it replaces. At the very date a
-- version begins, that version takes the survey's values. Before the settlement's first version (or in a
-- gap, deleted and restored), the new version runs from the date to the next version and starts from
-- that one's state. So surveys loaded in any order give the same sequence of versions.
--   survey: the columns of settlements the survey sets, as jsonb (geom as hex EWKB, dates yyyy-MM-dd,
--           closed-list values as their stored text); a column it leaves out keeps the replaced state's.
-- The current version (open, begun on or before the date) is not history: the caller updates settlements
-- instead (the trigger record_settlement_version dates it). The caller writes the audit row. The
-- settlements layer's version is bumped and the edit area logged here, as a trigger would for a write to
-- settlements, so that cached answers and tiles as of a date in the new version's period are not stale; the
-- point pyramid through time is refreshed at commit.
CREATE OR REPLACE FUNCTION insert_settlement_version(settlement_id bigint, at timestamptz, survey jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    replaced settlement_versions;
    ends timestamptz;
    stored_columns text;
    new_geom geometry;
    new_centroid geometry;
BEGIN
    -- The version holding the date, else the first one after it.
    SELECT v.* INTO replaced FROM settlement_versions v
    WHERE v.id = settlement_id AND (v.valid @> at OR lower(v.valid) > at)
    ORDER BY lower(v.valid) LIMIT 1
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'settlement % has no version at or after %: only a settlement that exists gets a past version', settlement_id, at
            USING ERRCODE = 'no_data_found';
    END IF;
    IF upper_inf(replaced.valid) AND lower(replaced.valid) <= at THEN
        RAISE EXCEPTION 'settlement % has been in its current version since %: a change dated % is a change of settlements, not history', settlement_id, lower(replaced.valid), at
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_settlement_versions_order';
    END IF;

    IF lower(replaced.valid) > at THEN
        ends := lower(replaced.valid);             -- before the first version, or in a gap
    ELSE
        ends := upper(replaced.valid);
        IF lower(replaced.valid) = at THEN
            DELETE FROM settlement_versions WHERE version_id = replaced.version_id;
        ELSE
            UPDATE settlement_versions SET valid = tstzrange(lower(valid), at) WHERE version_id = replaced.version_id;
        END IF;
    END IF;

    -- The stored columns (a generated one is computed again), as the trigger names them: a new settlement
    -- attribute needs no change here.
    stored_columns := settlement_columns('%I', true);
    EXECUTE format('INSERT INTO settlement_versions (valid, %1$s) SELECT tstzrange($1, $2), %1$s FROM jsonb_populate_record($3, $4) RETURNING geom, centroid', stored_columns)
        INTO new_geom, new_centroid USING at, ends, replaced, survey - 'version_id' - 'valid';

    -- The point pyramid through time: the cells of both versions (the current pyramid's are refreshed too, unchanged).
    PERFORM queue_point_pyramid(ARRAY[ST_Transform(replaced.centroid, 3857), ST_Transform(new_centroid, 3857)]);
    PERFORM bump_layer('settlements');
    PERFORM log_settlement_edit_box(ST_Extent(g)::box2d) FROM (VALUES (replaced.geom), (new_geom)) AS outlines(g);
END $$;
