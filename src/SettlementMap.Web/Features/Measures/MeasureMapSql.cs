using Npgsql;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// The SQL of the measures' map layer: one point Feature per (measure, settlement) at the settlement's point as the viewer
/// is shown it (<see cref="Disclosure.Geometry"/>: a generalised settlement's displaced point, never its centroid), and
/// for a measure naming no settlement one point on its municipality's polygon. Properties carry no amount and no target.
/// The measures come as ids (read with <see cref="MeasureFilter"/>): the request's values are parameters only.
/// </summary>
public static class MeasureMapSql
{
    private const string Properties = """
        m.id AS measure_id, m.status, m.priority_area, m.title_latn, m.title_cyrl, m.title_en,
        mu.code AS municipality_code, s.id AS settlement_id, s.code AS settlement_code, s.name_latn AS settlement_name_latn, s.name_cyrl AS settlement_name_cyrl
        """;

    public static (string Sql, List<NpgsqlParameter> Parameters) Layer(long[] measureIds, Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(measureIds);
        ArgumentNullException.ThrowIfNull(shown);
        // The feature's id names the pair: "measure/settlement", or "measure/" for a measure on its municipality.
        var id = "to_json(m.id::text || '/' || COALESCE(s.code, ''))::text";
        var geometry = $"CASE WHEN s.id IS NULL THEN ST_PointOnSurface(mu.geom) ELSE {shown.Geometry("s.centroid")} END";
        var feature = GeoJsonFeatureSql.Feature(id, geometry, 6, GeoJsonFeatureSql.Properties(Properties));
        return ("SELECT " + feature + " FROM measures m JOIN action_plans p ON p.id = m.action_plan_id JOIN municipalities mu ON mu.id = p.municipality_id " +
            "LEFT JOIN measure_settlements ms ON ms.measure_id = m.id LEFT JOIN settlements s ON s.id = ms.settlement_id " +
            "WHERE m.id = ANY(@measure_ids) ORDER BY m.id, s.code",
            [new NpgsqlParameter<long[]>("measure_ids", measureIds)]);
    }
}
