-- The wait before the attempt that brings a key's (decayed) count to n: none while n is within the
-- allowance, then first_delay, doubling with each further failure, never more than max_delay.
CREATE OR REPLACE FUNCTION sign_in_delay(n float8, allowance float8, first_delay float8, max_delay float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN n <= allowance THEN 0
                ELSE least(max_delay, first_delay * power(2, least(n - allowance - 1, 60))) END
$$;
