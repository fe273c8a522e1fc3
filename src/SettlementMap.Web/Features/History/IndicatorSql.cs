using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Coverage;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.History;

/// <summary>The area of a series: the whole country (both null), a district or a municipality, by code.</summary>
public sealed record IndicatorPlace(string? Municipality, string? District);

/// <summary>
/// The indicators at many dates in ONE statement: the dates are unnested, each reads its settlements with
/// settlements_as_of (the end of that UTC day) through a LATERAL join, and every indicator is an aggregate over
/// them grouped by date. Coverage on a day follows CoverageSql's rule (<see cref="CoverageSql.ActiveRecords"/>).
/// Values travel as parameters; the SQL is made of the definitions' fixed fragments only.
/// </summary>
public static class IndicatorSql
{
    public static (string Sql, List<NpgsqlParameter> Parameters) Series(
        IReadOnlyList<DateOnly> days, IndicatorPlace place, IReadOnlyList<IndicatorDefinition> indicators, Disclosure disclosure)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(place);
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(disclosure);
        var parameters = new List<NpgsqlParameter>
        {
            new NpgsqlParameter<DateOnly[]>("days", NpgsqlDbType.Array | NpgsqlDbType.Date) { TypedValue = [.. days] },
            new NpgsqlParameter<DateTimeOffset[]>("instants", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. days.Select(SettlementTime.EndOf)] },
        };
        var area = "TRUE";
        if (place.Municipality is { } municipality)
        {
            area = "m.code = @municipality";
            parameters.Add(new NpgsqlParameter<string>("municipality", municipality));
        }
        else if (place.District is { } district)
        {
            area = "d.code = @district";
            parameters.Add(new NpgsqlParameter<string>("district", district));
        }
        var kinds = indicators.Select(i => i.CoverageKind).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var select = new List<string>();
        foreach (var indicator in indicators)
        {
            var kindParameter = "kind_none";
            if (indicator.CoverageKind is { } kind)
            {
                kindParameter = "kind_" + kinds.IndexOf(kind).ToString(CultureInfo.InvariantCulture);
            }
            select.Add(indicator.Sql(new IndicatorColumns(disclosure, kindParameter)));
        }
        for (var i = 0; i < kinds.Count; i++)
        {
            parameters.Add(new NpgsqlParameter<string>("kind_" + i.ToString(CultureInfo.InvariantCulture), kinds[i]));
        }
        var sql = $"""
            WITH days AS (
                SELECT t.n, t.day, t.instant FROM unnest(@days, @instants) WITH ORDINALITY AS t(day, instant, n)),
            covered AS (
                SELECT DISTINCT days.n, a.municipality_id, a.kind_key
                FROM days CROSS JOIN LATERAL (
                {CoverageSql.ActiveRecords("days.day")}) a)
            SELECT days.n,
                   {string.Join(",\n               ", select)}
            FROM days
            LEFT JOIN LATERAL (
                SELECT s.* FROM settlements_as_of(days.instant) s {SettlementSql.PlaceJoins}
                WHERE {area}) s ON TRUE
            GROUP BY days.n
            ORDER BY days.n
            """;
        return (sql, parameters);
    }
}
