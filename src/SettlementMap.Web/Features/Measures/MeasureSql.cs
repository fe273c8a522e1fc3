namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// SQL over measures m for what is asked of them over time (the map's layer, the reports): built from the status days
/// on the row (see <see cref="Data.Measure"/>). Holds no request value: the day is the caller's parameter.
/// </summary>
public static class MeasureSql
{
    /// <summary>
    /// The status a measure had at the end of the day <paramref name="dayParameter"/> (a date parameter, e.g. "@day"):
    /// planned from the day it was recorded, then in progress, done or dropped from those days; NULL before it was recorded.
    /// </summary>
    public static string StatusOn(string dayParameter) =>
        $"CASE WHEN m.dropped_on <= {dayParameter} THEN 'dropped' WHEN m.done_on <= {dayParameter} THEN 'done' " +
        $"WHEN m.started_on <= {dayParameter} THEN 'in_progress' WHEN (m.created_at AT TIME ZONE 'UTC')::date <= {dayParameter} THEN 'planned' END";
}
