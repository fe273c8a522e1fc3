-- Takes an attempt back: one failure less under each key (the password was right, or it was never
-- checked), and forgets the key named in forget altogether (the address that gave the right password
-- for this account starts again from nothing for it). Locks in key order, as sign_in_attempt does.
CREATE OR REPLACE FUNCTION sign_in_release(keys text[], forget text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sign_in_throttle WHERE key = ANY (keys) ORDER BY key FOR UPDATE;
    UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0)
    WHERE key = ANY (keys) AND key IS DISTINCT FROM forget;
    DELETE FROM sign_in_throttle WHERE key = forget AND key = ANY (keys);
END $$;
