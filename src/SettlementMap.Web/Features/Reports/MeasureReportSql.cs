using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Reports;

/// <summary>
/// The SQL of the measures report (<see cref="MeasureReportApi"/>): measures m of the plans p of the area's municipalities
/// (@municipalities, their ids), each one's status on a day from <see cref="MeasureSql.StatusOn"/>. Values only as parameters.
/// </summary>
public static class MeasureReportSql
{
    /// <summary>The measures of the area's plans.</summary>
    private const string AreaMeasures = "measures m JOIN action_plans p ON p.id = m.action_plan_id WHERE p.municipality_id = ANY(@municipalities)";

    /// <summary>The series of quarters over time goes back at most this many (20 years), from the report's day.</summary>
    public const int MaxQuarters = 80;

    /// <summary>Measures by priority area and status on @day (those recorded by then).</summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) ByStatus(IReadOnlyList<int> municipalities, DateOnly day) => (
        $"SELECT m.priority_area, {MeasureSql.StatusOn("@day")} AS status, count(*)::int FROM {AreaMeasures} " +
        $"AND {MeasureSql.StatusOn("@day")} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        [Ids(municipalities), Day(day)]);

    /// <summary>
    /// Measures by priority area and status on the last day of each quarter from the quarter of the area's earliest plan start (at
    /// most <see cref="MaxQuarters"/> back) to @day's quarter, counted on @day itself: a measure may still change after its plan's
    /// period. Nothing when the area has no plan.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) OverTime(IReadOnlyList<int> municipalities, DateOnly day) => (
        $"""
        WITH span AS (
            SELECT min(p.period_start) AS first_day FROM action_plans p WHERE p.municipality_id = ANY(@municipalities)),
        quarters AS (
            SELECT (q + interval '3 months' - interval '1 day')::date AS quarter_end
            FROM span, generate_series(date_trunc('quarter', GREATEST(span.first_day, (@day - interval '{MaxQuarters * 3 - 3} months')::date)::timestamp),
                                       date_trunc('quarter', @day::timestamp), interval '3 months') q)
        SELECT q.quarter_end, m.priority_area, {MeasureSql.StatusOn("LEAST(q.quarter_end, @day)")} AS status, count(*)::int
        FROM quarters q CROSS JOIN {AreaMeasures} AND {MeasureSql.StatusOn("LEAST(q.quarter_end, @day)")} IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """,
        [Ids(municipalities), Day(day)]);

    /// <summary>
    /// Budget planned and spent by priority area and currency (never summed across currencies), of the measures recorded by
    /// @day, as the viewer may see the amounts (<see cref="MeasureBudgets.Sql"/>): planned over those not dropped, spent over all.
    /// The amounts are the measures' current ones (their history is in measure_changes).
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Budgets(IReadOnlyList<int> municipalities, DateOnly day, Disclosure shown)
    {
        var status = MeasureSql.StatusOn("@day");
        return (
            $"SELECT m.priority_area, m.currency, count(*)::int, " +
            $"COALESCE(sum(CASE WHEN {status} <> 'dropped' THEN {MeasureBudgets.Sql(shown, "m.budget_amount")} END), 0), " +
            $"COALESCE(sum({MeasureBudgets.Sql(shown, "m.spent_amount")}), 0) " +
            $"FROM {AreaMeasures} AND m.currency IS NOT NULL AND {status} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
            [Ids(municipalities), Day(day)]);
    }

    /// <summary>
    /// For each measure done by @day that aims at an attribute, each settlement it names: the attribute's value at the end of
    /// the day it was done (settlements_as_of), at @at (the report's instant), and every later version's start and value up to
    /// @at (settlement_versions, written with each change of settlement_changes), oldest first. The attribute is the measure's
    /// own column value, read from the row as JSON: no request text reaches the SQL.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Outcomes(IReadOnlyList<int> municipalities, DateOnly day, DateTimeOffset at)
    {
        const string DoneEnd = "((m.done_on + 1)::timestamp AT TIME ZONE 'UTC' - interval '1 microsecond')";
        return (
            $"""
            SELECT m.id, p.municipality_id, mu.code, m.priority_area, m.title_latn, m.title_cyrl, m.title_en, m.target_attribute, m.target_value, m.done_on,
                   s.id, s.code, s.name_latn, s.name_cyrl,
                   (SELECT to_jsonb(t) ->> m.target_attribute FROM settlements_as_of({DoneEnd}) t WHERE t.id = s.id),
                   (SELECT to_jsonb(t) ->> m.target_attribute FROM settlements_as_of(@at) t WHERE t.id = s.id),
                   ARRAY(SELECT lower(v.valid) FROM settlement_versions v WHERE v.id = s.id AND lower(v.valid) > {DoneEnd} AND lower(v.valid) <= @at ORDER BY lower(v.valid)),
                   ARRAY(SELECT to_jsonb(v) ->> m.target_attribute FROM settlement_versions v WHERE v.id = s.id AND lower(v.valid) > {DoneEnd} AND lower(v.valid) <= @at ORDER BY lower(v.valid))
            FROM measures m JOIN action_plans p ON p.id = m.action_plan_id JOIN municipalities mu ON mu.id = p.municipality_id
            JOIN measure_settlements ms ON ms.measure_id = m.id JOIN settlements s ON s.id = ms.settlement_id
            WHERE p.municipality_id = ANY(@municipalities) AND m.target_attribute IS NOT NULL AND {MeasureSql.StatusOn("@day")} = 'done'
            ORDER BY mu.code, m.done_on, m.id, s.code
            """,
            [Ids(municipalities), Day(day), new NpgsqlParameter<DateTimeOffset>("at", NpgsqlDbType.TimestampTz) { TypedValue = at.ToUniversalTime() }]);
    }

    /// <summary>
    /// How many settlements of the filter's area lack the filter's target with no measure planned: the settlement filter's own
    /// condition (<see cref="SettlementSql.Conditions"/>, unplanned), so the count is what the map shows with that filter.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Gap(SettlementFilter filter)
    {
        var (where, parameters) = SettlementSql.Conditions(filter);
        return ($"SELECT count(*)::int FROM {SettlementSql.Joined(filter)}{where}", parameters);
    }

    private static NpgsqlParameter<int[]> Ids(IReadOnlyList<int> municipalities) =>
        new NpgsqlParameter<int[]>("municipalities", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. municipalities] };

    private static NpgsqlParameter<DateOnly> Day(DateOnly day) => new NpgsqlParameter<DateOnly>("day", NpgsqlDbType.Date) { TypedValue = day };
}
