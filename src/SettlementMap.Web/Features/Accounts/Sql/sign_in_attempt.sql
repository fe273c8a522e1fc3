-- The sign-in throttle (Features/Accounts/SignInThrottle.cs), kept in PostgreSQL (the table
-- sign_in_throttle) so that every instance of the app counts against the same rows, and counted in one
-- locked step so that concurrent attempts cannot all read "no failures yet" before any of them writes one.
--
-- A key names what is counted: 'address:<IPv4 or IPv6 /64>', 'address-account:<address>|<user name>'
-- or 'account:<user name>'. The policy of each kind (free failures, first delay, longest delay) is the
-- app's and comes with each call, so the functions hold only the arithmetic.
--
-- failures is a count that halves every half-life (a sliding window without a list of timestamps),
-- as it stood at updated_at. An attempt counts as a failure from the moment it is let through; the
-- app takes it back when the password was right or when it never got checked (sign_in_release).
--
-- One sign-in attempt under several keys at once. Returns the seconds to wait (nothing was counted),
-- or 0: the attempt may go ahead and now counts as one failure under every key.
-- keys, allowances, first_delays and max_delays are parallel arrays; seconds, half_life in seconds.
CREATE OR REPLACE FUNCTION sign_in_attempt(keys text[], allowances float8[], first_delays float8[], max_delays float8[],
                                half_life float8, at timestamptz)
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    wait float8;
BEGIN
    -- A row for each new key, then every key's row locked, always in key order: concurrent attempts
    -- under one key queue here one behind the other, and attempts that share keys cannot deadlock.
    INSERT INTO sign_in_throttle (key, failures, updated_at)
        SELECT k, 0, at FROM unnest(keys) k ORDER BY k
        ON CONFLICT (key) DO NOTHING;
    PERFORM 1 FROM sign_in_throttle WHERE key = ANY (keys) ORDER BY key FOR UPDATE;

    -- A key with a delay waits it from its last counted attempt (an instance whose clock is behind the
    -- last writer's waits a little longer); a key without one lets the attempt through at once, even if a
    -- concurrent attempt that read the clock a moment later was counted first.
    WITH policy AS (
        SELECT * FROM unnest(keys, allowances, first_delays, max_delays) AS p(key, allowance, first_delay, max_delay)),
    delay AS (
        SELECT t.updated_at, sign_in_delay(sign_in_decayed(t.failures, t.updated_at, at, half_life) + 1,
                                           p.allowance, p.first_delay, p.max_delay) AS seconds
        FROM sign_in_throttle t JOIN policy p USING (key))
    SELECT max(CASE WHEN seconds > 0 THEN extract(epoch FROM updated_at - at) + seconds ELSE 0 END) INTO wait FROM delay;
    IF wait > 0 THEN
        RETURN wait;
    END IF;

    UPDATE sign_in_throttle t
    SET failures = sign_in_decayed(t.failures, t.updated_at, at, half_life) + 1,
        updated_at = greatest(t.updated_at, at)
    WHERE t.key = ANY (keys);

    -- Keys untouched for 16 half-lives have decayed to nothing: a few are deleted at each attempt, so the
    -- table stays about as large as the keys of the last hours. SKIP LOCKED: never wait for, nor deadlock
    -- with, an attempt that holds one of them.
    DELETE FROM sign_in_throttle WHERE key IN (
        SELECT key FROM sign_in_throttle WHERE updated_at < at - make_interval(secs => 16 * half_life)
        ORDER BY updated_at LIMIT 100 FOR UPDATE SKIP LOCKED);
    RETURN 0;
END $$;
