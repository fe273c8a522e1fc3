-- Where the public view shows a generalised (small) settlement: its centroid moved by between half the
-- radius and the radius (disclosure_settings.radius_m), in a direction and by a distance taken from a
-- hash of the id keyed with the database's own salt. The same point at every request, so repeating
-- requests cannot average the move away; unpredictable without the salt, so knowing the method does
-- not give the centre back. Features/Sensitivity/Disclosure.cs decides who sees it.
CREATE OR REPLACE FUNCTION disclosed_point(settlement_id bigint, centroid geometry) RETURNS geometry
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ST_SetSRID(ST_Project(
            centroid::geography,
            ds.radius_m * (0.5 + 0.5 * sqrt(('x' || substr(h.hash, 1, 8))::bit(32)::bigint / 4294967295.0)),
            2 * pi() * ('x' || substr(h.hash, 9, 8))::bit(32)::bigint / 4294967296.0)::geometry, 4326)
    FROM disclosure_settings ds
    CROSS JOIN LATERAL (SELECT md5(ds.salt || ':' || settlement_id::text) AS hash) h
    WHERE ds.id = 1
$$;
