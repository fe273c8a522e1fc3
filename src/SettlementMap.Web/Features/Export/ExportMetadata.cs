using System.Globalization;
using System.Text.Json;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The metadata of an export (format=metadata, the GeoJSON's "metadata" member, the Shapefile zip's
/// settlements_metadata.json): source and licence, the filter, the CRS the file's coordinates are in
/// and their order, and a dictionary of the attributes with a label for every coded value.
/// </summary>
public static class ExportMetadata
{
    public const string Title = "Roma settlements in Serbia (SettlementMap)";

    public static JsonSerializerOptions Json { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Dictionary<string, object?> Describe(string format, SupportedCrs crs, string geometry, string filter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var used = format == "geojson" ? CrsRegistry.Crs84 : crs;
        var (x, y) = ExportColumns.AxisNames(used);
        var order = ExportColumns.IsGeographic(used) ? "longitude, latitude (x, y) in decimal degrees" : "easting, northing (x, y) in metres";
        return new()
        {
            ["title"] = Title,
            ["source"] = "SettlementMap. Demo data: synthetic settlements; municipality seats from GeoNames (CC BY 4.0), country outline from Natural Earth (public domain).",
            ["licence"] = "Settlements: demo data, free to reuse. GeoNames-derived places: CC BY 4.0 (attribute GeoNames).",
            ["exported_at"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["filter"] = filter,
            ["format"] = format,
            ["crs"] = used.Uri,
            ["crs_name"] = used.Name,
            ["coordinate_order"] = order,
            ["geometry"] = format switch
            {
                "geojson" => "GeoJSON geometry, CRS84 longitude/latitude, counter-clockwise outer rings (RFC 7946)",
                "csv" => geometry switch
                {
                    "wkt" => $"column {CsvExportResult.WktColumn(used)}: the outline as WKT in {used.Name}, {order}",
                    "lonlat" => $"columns {x}, {y}: the centroid in {used.Name}, {order}",
                    _ => "none",
                },
                "gpkg" => $"GeoPackage table {GeoPackageExport.Table}, column geom (MULTIPOLYGON, srs_id {ExportColumns.FileEpsg(used)}): the outline in {used.Name}, {order}",
                "shapefile" => $"Polygon shapefile {ShapefileExport.Layer}.shp with its .prj: the outline in {used.Name}, {order}",
                _ => $"outlines in {used.Name}, {order}: CSV column {CsvExportResult.WktColumn(used)} (or {x}, {y} for the centroid), GeoPackage column geom, Shapefile .shp",
            },
            ["csv_text_cells"] = SpreadsheetText.Note,
            ["shapefile_fields"] = $"DBF field names have at most 10 characters: {ShapefileExport.FieldNamesFile} in the zip gives each one's full name; DBF text is cut at {ShapefileExport.MaxTextBytes} bytes (UTF-8, see the .cpg).",
            ["attributes"] = Attributes(),
        };
    }

    private static List<Dictionary<string, object?>> Attributes() =>
    [
        .. SettlementSchema.In(Outputs.Export).Zip(ShapefileExport.DbfNames, (attribute, dbfName) => new Dictionary<string, object?>
        {
            ["name"] = attribute.Name,
            ["type"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(attribute.Type.ToString()),
            ["group"] = attribute.Group.Name,
            ["unit"] = attribute.Unit,
            ["min"] = attribute.Min,
            ["max"] = attribute.Max,
            ["labels"] = attribute.Label.ToJson(),
            ["description"] = attribute.Description.ToJson(),
            ["values"] = attribute.List?.Values.Select(v => new Dictionary<string, object> { ["value"] = v.Value, ["labels"] = v.Label.ToJson() }).ToList(),
            ["shapefile_name"] = dbfName,
        }),
    ];
}
