-- Every state of every settlement, each valid in a period [from, to) (settlement_versions, migration
-- SettlementVersions), so that any output can answer "as of" an instant (settlements_as_of,
-- settlements_during). This file keeps that table's settlement columns the same as settlements' and
-- writes the trigger that records a version in the same transaction as each change of settlements, at
-- settlement_change_time(). Written from the catalogue (settlement_columns) each time the file is
-- applied, after every migration: a new settlement attribute needs no change here.
DO $mirror$
DECLARE
    col record;
    have text;
BEGIN
    -- 1. The mirror: a column settlements has is added here (a generated one with its expression), one
    --    whose type changed follows it; a column settlements lost stays, with its history.
    FOR col IN
        SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) AS expression
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = 'settlements'::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
    LOOP
        SELECT format_type(v.atttypid, v.atttypmod) INTO have
        FROM pg_attribute v WHERE v.attrelid = 'settlement_versions'::regclass AND v.attname = col.attname AND NOT v.attisdropped;
        IF have IS NULL AND col.attgenerated = 's' THEN
            EXECUTE format('ALTER TABLE settlement_versions ADD COLUMN %I %s GENERATED ALWAYS AS (%s) STORED', col.attname, col.type, col.expression);
        ELSIF have IS NULL THEN
            EXECUTE format('ALTER TABLE settlement_versions ADD COLUMN %I %s', col.attname, col.type);
        ELSIF have <> col.type THEN
            EXECUTE format('ALTER TABLE settlement_versions ALTER COLUMN %I TYPE %s USING %I::%s', col.attname, col.type, col.attname, col.type);
        END IF;
    END LOOP;
    --    History holds what was recorded: only the settlement, its outline and the period are required.
    FOR col IN
        SELECT v.attname FROM pg_attribute v
        WHERE v.attrelid = 'settlement_versions'::regclass AND v.attnum > 0 AND NOT v.attisdropped AND v.attnotnull
          AND v.attname NOT IN ('version_id', 'valid', 'id', 'geom') AND v.attgenerated = ''
    LOOP
        EXECUTE format('ALTER TABLE settlement_versions ALTER COLUMN %I DROP NOT NULL', col.attname);
    END LOOP;

    -- 2. The trigger function. A change dated before the open version's start would rewrite history
    --    that later changes stand on: refused (the editing API and the importer check first and say so
    --    in the user's words; an imported past survey is inserted by insert_settlement_version). Two
    --    changes at the same instant leave the later state. An UPDATE that changes nothing (the layer
    --    properties' refill touches rows with SET id = id) is no new version.
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION record_settlement_version() RETURNS trigger LANGUAGE plpgsql AS $body$
        DECLARE
            at timestamptz := settlement_change_time();
            since timestamptz;
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                SELECT lower(valid) INTO since FROM settlement_versions WHERE id = OLD.id AND upper_inf(valid);
                IF since > at THEN
                    RAISE EXCEPTION 'settlement %% changed at %% but its current version began at %%: a change may not be dated before it', OLD.id, at, since
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_settlement_versions_order';
                ELSIF since = at THEN
                    DELETE FROM settlement_versions WHERE id = OLD.id AND upper_inf(valid);
                ELSIF since IS NOT NULL THEN
                    UPDATE settlement_versions SET valid = tstzrange(since, at) WHERE id = OLD.id AND upper_inf(valid);
                END IF;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO settlement_versions (valid, %s) VALUES (tstzrange(at, NULL), %s);
            END IF;
            RETURN NULL;
        END $body$
        $f$, settlement_columns('%I', true), settlement_columns('NEW.%I', true));

END $mirror$;

DROP TRIGGER IF EXISTS settlement_versions_record ON settlements;
CREATE TRIGGER settlement_versions_record AFTER INSERT OR UPDATE OR DELETE ON settlements
    FOR EACH ROW EXECUTE FUNCTION record_settlement_version();

-- @refill
-- Once, when the table is still empty: the settlements there are, and their audit history, replayed.
-- A settlement with audit rows gets one version per created, updated or restored state (the state
-- the row recorded after it, over the settlement's current row for what the audit does not hold),
-- ending at its next row; one deleted ends there; before its first row, when that is not its creation,
-- the state the row recorded before it, since the day that state's data was collected. Its current
-- state is its row in settlements. One without audit rows has been what it is since the day its data
-- was collected (else since it was last updated).
DO $backfill$
DECLARE
    stored_columns text := settlement_columns('%I', true);
    from_record text := settlement_columns('(r.state).%I', true);
BEGIN
    IF EXISTS (SELECT 1 FROM settlement_versions) THEN
        RETURN;
    END IF;
    EXECUTE format($f$
        WITH audit AS (
            SELECT c.settlement_id, c.action, c.changed_at, c.changed_by, c.id,
                   COALESCE(c.attributes_after, c.attributes_before)::jsonb AS attributes, COALESCE(c.geom_after, c.geom_before) AS geom,
                   c.attributes_before::jsonb AS attributes_before, c.geom_before,
                   lead(c.changed_at) OVER w AS next_at, lead(c.id) OVER w IS NULL AS last, lag(c.id) OVER w IS NULL AS first
            FROM settlement_changes c
            WINDOW w AS (PARTITION BY c.settlement_id ORDER BY c.changed_at, c.id)),
        states AS (
            SELECT tstzrange(a.changed_at, a.next_at) AS valid,
                   CASE WHEN a.last AND s.id IS NOT NULL THEN s
                        ELSE jsonb_populate_record(COALESCE(s, NULL::settlements), a.attributes
                            || jsonb_build_object('id', a.settlement_id, 'geom', a.geom::text, 'updated_at', a.changed_at, 'updated_by', a.changed_by,
                                                  'municipality_id', (SELECT m.id FROM municipalities m WHERE m.code = a.attributes->>'municipality_code')))
                   END AS state
            FROM audit a LEFT JOIN settlements s ON s.id = a.settlement_id
            WHERE a.action <> 'delete' AND (a.next_at IS NULL OR a.next_at > a.changed_at)
            UNION ALL
            SELECT tstzrange((a.attributes_before->>'data_collected_on')::date::timestamptz, a.changed_at),
                   jsonb_populate_record(COALESCE(s, NULL::settlements), a.attributes_before
                       || jsonb_build_object('id', a.settlement_id, 'geom', a.geom_before::text, 'updated_at', NULL, 'updated_by', NULL,
                                             'municipality_id', (SELECT m.id FROM municipalities m WHERE m.code = a.attributes_before->>'municipality_code')))
            FROM audit a LEFT JOIN settlements s ON s.id = a.settlement_id
            WHERE a.first AND a.action <> 'create' AND a.attributes_before IS NOT NULL
              AND (a.attributes_before->>'data_collected_on')::date::timestamptz < a.changed_at),
        unaudited AS (
            SELECT tstzrange(LEAST(s.data_collected_on::timestamptz, s.updated_at), NULL) AS valid, s AS state
            FROM settlements s WHERE NOT EXISTS (SELECT 1 FROM settlement_changes c WHERE c.settlement_id = s.id))
        INSERT INTO settlement_versions (valid, %s)
        SELECT r.valid, %s FROM (SELECT * FROM states UNION ALL SELECT * FROM unaudited) r
        $f$, stored_columns, from_record);
END $backfill$;
