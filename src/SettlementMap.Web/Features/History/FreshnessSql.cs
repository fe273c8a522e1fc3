using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.History;

/// <summary>
/// How fresh the settlements' data is, in SQL. A settlement was last updated when its current version in
/// settlement_versions began: that is the audit row's changed_at for an edit or an import (ChangeTime makes them
/// equal), and the day a survey describes for one imported with its date, so a survey of 2015 loaded today is
/// five years old, not fresh. (settlements.updated_at says when the row was written, which for such a survey is
/// today.) Who made it is the latest audit row's account (else the row's updated_by); its role is "import" when
/// the change came from an import, the account's role (administrator, coordinator) otherwise, "system" when no
/// account made it (the demo loader, the command line). The date and the role are shown as the viewer sees
/// updated_at (<see cref="Disclosure"/>); account names only to administrators.
/// </summary>
public static class FreshnessSql
{
    private static AttributeDefinition UpdatedAt => SettlementSchema.Find("updated_at")!;

    /// <summary>
    /// latest: one row per current settlement s (over settlements s): id, municipality_id, since (timestamptz), role and
    /// by (the account name: null unless <paramref name="names"/>).
    /// </summary>
    private static string Latest(Disclosure disclosure, bool names) => $"""
        latest AS (
            SELECT s.id, s.code, s.name_latn, s.name_cyrl, s.municipality_id,
                   {disclosure.Sql(UpdatedAt, "lower(v.valid)")} AS since,
                   {disclosure.Sql(UpdatedAt, RoleSql)} AS role,
                   {(names ? "COALESCE(c.changed_by, s.updated_by)" : "NULL::text")} AS by_name
            FROM settlements s
            JOIN settlement_versions v ON v.id = s.id AND upper_inf(v.valid)
            LEFT JOIN LATERAL (
                SELECT c.changed_by, c.note FROM settlement_changes c
                WHERE c.settlement_id = s.id ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) c ON TRUE
            LEFT JOIN users u ON u.user_name = COALESCE(c.changed_by, s.updated_by))
        """;

    // The import's audit note is a constant of the importer, not of the request: written into the SQL as a literal.
    private static readonly string RoleSql =
        $"CASE WHEN starts_with(c.note, '{ImportRunner.AuditNotePrefix.Replace("'", "''", StringComparison.Ordinal)}') THEN 'import' " +
        "WHEN u.role IS NOT NULL THEN u.role ELSE 'system' END";

    /// <summary>A timestamptz as the UTC day it falls on ("2024-05-31"): freshness is counted in days.</summary>
    private static string Day(string expression) => $"to_char({expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD')";

    private static string PerMunicipality => """
        per AS (
            SELECT l.municipality_id, count(*)::int AS settlement_count,
                   max(l.since) AS last_updated, min(l.since) AS oldest_updated,
                   count(*) FILTER (WHERE l.since < @stale_before)::int AS stale_count,
                   count(*) FILTER (WHERE l.since IS NULL)::int AS undated_count,
                   (array_agg(l.role ORDER BY l.since DESC NULLS LAST, l.id DESC))[1] AS last_updated_role,
                   (array_agg(l.by_name ORDER BY l.since DESC NULLS LAST, l.id DESC))[1] AS last_updated_by
            FROM latest l
            GROUP BY l.municipality_id)
        """;

    /// <summary>The properties of a municipality (over per p, municipalities m, districts d), in order; last_updated_by only with names.</summary>
    private static string Properties(bool names) =>
        $"""
        m.code, m.name_latn, m.name_cyrl, d.code AS district_code, d.name_latn AS district_name_latn, d.name_cyrl AS district_name_cyrl,
        d.name_en AS district_name_en, p.settlement_count, {Day("p.last_updated")} AS last_updated, p.last_updated_role,
        {(names ? "p.last_updated_by, " : "")}p.stale_count, p.undated_count, {Day("p.oldest_updated")} AS oldest_updated
        """;

    private static List<NpgsqlParameter> Parameters(DateTimeOffset staleBefore) =>
        [new NpgsqlParameter<DateTimeOffset>("stale_before", NpgsqlDbType.TimestampTz) { TypedValue = staleBefore.ToUniversalTime() }];

    /// <summary>
    /// The municipalities with settlements, each a GeoJSON Feature (its outline simplified for <paramref name="zoom"/>)
    /// with its freshness; settlements last updated before <paramref name="staleBefore"/> are stale.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Layer(DateTimeOffset staleBefore, int zoom, Disclosure disclosure)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        var names = ShowsNames(disclosure);
        var parameters = Parameters(staleBefore);
        parameters.Add(new NpgsqlParameter<double>("tolerance", NpgsqlDbType.Double) { TypedValue = Simplification.ToleranceDegrees(zoom) });
        var geometry = "ST_Multi(ST_SimplifyPreserveTopology(m.geom, @tolerance))";
        var sql = $"""
            WITH {Latest(disclosure, names)},
            {PerMunicipality}
            SELECT {GeoJsonFeatureSql.Feature("m.id", geometry, 6, GeoJsonFeatureSql.Properties(Properties(names)))}
            FROM per p
            JOIN municipalities m ON m.id = p.municipality_id
            JOIN districts d ON d.id = m.district_id
            ORDER BY m.id
            """;
        return (sql, parameters);
    }

    /// <summary>
    /// The same municipalities as rows (<see cref="FreshnessRow"/>'s columns: <see cref="Properties"/>), the stalest first:
    /// the most stale settlements, then the oldest last update.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Table(DateTimeOffset staleBefore, Disclosure disclosure)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        var names = ShowsNames(disclosure);
        var sql = $"""
            WITH {Latest(disclosure, names)},
            {PerMunicipality}
            SELECT {Properties(names)}
            FROM per p
            JOIN municipalities m ON m.id = p.municipality_id
            JOIN districts d ON d.id = m.district_id
            ORDER BY p.stale_count DESC, p.last_updated NULLS FIRST, m.name_latn, m.code
            """;
        return (sql, Parameters(staleBefore));
    }

    /// <summary>
    /// The settlements of <paramref name="municipalityIds"/> (all when null) last updated before <paramref name="staleBefore"/>,
    /// the oldest first, at most <paramref name="limit"/>: id, code, names, municipality code and names, last update (UTC day), role, by.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Stale(DateTimeOffset staleBefore, Disclosure disclosure, int[]? municipalityIds, int limit)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        var parameters = Parameters(staleBefore);
        parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var place = "";
        if (municipalityIds is not null)
        {
            parameters.Add(new NpgsqlParameter<int[]>("municipalities", municipalityIds));
            place = "AND l.municipality_id = ANY(@municipalities)";
        }
        var sql = $"""
            WITH {Latest(disclosure, ShowsNames(disclosure))}
            SELECT l.id, l.code, l.name_latn, l.name_cyrl, m.code, m.name_latn, m.name_cyrl, {Day("l.since")}, l.role, l.by_name,
                   count(*) OVER ()::int
            FROM latest l
            JOIN municipalities m ON m.id = l.municipality_id
            WHERE l.since < @stale_before {place}
            ORDER BY l.since, l.id
            LIMIT @limit
            """;
        return (sql, parameters);
    }

    /// <summary>Account names are for administrators only; everyone else learns the role.</summary>
    public static bool ShowsNames(Disclosure disclosure)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        return disclosure.Viewer.Level == Clearance.Administrators && disclosure.ShowsEverywhere(UpdatedAt);
    }

    /// <summary>The threshold's instant: <paramref name="days"/> whole days before <paramref name="now"/>.</summary>
    public static DateTimeOffset StaleBefore(DateTimeOffset now, int days) => now.ToUniversalTime().AddDays(-days);
}
