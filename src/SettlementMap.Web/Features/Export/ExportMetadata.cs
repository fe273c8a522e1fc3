using System.Globalization;
using System.Text.Json;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The metadata of an export (format=metadata, the GeoJSON's "metadata" member, the Shapefile zip's
/// settlements_metadata.json): source and licence, the filter, the CRS the file's coordinates are in
/// and their order, a dictionary of the attributes with a label for every coded value, and who sees
/// what: the viewer's level, the attributes left out (counted, not named: their names are not public
/// either) or present only in a coordinator's own municipalities, the public view's generalisation,
/// and whether the export is recorded.
/// </summary>
public static class ExportMetadata
{
    public const string Title = "Roma settlements in Serbia (SettlementMap)";

    public static JsonSerializerOptions Json { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Dictionary<string, object?> Describe(string format, SupportedCrs crs, string geometry, string filter, DateTimeOffset now, Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(crs);
        ArgumentNullException.ThrowIfNull(shown);
        var used = format == "geojson" ? CrsRegistry.Crs84 : crs;
        var (x, y) = ExportColumns.AxisNames(used);
        var order = ExportColumns.IsGeographic(used) ? "longitude, latitude (x, y) in decimal degrees" : "easting, northing (x, y) in metres";
        var g = shown.Policy.Generalisation;
        // What each format does with a generalised settlement, said after its geometry (nothing outside the generalised view).
        var points = shown.Generalises ? $"; a generalised settlement (see generalisation) is a point within {g.RadiusM} m of its centre, not its outline" : "";
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
                "geojson" => "GeoJSON geometry, CRS84 longitude/latitude, counter-clockwise outer rings (RFC 7946)" + (shown.Generalises ? "; a generalised settlement is a Point" : ""),
                "csv" => geometry switch
                {
                    "wkt" => $"column {CsvExportResult.WktColumn(used)}: the outline as WKT in {used.Name}, {order}" + (shown.Generalises ? "; a generalised settlement is a POINT" : ""),
                    "lonlat" => $"columns {x}, {y}: the centroid in {used.Name}, {order}" + (shown.Generalises ? "; a generalised settlement's is its displaced point" : ""),
                    _ => "none",
                },
                "gpkg" => $"GeoPackage table {GeoPackageExport.Table}, column geom (MULTIPOLYGON, srs_id {ExportColumns.FileEpsg(used)}): the outline in {used.Name}, {order}" +
                    (shown.Generalises ? $"; the generalised settlements are table {GeoPackageExport.GeneralisedTable} (POINT, the same columns)" : ""),
                "shapefile" => $"Polygon shapefile {ShapefileExport.Layer}.shp with its .prj: the outline in {used.Name}, {order}" +
                    (shown.Generalises ? $"; the generalised settlements are the point shapefile {ShapefileExport.GeneralisedLayer}.shp (the same fields)" : ""),
                _ => $"outlines in {used.Name}, {order}: CSV column {CsvExportResult.WktColumn(used)} (or {x}, {y} for the centroid), GeoPackage column geom, Shapefile .shp" +
                    (shown.Generalises ? $"; generalised settlements as points (GeoPackage table {GeoPackageExport.GeneralisedTable}, Shapefile {ShapefileExport.GeneralisedLayer}.shp)" : ""),
            } + (format is "geojson" or "csv" && geometry != "none" ? points : ""),
            ["csv_text_cells"] = SpreadsheetText.Note,
            ["shapefile_fields"] = $"DBF field names have at most 10 characters: {ShapefileExport.FieldNamesFile} in the zip gives each one's full name; DBF text is cut at {ShapefileExport.MaxTextBytes} bytes (UTF-8, see the .cpg).",
            ["view"] = View(shown),
            ["generalisation"] = shown.Generalises
                ? $"Public view: a settlement with fewer than {g.Threshold} estimated inhabitants (or none recorded) has no outline and no estimated_inhabitants; " +
                    $"its geometry is a point moved between {g.RadiusM / 2} and {g.RadiusM} m from its centre (the same point at every export) and estimated_inhabitants_below is {g.Threshold}."
                : "none: this export is not the public view" + (g.Enabled ? "" : ", and generalisation is off"),
            ["export_record"] = shown.IsRestricted()
                ? $"This export is recorded: who ({shown.Viewer.UserName}), when, at which level, the format, the filter and the number of settlements."
                : "Not recorded: an export without signing in holds only public data.",
            ["attributes"] = Attributes(shown),
        };
    }

    /// <summary>The viewer's level and what it leaves out: hidden attributes by count only, a coordinator's masked ones by name.</summary>
    private static Dictionary<string, object?> View(Disclosure shown)
    {
        var hidden = SettlementSchema.In(Outputs.Export).Count(a => !shown.Shows(a));
        var masked = shown.In(Outputs.Export).Where(a => !a.GeneralisedViewOnly && !shown.ShowsEverywhere(a)).Select(a => a.Name).ToList();
        return new()
        {
            ["level"] = shown.Viewer.Level.ToText(),
            ["level_labels"] = shown.Viewer.Level.LabelOf().ToJson(),
            ["attributes_left_out"] = hidden == 0
                ? "none"
                : $"{hidden} attribute{(hidden == 1 ? " is" : "s are")} not {(shown.Viewer.Level == Clearance.Public ? "public" : "shown at this level")} and left out of this export",
            ["own_municipalities_only"] = masked.Count == 0
                ? null
                : new Dictionary<string, object?>
                {
                    ["attributes"] = masked,
                    ["note"] = "These columns have values only for the settlements of the municipalities you coordinate; elsewhere they are empty (null), which does not mean the value is unknown.",
                },
        };
    }

    private static List<Dictionary<string, object?>> Attributes(Disclosure shown) =>
    [
        .. shown.In(Outputs.Export).Select(attribute => new Dictionary<string, object?>
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
            ["shapefile_name"] = ShapefileExport.DbfName(attribute.Name),
        }),
    ];
}
