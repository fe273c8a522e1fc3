using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Coverage;

/// <summary>
/// The coverage SQL, in one place. A record covers its municipality on a day when the day lies in
/// its period (both ends inclusive; an open end is unbounded) and its count, where known, is above
/// zero. Kinds are keyed as stored ("coordinator") and programmes as "programme:&lt;code&gt;".
/// The settlements counted are today's table, or, when the request named its day (<c>settlements</c> given: the end of
/// that day, <see cref="SettlementTime"/>), the settlements of then: created since are not counted, deleted since are.
/// The day of the coverage records is @day; @as_of is the settlements' instant.
/// </summary>
public static class CoverageSql
{
    private static readonly string Active = $"""
        active AS (
        {ActiveRecords("@day")})
        """;

    /// <summary>
    /// The records that cover their municipality on the day <paramref name="day"/> (a date expression of the
    /// statement: a parameter, or a column when one statement asks about many days): municipality_id, kind_key, count.
    /// </summary>
    public static string ActiveRecords(string day) => $"""
            SELECT c.municipality_id,
                   CASE WHEN c.kind = 'programme' THEN 'programme:' || p.code ELSE c.kind END AS kind_key,
                   c.count
            FROM coverage c
            LEFT JOIN programmes p ON p.id = c.programme_id
            WHERE (c.valid_from IS NULL OR c.valid_from <= {day})
              AND (c.valid_to IS NULL OR c.valid_to >= {day})
              AND (c.count IS NULL OR c.count > 0)
        """;

    /// <summary>
    /// The kinds whose absence is "the gap" (a municipality with settlements but without one of them): the
    /// layer's gap, its legend and the gap table. Constants of the code, so the layer writes them into its SQL.
    /// </summary>
    public static IReadOnlyList<string> GapKinds { get; } = ["coordinator", "health_mediator"];

    /// <summary>What the gap tables and their CSV call the gap in place of a kind.</summary>
    public const string GapKey = "gap";

    // The layer's array of the gap kinds a municipality m lacks (null for those it has).
    private static readonly string GapKindsMissing = string.Join(",\n", GapKinds.Select(k =>
        $"        CASE WHEN NOT EXISTS (SELECT 1 FROM active a WHERE a.municipality_id = m.id AND a.kind_key = '{k}') THEN '{k}' END"));

    /// <summary>
    /// The one base of every coverage count (the figures', the legend's, the gap tables'): the municipalities with at
    /// least one settlement, each with its settlements and their estimated inhabitants as the viewer sees them.
    /// </summary>
    private static string Place(Disclosure disclosure, SettlementTime? settlements) => $"""
        place AS (
            SELECT s.municipality_id, d.code AS district_code, count(*) AS settlements, sum({SettlementSql.InhabitantsSeenBy(disclosure)}) AS inhabitants
            FROM {From(settlements)} s
            JOIN municipalities m ON m.id = s.municipality_id
            JOIN districts d ON d.id = m.district_id
            GROUP BY s.municipality_id, d.code)
        """;

    /// <summary>The coverage layer's properties (a select list over its FROM: m, d, agg, cov, gap), in order.</summary>
    private const string CoverageProperties = """
        m.code, m.name_latn, m.name_cyrl, d.code AS district_code, agg.settlement_count, agg.estimated_inhabitants,
        cov.kinds AS coverage, gap.missing <> '{}' AS gap, gap.missing AS gap_missing,
        CASE WHEN gap.missing <> '{}' THEN agg.estimated_inhabitants ELSE 0 END AS gap_inhabitants
        """;

    /// <summary>
    /// Municipalities with what covers them on a day, and the gap: settlements there but no
    /// coordinator or no health mediator, weighted by the settlements' estimated population.
    /// The settlements are today's table, or those of <paramref name="settlements"/> (a named day's: <see cref="SettlementsOf"/>).
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Layer(DateOnly asOf, int? zoom, Disclosure disclosure, SettlementTime? settlements = null)
    {
        var parameters = Parameters(asOf, settlements);
        var geometry = "m.geom";
        if (zoom is { } z)
        {
            parameters.Add(new NpgsqlParameter<double>("tolerance", NpgsqlDbType.Double) { TypedValue = Simplification.ToleranceDegrees(z) });
            geometry = "ST_Multi(ST_SimplifyPreserveTopology(m.geom, @tolerance))";
        }
        var sql = $$"""
            WITH {{Active}}
            SELECT {{GeoJsonFeatureSql.Feature("m.id", geometry, 6, GeoJsonFeatureSql.Properties(CoverageProperties))}}
            FROM municipalities m
            JOIN districts d ON d.id = m.district_id
            {{SettlementSql.MunicipalityAggregate(zeroWithoutEstimates: true, disclosure, settlements)}}
            LEFT JOIN LATERAL (
                SELECT COALESCE(json_object_agg(k.kind_key, k.total ORDER BY k.kind_key), '{}'::json) AS kinds
                FROM (SELECT a.kind_key, sum(a.count)::int AS total FROM active a WHERE a.municipality_id = m.id GROUP BY a.kind_key) k) cov ON TRUE
            LEFT JOIN LATERAL (
                SELECT CASE WHEN agg.settlement_count = 0 THEN '{}'::text[] ELSE array_remove(ARRAY[
            {{GapKindsMissing}}],
                    NULL) END AS missing) gap ON TRUE
            ORDER BY m.id
            """;
        return (sql, parameters);
    }

    /// <summary>
    /// For each kind: settlements, estimated population and municipalities (with settlements)
    /// covered and not covered on a day, nationally (district_code null) and per district; the
    /// population as <paramref name="disclosure"/>'s viewer sees it.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Figures(
        DateOnly asOf, IReadOnlyList<string> kinds, Disclosure disclosure, SettlementTime? settlements = null) =>
        ($$"""
            WITH {{Active}},
            -- Settlements summed per municipality first: each kind then marks ~160 rows, not every
            -- settlement (at 100k settlements and 9 kinds that was 900k EXISTS probes and 7.5 s).
            {{Place(disclosure, settlements)}},
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
            """,
        [.. Parameters(asOf, settlements), new NpgsqlParameter<string[]>("kinds", [.. kinds])]);

    /// <summary>
    /// The municipalities of the base (<see cref="Place"/>) lacking any of <paramref name="kinds"/> on a day (one kind,
    /// or <see cref="GapKinds"/> for the gap): names, district names, settlements, estimated inhabitants as
    /// <paramref name="disclosure"/>'s viewer sees them (null when none is seen) and the kinds missing, the most
    /// inhabitants first; the last column is the size of the base.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Gaps(
        DateOnly asOf, IReadOnlyList<string> kinds, Disclosure disclosure, SettlementTime? settlements = null) =>
        ($$"""
            WITH {{Active}},
            {{Place(disclosure, settlements)}},
            lacking AS (
                SELECT p.municipality_id, p.settlements, p.inhabitants,
                       ARRAY(SELECT k.kind_key FROM unnest(@kinds) WITH ORDINALITY AS k(kind_key, n)
                             WHERE NOT EXISTS (SELECT 1 FROM active a WHERE a.municipality_id = p.municipality_id AND a.kind_key = k.kind_key)
                             ORDER BY k.n) AS missing
                FROM place p)
            SELECT m.code, m.name_latn, m.name_cyrl, d.name_latn, d.name_cyrl, d.name_en, l.settlements::int, l.inhabitants::bigint, l.missing,
                   (SELECT count(*) FROM place)::int AS base
            FROM lacking l
            JOIN municipalities m ON m.id = l.municipality_id
            JOIN districts d ON d.id = m.district_id
            WHERE cardinality(l.missing) > 0
            ORDER BY l.inhabitants DESC NULLS LAST, l.settlements DESC, m.name_latn, m.code
            """,
        [.. Parameters(asOf, settlements), new NpgsqlParameter<string[]>("kinds", [.. kinds])]);

    /// <summary>The size of the base (<see cref="Place"/>), for a table that no municipality lacks.</summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) BaseSize(SettlementTime? settlements = null)
    {
        var parameters = new List<NpgsqlParameter>();
        settlements?.AddParameters(parameters);
        return ($"SELECT count(DISTINCT s.municipality_id)::int FROM {From(settlements)} s", parameters);
    }

    /// <summary>The settlements counted: the table (today), or those of an instant (<see cref="SettlementTime.Sql"/>).</summary>
    private static string From(SettlementTime? settlements) => settlements?.Sql ?? "settlements";

    private static List<NpgsqlParameter> Parameters(DateOnly day, SettlementTime? settlements)
    {
        var parameters = new List<NpgsqlParameter> { new NpgsqlParameter<DateOnly>("day", day) };
        settlements?.AddParameters(parameters);
        return parameters;
    }

    /// <summary>
    /// The settlements a request with <paramref name="asOf"/> counts: null (today's table, as fast as ever) when it named
    /// no day, else those at the end of that day, the instant every as_of of the settlements means.
    /// </summary>
    public static SettlementTime? SettlementsOf(DateOnly? asOf) => asOf is { } day ? SettlementTime.Instant(SettlementTime.EndOf(day)) : null;
}

public static class CoverageQueries
{
    /// <summary>The day "as of" means when none is given: today in UTC.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Every coverage kind (the fixed ones, then each programme as "programme:code"), as the figures, tables and indicators list them.</summary>
    public static async Task<List<CoverageKindInfo>> KindsAsync(Data.SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var kinds = Enum.GetValues<Data.CoverageKind>().Where(k => k != Data.CoverageKind.Programme)
            .Select(k => new CoverageKindInfo(Data.EnumText.ToText(k), Data.EnumText.ToText(k), null, null, null, null)).ToList();
        var programmes = await db.Programmes.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        kinds.AddRange(programmes.Select(p => new CoverageKindInfo("programme:" + p.Code, "programme", p.Code, p.NameEn, p.NameSrLatn, p.NameSrCyrl)));
        return kinds;
    }

    /// <summary>The records that cover their municipality on a day: in LINQ, the rule CoverageSql's "active" states in SQL.</summary>
    public static IQueryable<Data.CoverageRecord> ActiveOn(this IQueryable<Data.CoverageRecord> records, DateOnly day) =>
        records.Where(c => (c.ValidFrom == null || c.ValidFrom <= day) && (c.ValidTo == null || c.ValidTo >= day) && (c.Count == null || c.Count > 0));
}
