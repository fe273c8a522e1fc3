using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SettlementMap.Web.Data.Migrations
{
    /// <summary>
    /// sign_in_throttle: failed sign-ins counted in PostgreSQL, so every instance of the app shares them
    /// and concurrent attempts are counted one after another (the functions are in Features/Accounts/Sql/sign_in_*.sql,
    /// used by <c>SignInThrottle</c>). Only SQL: the model does not change.
    /// </summary>
    [DbContext(typeof(SettlementMapDbContext))]
    [Migration("20261203080000_SignInThrottle")]
    public partial class SignInThrottle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // This migration ran the file Features/Accounts/Sql/sign_in_throttle.sql; its text is kept here as it
            // was, since the functions now live in Features/Accounts/Sql/sign_in_*.sql (applied by DatabaseDefinitions).
            migrationBuilder.Sql("""
                -- The sign-in throttle (Features/Editing/SignInThrottle.cs), kept in PostgreSQL so that every instance
                -- of the app counts against the same rows, and counted in one locked step so that concurrent attempts
                -- cannot all read "no failures yet" before any of them writes one.
                --
                -- A key names what is counted: 'address:<IPv4 or IPv6 /64>', 'address-account:<address>|<user name>'
                -- or 'account:<user name>'. The policy of each kind (free failures, first delay, longest delay) is the
                -- app's and comes with each call, so this file holds only the arithmetic.
                --
                -- failures is a count that halves every half-life (a sliding window without a list of timestamps),
                -- as it stood at updated_at. An attempt counts as a failure from the moment it is let through; the
                -- app takes it back when the password was right or when it never got checked (sign_in_release).
                CREATE TABLE sign_in_throttle (
                    key text PRIMARY KEY,
                    failures float8 NOT NULL,
                    updated_at timestamptz NOT NULL
                );
                -- For the cleanup of rows nobody has touched for a long time.
                CREATE INDEX sign_in_throttle_updated_at ON sign_in_throttle (updated_at);

                -- A count as it stands at a later time. (The exponent stops at 64: a count of 2^-64 is nothing, and
                -- power() raises an error rather than underflow to zero.) A clock behind the last writer's sees no decay.
                CREATE FUNCTION sign_in_decayed(failures float8, updated_at timestamptz, at timestamptz, half_life float8)
                RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
                    SELECT failures * power(0.5, least(64, greatest(0, extract(epoch FROM at - updated_at)) / half_life))
                $$;

                -- The wait before the attempt that brings a key's (decayed) count to n: none while n is within the
                -- allowance, then first_delay, doubling with each further failure, never more than max_delay.
                CREATE FUNCTION sign_in_delay(n float8, allowance float8, first_delay float8, max_delay float8)
                RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
                    SELECT CASE WHEN n <= allowance THEN 0
                                ELSE least(max_delay, first_delay * power(2, least(n - allowance - 1, 60))) END
                $$;

                -- One sign-in attempt under several keys at once. Returns the seconds to wait (nothing was counted),
                -- or 0: the attempt may go ahead and now counts as one failure under every key.
                -- keys, allowances, first_delays and max_delays are parallel arrays; seconds, half_life in seconds.
                CREATE FUNCTION sign_in_attempt(keys text[], allowances float8[], first_delays float8[], max_delays float8[],
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

                -- Takes an attempt back: one failure less under each key (the password was right, or it was never
                -- checked), and forgets the key named in forget altogether (the address that gave the right password
                -- for this account starts again from nothing for it). Locks in key order, as sign_in_attempt does.
                CREATE FUNCTION sign_in_release(keys text[], forget text)
                RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1 FROM sign_in_throttle WHERE key = ANY (keys) ORDER BY key FOR UPDATE;
                    UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0)
                    WHERE key = ANY (keys) AND key IS DISTINCT FROM forget;
                    DELETE FROM sign_in_throttle WHERE key = forget AND key = ANY (keys);
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS sign_in_release(text[], text);
                DROP FUNCTION IF EXISTS sign_in_attempt(text[], float8[], float8[], float8[], float8, timestamptz);
                DROP FUNCTION IF EXISTS sign_in_delay(float8, float8, float8, float8);
                DROP FUNCTION IF EXISTS sign_in_decayed(float8, timestamptz, timestamptz, float8);
                DROP TABLE IF EXISTS sign_in_throttle;
                """);
        }
    }
}
