using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The export SQL, in one place: the settlements the filters select (the "where" of the
/// methods below: the settlement filters' WHERE clause, whose values are its parameters), each with its
/// published properties (the OGC collection's, one definition), outline and centroid.
/// </summary>
public static class ExportSql
{
    private static readonly string From = OgcCollections.Settlements.From;
    private static readonly string Properties = OgcCollections.Settlements.Properties;

    /// <summary>The GeoJSON export: one feature (text) a row, built in PostGIS, 7 decimals.</summary>
    public static string GeoJson(string where) => $"SELECT {GeoJsonFeatureSql.Feature("s.id", "s.geom", 7, Properties)} FROM {From}{where} ORDER BY s.id";

    /// <summary>Each settlement's properties (JSON text), outline and centroid (CRS84), in id order.</summary>
    public static string Rows(string where) => $"SELECT {Properties}, s.geom, s.centroid FROM {From}{where} ORDER BY s.id";

    /// <summary>The longest value (UTF-8 bytes) of each property over the selected settlements.</summary>
    public static string MaxTextBytes(string where) => $"""
        SELECT e.key, max(octet_length(e.value)) FROM (SELECT ({Properties})::jsonb AS p FROM {From}{where}) q, jsonb_each_text(q.p) e
        GROUP BY e.key
        """;

    /// <summary>An EPSG CRS's definition as PostGIS has it; its one positional parameter is the SRID.</summary>
    public const string CrsWkt = "SELECT srtext FROM spatial_ref_sys WHERE srid = $1";
}
