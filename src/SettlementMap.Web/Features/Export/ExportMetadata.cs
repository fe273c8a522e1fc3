using System.Globalization;
using System.Text.Json;
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

    public static Dictionary<string, object?> Describe(string format, SupportedCrs crs, string geometry, string filter, DateTimeOffset now,
        PageLabels labels)
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
            ["attributes"] = Attributes(labels),
        };
    }

    private static List<Dictionary<string, object?>> Attributes(PageLabels labels)
    {
        var fixedColumns = new Dictionary<string, string>
        {
            ["id"] = "stable numeric id of the settlement",
            ["code"] = "stable settlement code, used by imports and links",
            ["municipality_code"] = "municipality (ASCII slug)",
            ["municipality_name_latn"] = "municipality name, Latin script",
            ["municipality_name_cyrl"] = "municipality name, Cyrillic script",
            ["district_code"] = "district (GeoNames admin2 code)",
            ["area_m2"] = "area in square metres, from the outline",
            ["updated_at"] = "last change (UTC)",
            ["updated_by"] = "account of the last change",
        };
        var list = new List<Dictionary<string, object?>>();
        foreach (var (column, dbfName) in ExportApi.CsvColumns.Zip(ShapefileExport.DbfNames))
        {
            var attribute = SettlementFields.Find(column) is { } field
                ? new Dictionary<string, object?>
                {
                    ["name"] = field.Name,
                    ["type"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Kind.ToString()),
                    ["group"] = field.Group,
                    ["unit"] = field.Unit,
                    ["min"] = field.Min,
                    ["max"] = field.Max,
                    ["values"] = field.List is null ? null : SettlementFields.EnumValues(field.List).Select(value => new Dictionary<string, object>
                    {
                        ["value"] = value,
                        ["labels"] = labels.Find($"list.{field.List}.{value}")?.ToJson()
                            ?? throw new InvalidOperationException($"wwwroot/js/i18n.js has no label for list.{field.List}.{value}."),
                    }).ToList(),
                }
                : new Dictionary<string, object?> { ["name"] = column, ["description"] = fixedColumns.GetValueOrDefault(column) };
            attribute["shapefile_name"] = dbfName;
            list.Add(attribute);
        }
        return list;
    }
}
