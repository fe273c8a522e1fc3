using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The export SQL, in one place: the settlements the filters select (the "where" of the
/// methods below: the settlement filters' WHERE clause, whose values are its parameters), each with its
/// published properties and geometry as the viewer sees them (the OGC collection's, one definition:
/// <see cref="OgcCollections.SettlementsFor"/>) and centroid (a generalised settlement's displaced point).
/// With a time (as_of), the settlements as they were then, read from history as the OGC items read it.
/// </summary>
public static class ExportSql
{
    /// <summary>The GeoJSON export: one feature (text) a row, built in PostGIS, 7 decimals.</summary>
    public static string GeoJson(string where, Disclosure shown, SettlementTime? time = null)
    {
        var settlements = OgcCollections.SettlementsFor(shown);
        return $"SELECT {GeoJsonFeatureSql.Feature("s.id", settlements.Geometry, 7, settlements.Properties)} FROM {From(settlements, time)}{where} ORDER BY s.id";
    }

    /// <summary>Each settlement's properties (JSON text), geometry and centroid (CRS84), in id order.</summary>
    public static string Rows(string where, Disclosure shown, SettlementTime? time = null)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var settlements = OgcCollections.SettlementsFor(shown);
        return $"SELECT {settlements.Properties}, {settlements.Geometry}, {shown.Geometry("s.centroid")} FROM {From(settlements, time)}{where} ORDER BY s.id";
    }

    /// <summary>How many settlements the export holds (for its record).</summary>
    public static string Count(string where, SettlementTime? time = null) => $"SELECT count(*)::int FROM {From(OgcCollections.Settlements, time)}{where}";

    /// <summary>The longest value (UTF-8 bytes) of each property over the selected settlements.</summary>
    public static string MaxTextBytes(string where, Disclosure shown, SettlementTime? time = null)
    {
        var settlements = OgcCollections.SettlementsFor(shown);
        return $"""
            SELECT e.key, max(octet_length(e.value)) FROM (SELECT ({settlements.Properties})::jsonb AS p FROM {From(settlements, time)}{where}) q, jsonb_each_text(q.p) e
            GROUP BY e.key
            """;
    }

    /// <summary>The settlements now, or at <paramref name="time"/> (its parameters are among the where clause's).</summary>
    private static string From(OgcCollectionInfo settlements, SettlementTime? time) =>
        time is null ? settlements.From : settlements.FromAt!(time);

    /// <summary>An EPSG CRS's definition as PostGIS has it; its one positional parameter is the SRID.</summary>
    public const string CrsWkt = "SELECT srtext FROM spatial_ref_sys WHERE srid = $1";
}
