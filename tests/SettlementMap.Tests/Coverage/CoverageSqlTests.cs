using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Coverage;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Coverage;

/// <summary>The coverage SQL: the layer (records active on a day, the coordinator and health-mediator gap) and the figures per kind.</summary>
public sealed class CoverageSqlTests
{
    [Fact]
    public void The_coverage_layer_on_a_day()
    {
        var (sql, parameters) = CoverageSql.Layer(new DateOnly(2025, 1, 1), null, Disclosure.Everything);
        Assert.Equal("""
            WITH active AS (
                SELECT c.municipality_id,
                       CASE WHEN c.kind = 'programme' THEN 'programme:' || p.code ELSE c.kind END AS kind_key,
                       c.count
                FROM coverage c
                LEFT JOIN programmes p ON p.id = c.programme_id
                WHERE (c.valid_from IS NULL OR c.valid_from <= @day)
                  AND (c.valid_to IS NULL OR c.valid_to >= @day)
                  AND (c.count IS NULL OR c.count > 0))
            SELECT '{"type":"Feature","id":' || m.id || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW(m.geom), 6), 'null') || ',"properties":' || ((SELECT row_to_json(p) FROM (SELECT m.code, m.name_latn, m.name_cyrl, d.code AS district_code, agg.settlement_count, agg.estimated_inhabitants,
            cov.kinds AS coverage, gap.missing <> '{}' AS gap, gap.missing AS gap_missing,
            CASE WHEN gap.missing <> '{}' THEN agg.estimated_inhabitants ELSE 0 END AS gap_inhabitants) p))::text || '}'
            FROM municipalities m
            JOIN districts d ON d.id = m.district_id
            LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, COALESCE(sum(s.estimated_inhabitants), 0)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE
            LEFT JOIN LATERAL (
                SELECT COALESCE(json_object_agg(k.kind_key, k.total ORDER BY k.kind_key), '{}'::json) AS kinds
                FROM (SELECT a.kind_key, sum(a.count)::int AS total FROM active a WHERE a.municipality_id = m.id GROUP BY a.kind_key) k) cov ON TRUE
            LEFT JOIN LATERAL (
                SELECT CASE WHEN agg.settlement_count = 0 THEN '{}'::text[] ELSE array_remove(ARRAY[
                    CASE WHEN NOT EXISTS (SELECT 1 FROM active a WHERE a.municipality_id = m.id AND a.kind_key = 'coordinator') THEN 'coordinator' END,
                    CASE WHEN NOT EXISTS (SELECT 1 FROM active a WHERE a.municipality_id = m.id AND a.kind_key = 'health_mediator') THEN 'health_mediator' END],
                    NULL) END AS missing) gap ON TRUE
            ORDER BY m.id
            """, sql);
        Assert.Equal(
            [
                "day DateOnly = 2025-01-01",
            ],
            Describe(parameters));
    }

    [Fact]
    public void The_coverage_layer_simplified_for_a_zoom()
    {
        var (sql, parameters) = CoverageSql.Layer(new DateOnly(2025, 1, 1), 8, Disclosure.Everything);
        Assert.Equal("""
            WITH active AS (
                SELECT c.municipality_id,
                       CASE WHEN c.kind = 'programme' THEN 'programme:' || p.code ELSE c.kind END AS kind_key,
                       c.count
                FROM coverage c
                LEFT JOIN programmes p ON p.id = c.programme_id
                WHERE (c.valid_from IS NULL OR c.valid_from <= @day)
                  AND (c.valid_to IS NULL OR c.valid_to >= @day)
                  AND (c.count IS NULL OR c.count > 0))
            SELECT '{"type":"Feature","id":' || m.id || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Multi(ST_SimplifyPreserveTopology(m.geom, @tolerance))), 6), 'null') || ',"properties":' || ((SELECT row_to_json(p) FROM (SELECT m.code, m.name_latn, m.name_cyrl, d.code AS district_code, agg.settlement_count, agg.estimated_inhabitants,
            cov.kinds AS coverage, gap.missing <> '{}' AS gap, gap.missing AS gap_missing,
            CASE WHEN gap.missing <> '{}' THEN agg.estimated_inhabitants ELSE 0 END AS gap_inhabitants) p))::text || '}'
            FROM municipalities m
            JOIN districts d ON d.id = m.district_id
            LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, COALESCE(sum(s.estimated_inhabitants), 0)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE
            LEFT JOIN LATERAL (
                SELECT COALESCE(json_object_agg(k.kind_key, k.total ORDER BY k.kind_key), '{}'::json) AS kinds
                FROM (SELECT a.kind_key, sum(a.count)::int AS total FROM active a WHERE a.municipality_id = m.id GROUP BY a.kind_key) k) cov ON TRUE
            LEFT JOIN LATERAL (
                SELECT CASE WHEN agg.settlement_count = 0 THEN '{}'::text[] ELSE array_remove(ARRAY[
                    CASE WHEN NOT EXISTS (SELECT 1 FROM active a WHERE a.municipality_id = m.id AND a.kind_key = 'coordinator') THEN 'coordinator' END,
                    CASE WHEN NOT EXISTS (SELECT 1 FROM active a WHERE a.municipality_id = m.id AND a.kind_key = 'health_mediator') THEN 'health_mediator' END],
                    NULL) END AS missing) gap ON TRUE
            ORDER BY m.id
            """, sql);
        Assert.Equal(
            [
                "day DateOnly = 2025-01-01",
                "tolerance Double = 0.00274658203125",
            ],
            Describe(parameters));
    }

    [Fact]
    public void The_figures_of_each_kind()
    {
        var (sql, parameters) = CoverageSql.Figures(new DateOnly(2025, 1, 1), ["coordinator", "programme:romacted"], Disclosure.Everything);
        Assert.Equal("""
            WITH active AS (
                SELECT c.municipality_id,
                       CASE WHEN c.kind = 'programme' THEN 'programme:' || p.code ELSE c.kind END AS kind_key,
                       c.count
                FROM coverage c
                LEFT JOIN programmes p ON p.id = c.programme_id
                WHERE (c.valid_from IS NULL OR c.valid_from <= @day)
                  AND (c.valid_to IS NULL OR c.valid_to >= @day)
                  AND (c.count IS NULL OR c.count > 0)),
            -- Settlements summed per municipality first: each kind then marks ~160 rows, not every
            -- settlement (at 100k settlements and 9 kinds that was 900k EXISTS probes and 7.5 s).
            place AS (
                SELECT s.municipality_id, d.code AS district_code, count(*) AS settlements, sum(s.estimated_inhabitants) AS inhabitants
                FROM settlements s
                JOIN municipalities m ON m.id = s.municipality_id
                JOIN districts d ON d.id = m.district_id
                GROUP BY s.municipality_id, d.code),
            marked AS (
                SELECT k.kind_key, p.municipality_id, p.settlements, p.inhabitants, p.district_code,
                       EXISTS (SELECT 1 FROM active a WHERE a.municipality_id = p.municipality_id AND a.kind_key = k.kind_key) AS covered
                FROM unnest(@kinds) AS k(kind_key)
                CROSS JOIN place p)
            SELECT kind_key,
                   district_code,
                   COALESCE(sum(settlements) FILTER (WHERE covered), 0)::int,
                   COALESCE(sum(settlements) FILTER (WHERE NOT covered), 0)::int,
                   COALESCE(sum(inhabitants) FILTER (WHERE covered), 0)::bigint,
                   COALESCE(sum(inhabitants) FILTER (WHERE NOT covered), 0)::bigint,
                   count(*) FILTER (WHERE covered)::int,
                   count(*) FILTER (WHERE NOT covered)::int
            FROM marked
            GROUP BY GROUPING SETS ((kind_key), (kind_key, district_code))
            ORDER BY kind_key, district_code NULLS FIRST
            """, sql);
        Assert.Equal(
            [
                "day DateOnly = 2025-01-01",
                "kinds String[] = {coordinator,programme:romacted}",
            ],
            Describe(parameters));
    }
}
