using SettlementMap.Web.Features.Import;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Import;

/// <summary>The import's batch check: one statement, every row's values as array parameters.</summary>
public sealed class ImportSqlTests
{
    [Fact]
    public void One_statement_checks_a_batch_of_rows()
    {
        using var command = ImportSql.CheckCommand([(1, "A-1", 7, [1, 2]), (2, "A-2", null, null)], repair: true);
        var (sql, parameters) = (command.CommandText, command.Parameters.ToList());
        Assert.Equal("""
            WITH input AS (
                SELECT u.n, u.code, u.municipality_id,
                       CASE WHEN u.wkb IS NULL THEN NULL ELSE ST_GeomFromWKB(u.wkb, 4326) END AS geom
                FROM unnest(@n, @code, @wkb, @municipality_id) AS u(n, code, wkb, municipality_id)),
            checked AS (
                SELECT i.*, s.id AS settlement_id, s.municipality_id AS current_municipality_id,
                       (SELECT lower(v.valid) FROM settlement_versions v WHERE v.id = s.id AND upper_inf(v.valid)) AS current_since,
                       ST_IsValid(i.geom) AS valid
                FROM input i LEFT JOIN settlements s ON s.code = i.code),
            fixed AS (
                SELECT c.*,
                       CASE WHEN c.valid IS FALSE THEN ST_IsValidReason(c.geom) END AS invalid_reason,
                       CASE WHEN c.valid IS FALSE AND @repair THEN ST_Multi(ST_CollectionExtract(ST_MakeValid(c.geom), 3))
                            WHEN c.valid IS FALSE THEN NULL
                            ELSE c.geom END AS outline
                FROM checked c),
            placed AS (
                SELECT f.*, COALESCE(f.municipality_id, f.current_municipality_id,
                       (SELECT m.id FROM municipalities m
                        WHERE f.outline IS NOT NULL AND ST_Covers(m.geom, ST_PointOnSurface(f.outline)) ORDER BY m.id LIMIT 1)) AS target_municipality_id
                FROM fixed f),
            margins AS MATERIALIZED (
                SELECT m.id, ST_Buffer(m.geom, @tolerance) AS geom
                FROM municipalities m WHERE m.id IN (SELECT target_municipality_id FROM placed))
            SELECT p.n, p.settlement_id, p.current_municipality_id, p.target_municipality_id, p.invalid_reason,
                   CASE WHEN p.valid IS FALSE AND p.outline IS NOT NULL THEN ST_AsBinary(p.outline) END AS repaired,
                   CASE WHEN p.outline IS NULL OR ST_IsEmpty(p.outline) OR b.id IS NULL THEN NULL ELSE ST_Covers(b.geom, p.outline) END AS inside,
                   (SELECT s.code FROM settlements s
                    WHERE p.outline IS NOT NULL AND NOT ST_IsEmpty(p.outline) AND s.code <> p.code
                      AND ST_Intersects(s.geom, p.outline) AND (ST_Equals(s.geom, p.outline) OR ST_Area(ST_Intersection(s.geom, p.outline)::geography) > greatest(@overlap_m2, @overlap_share * ST_Area(p.outline::geography)))
                    ORDER BY s.id LIMIT 1) AS overlaps,
                   (SELECT q.n FROM placed q
                    WHERE p.outline IS NOT NULL AND NOT ST_IsEmpty(p.outline) AND q.n < p.n AND q.outline IS NOT NULL AND NOT ST_IsEmpty(q.outline)
                      AND q.code <> p.code AND ST_Intersects(q.outline, p.outline) AND (ST_Equals(q.outline, p.outline) OR ST_Area(ST_Intersection(q.outline, p.outline)::geography) > greatest(@overlap_m2, @overlap_share * ST_Area(p.outline::geography)))
                    ORDER BY q.n LIMIT 1) AS overlaps_row,
                   p.current_since
            FROM placed p LEFT JOIN margins b ON b.id = p.target_municipality_id
            """, sql);
        Assert.Equal(
            [
                "n Int64[] = {1,2}",
                "code String[] = {A-1,A-2}",
                "wkb Bytea[] = {\\x0102,NULL}",
                "municipality_id Integer[] = {7,NULL}",
                "repair Boolean = True",
                "tolerance Double = 0.0005",
                "overlap_m2 Double = 10",
                "overlap_share Double = 0.01",
            ],
            Describe(parameters));
    }
}
