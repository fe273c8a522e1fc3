-- A count as it stands at a later time. (The exponent stops at 64: a count of 2^-64 is nothing, and
-- power() raises an error rather than underflow to zero.) A clock behind the last writer's sees no decay.
CREATE OR REPLACE FUNCTION sign_in_decayed(failures float8, updated_at timestamptz, at timestamptz, half_life float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT failures * power(0.5, least(64, greatest(0, extract(epoch FROM at - updated_at)) / half_life))
$$;
