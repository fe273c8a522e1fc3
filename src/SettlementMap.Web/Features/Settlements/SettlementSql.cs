using Npgsql;
using SettlementMap.Web.Features.Sensitivity;
using static SettlementMap.Web.Http.SqlConditions;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>
/// The settlement SQL every feature shares, in one place: the settlements with their municipality
/// and district, the settlement figures of a municipality, and the settlement filters' WHERE clause
/// (fixed fragments; every value travels as a parameter).
/// </summary>
public static class SettlementSql
{
    /// <summary>The joins from settlements s to its municipality m and district d.</summary>
    public const string PlaceJoins = "JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id";

    /// <summary>
    /// The FROM items every settlement filter (<see cref="Conditions"/>) reads: settlements as
    /// s, with its municipality m and district d.
    /// </summary>
    public const string SettlementsJoined = $"settlements s {PlaceJoins}";

    /// <summary>The same over settlement_points (the point tiles' table, with the columns the filters read).</summary>
    public const string SettlementPointsJoined = $"settlement_points s {PlaceJoins}";

    /// <summary>
    /// The settlements the filter reads, as s: the table, or at the filter's time the rows of settlements
    /// that history gives (their parameters are among <see cref="Conditions"/>'s).
    /// </summary>
    public static string Settlements(SettlementFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.Time is { } time ? $"{time.Sql} s" : "settlements s";
    }

    /// <summary><see cref="SettlementsJoined"/> at the filter's time.</summary>
    public static string Joined(SettlementFilter filter) => $"{Settlements(filter)} {PlaceJoins}";

    /// <summary>
    /// <see cref="SettlementPointsJoined"/> at the filter's time: history keeps no point table, so each
    /// settlement's point is its centroid, projected here.
    /// </summary>
    public static string PointsJoined(SettlementFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.Time is { } time
            ? $"(SELECT s.*, ST_Transform(s.centroid, 3857) AS point FROM {time.Sql} s) s {PlaceJoins}"
            : SettlementPointsJoined;
    }

    /// <summary>
    /// A LATERAL join after municipalities m giving agg.settlement_count and agg.estimated_inhabitants,
    /// the municipality's settlements and their summed estimate. <paramref name="zeroWithoutEstimates"/>:
    /// 0 where no settlement has an estimate (the coverage layer, which weighs its gap by it); otherwise
    /// null there (the municipalities layer and OGC collection say "not known"). The sum is of the
    /// estimates <paramref name="disclosure"/>'s viewer sees (none where hidden, not a generalised settlement's).
    /// With <paramref name="time"/>, the settlements of then (history).
    /// </summary>
    public static string MunicipalityAggregate(bool zeroWithoutEstimates, Disclosure? disclosure = null, History.SettlementTime? time = null)
    {
        var estimate = InhabitantsSeenBy(disclosure);
        if (time is not null)
        {
            // At a time, one pass over the versions valid then, grouped: a LATERAL per municipality read them all again
            // for each (100k settlements, 500k versions: 49 s against 0.35 s, psql).
            return $"""
                LEFT JOIN (
                    SELECT s.municipality_id, count(*)::int AS settlement_count, sum({estimate})::int AS estimated_inhabitants
                    FROM {time.Sql} s GROUP BY s.municipality_id) agg_then ON agg_then.municipality_id = m.id
                CROSS JOIN LATERAL (
                    SELECT COALESCE(agg_then.settlement_count, 0) AS settlement_count,
                           {(zeroWithoutEstimates ? "COALESCE(agg_then.estimated_inhabitants, 0)" : "agg_then.estimated_inhabitants")} AS estimated_inhabitants) agg
                """;
        }
        return $"""
            LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, {(zeroWithoutEstimates ? $"COALESCE(sum({estimate}), 0)" : $"sum({estimate})")}::int AS estimated_inhabitants
                FROM {time?.Sql ?? "settlements"} s WHERE s.municipality_id = m.id) agg ON TRUE
            """;
    }

    /// <summary>A settlement's estimated inhabitants over settlements s as the viewer sees them (the sums of aggregates).</summary>
    public static string InhabitantsSeenBy(Disclosure? disclosure) =>
        (disclosure ?? Disclosure.Everything).FilterSql(SettlementSchema.Find(SettlementSchema.EstimatedInhabitants)!);

    /// <summary>
    /// The settlements columns <see cref="Conditions"/> compares (besides the outline and the place codes):
    /// settlement_points copies them, so the point tiles filter without reading settlements.
    /// </summary>
    public static IReadOnlyList<string> FilterColumns { get; } =
        ["water_supply", "sewerage", "electricity", "legal_status", "flood_zone", "hazard_nearby", "eviction_threat", "estimated_inhabitants"];

    /// <summary>
    /// The WHERE clause of the settlement filters over "settlements s JOIN municipalities m JOIN
    /// districts d" (<see cref="SettlementsJoined"/>), for the layer, the summary, the tiles and the exports alike.
    /// </summary>
    public static (string Where, List<NpgsqlParameter> Parameters) Conditions(SettlementFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // Every value compared is the one the viewer sees (Disclosure): a masked attribute, a generalised settlement's point.
        var shown = filter.Shown;
        string Column(string attribute) => shown.FilterSql(SettlementSchema.Find(attribute)!);
        var where = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        filter.Time?.AddParameters(parameters);
        AddBbox(where, parameters, envelope => shown.Intersects("s.geom", envelope), filter.Bbox);
        AddEquals(where, parameters, "m.code", "municipality", filter.Municipality);
        AddEquals(where, parameters, "d.code", "district", filter.District);
        AddAny(where, parameters, Column("water_supply"), "water_supply", filter.WaterSupply);
        AddAny(where, parameters, Column("sewerage"), "sewerage", filter.Sewerage);
        AddAny(where, parameters, Column("electricity"), "electricity", filter.Electricity);
        AddAny(where, parameters, Column("legal_status"), "legal_status", filter.LegalStatus);
        AddAny(where, parameters, Column("flood_zone"), "flood_zone", filter.FloodZone);
        AddAny(where, parameters, Column("hazard_nearby"), "hazard_nearby", filter.HazardNearby);
        AddAny(where, parameters, Column("eviction_threat"), "eviction_threat", filter.EvictionThreat);
        AddBound(where, parameters, $"{Column(SettlementSchema.EstimatedInhabitants)} >= @min_inhabitants", "min_inhabitants", filter.MinInhabitants);
        AddBound(where, parameters, $"{Column(SettlementSchema.EstimatedInhabitants)} <= @max_inhabitants", "max_inhabitants", filter.MaxInhabitants);
        if (filter.Unplanned is { } unplanned)
        {
            where.Add(Unplanned(unplanned, shown, parameters));
        }
        return (Where(where), parameters);
    }

    /// <summary>
    /// "Lacking the target with no measure planned" over settlements s (<see cref="UnplannedTarget"/>), comparing the value
    /// <paramref name="shown"/>'s viewer sees; adds its parameters. The settlement filters' and the OGC items' one condition.
    /// </summary>
    public static string Unplanned(UnplannedTarget unplanned, Disclosure shown, List<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(unplanned);
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Add(new NpgsqlParameter("unplanned_target", unplanned.Target));
        parameters.Add(new NpgsqlParameter("unplanned_attribute", unplanned.Attribute));
        // An unknown (or masked) value is not known to be lacking: 'unknown' and NULL are left out. Dropped measures plan nothing.
        return $"{shown.FilterSql(SettlementSchema.Find(unplanned.Attribute)!)} NOT IN (@unplanned_target, 'unknown') AND NOT EXISTS (SELECT 1 FROM measure_settlements ms " +
            "JOIN measures mu ON mu.id = ms.measure_id WHERE ms.settlement_id = s.id AND mu.target_attribute = @unplanned_attribute AND mu.status <> 'dropped')";
    }

    /// <summary>Whether <see cref="Conditions"/> reads the municipality m or district d (else settlements s alone).</summary>
    public static bool FiltersReadPlaces(SettlementFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.Municipality is not null || filter.District is not null;
    }
}
