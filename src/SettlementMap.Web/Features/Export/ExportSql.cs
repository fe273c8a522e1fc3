using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The export SQL, in one place: the settlements the filters select (the "from" of the methods below:
/// the settlements with their places, now or as of the filters' time, SettlementSql.Joined; the "where": the
/// settlement filters' WHERE clause, whose values are its parameters), each with its
/// published properties and geometry as the viewer sees them (the OGC collection's, one definition:
/// <see cref="OgcCollections.SettlementsFor"/>) and centroid (a generalised settlement's displaced point).
/// </summary>
public static class ExportSql
{
    /// <summary>The GeoJSON export: one feature (text) a row, built in PostGIS, 7 decimals.</summary>
    public static string GeoJson(string from, string where, Disclosure shown)
    {
        var settlements = OgcCollections.SettlementsFor(shown);
        return $"SELECT {GeoJsonFeatureSql.Feature("s.id", settlements.Geometry, 7, settlements.Properties)} FROM {from}{where} ORDER BY s.id";
    }

    /// <summary>Each settlement's properties (JSON text), geometry and centroid (CRS84), in id order.</summary>
    public static string Rows(string from, string where, Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var settlements = OgcCollections.SettlementsFor(shown);
        return $"SELECT {settlements.Properties}, {settlements.Geometry}, {shown.Geometry("s.centroid")} FROM {from}{where} ORDER BY s.id";
    }

    /// <summary>How many settlements the export holds (for its record).</summary>
    public static string Count(string from, string where) => $"SELECT count(*)::int FROM {from}{where}";

    /// <summary>The longest value (UTF-8 bytes) of each property over the selected settlements.</summary>
    public static string MaxTextBytes(string from, string where, Disclosure shown)
    {
        var settlements = OgcCollections.SettlementsFor(shown);
        return $"""
            SELECT e.key, max(octet_length(e.value)) FROM (SELECT ({settlements.Properties})::jsonb AS p FROM {from}{where}) q, jsonb_each_text(q.p) e
            GROUP BY e.key
            """;
    }

    /// <summary>An EPSG CRS's definition as PostGIS has it; its one positional parameter is the SRID.</summary>
    public const string CrsWkt = "SELECT srtext FROM spatial_ref_sys WHERE srid = $1";
}
