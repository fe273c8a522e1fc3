using System.Globalization;

namespace SettlementMap.Web.Http;

/// <summary>
/// The SQL expression of one RFC 7946 Feature as JSON text: the row a <see cref="GeoJsonFeaturesResult"/>
/// streams. The pieces are concatenated as text, not wrapped in json_build_object, which would parse the
/// geometry's JSON again (json_in) and print every property a second time: the city-zoom bbox query at
/// 100k answered 1.4–1.6× the queries a second this way (pgbench, 2 clients).
/// </summary>
public static class GeoJsonFeatureSql
{
    /// <param name="id">The feature's id: a non-null integer expression.</param>
    /// <param name="geometry">A polygonal geometry in EPSG:4326; written with counter-clockwise shells (the right-hand rule).</param>
    /// <param name="decimals">Decimals of the coordinates.</param>
    /// <param name="properties">A json, jsonb or JSON text expression (see <see cref="Properties"/>).</param>
    public static string Feature(string id, string geometry, int decimals, string properties) =>
        $$"""'{"type":"Feature","id":' || {{id}} || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW({{geometry}}), {{decimals.ToString(CultureInfo.InvariantCulture)}}), 'null') || ',"properties":' || ({{properties}})::text || '}'""";

    /// <summary>
    /// A properties object from a select list ("s.code, m.code AS municipality_code"): its output names
    /// are the keys, in order. row_to_json of a subselect is cheaper than json_build_object's pairs.
    /// </summary>
    public static string Properties(string selectList) => $"(SELECT row_to_json(p) FROM (SELECT {selectList}) p)";
}
