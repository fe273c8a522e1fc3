-- The median and the least of each candidate's rounds (rounds.sql, prepared.sql), per tile.
SELECT name, count(*) AS rounds, max(n) AS tiles,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms / n))::numeric, 2) AS ms_per_tile_median,
       round(min(ms / n)::numeric, 2) AS ms_per_tile_min,
       max(bytes / n) AS bytes_per_tile
FROM results GROUP BY name ORDER BY name;
