-- The time a settlement change takes effect in its history (settlement_versions): the transaction's
-- setting settlementmap.change_time when the application gave one (Features/History/ChangeTime: the audit
-- row's changed_at, or the date an imported survey describes), else now(), so a change written by hand
-- takes the transaction's start.
CREATE OR REPLACE FUNCTION settlement_change_time() RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT COALESCE(NULLIF(current_setting('settlementmap.change_time', true), '')::timestamptz, now())
$$;
