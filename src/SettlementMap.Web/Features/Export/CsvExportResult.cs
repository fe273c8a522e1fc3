using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using NetTopologySuite.IO;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// Writes the CSV export row by row with CsvHelper, straight from the database reader to the response.
/// Coordinates are always x then y (longitude/easting first), whatever the CRS's own axis order: that
/// is how GDAL's CSV driver and every GIS reads WKT and coordinate columns. The header row has the
/// columns' names, or their labels in <paramref name="headerLanguage"/> (<see cref="CsvHeaders"/>).
/// </summary>
public sealed class CsvExportResult(ExportQuery query, SupportedCrs crs, string geometry, string? headerLanguage = null) : IResult
{
    /// <summary>
    /// The WKT column's name: GDAL's CSV driver takes a column named _WKT… as the geometry and a trailing
    /// _EPSG_n as its CRS, so ogr2ogr and QGIS open the file placed, with no options; to a spreadsheet it
    /// is a header like any other. CRS84 is named EPSG 4326: in x/y order the two are the same numbers.
    /// </summary>
    public static string WktColumn(SupportedCrs crs) => "_WKT_EPSG_" + ExportColumns.FileEpsg(crs).ToString(CultureInfo.InvariantCulture);

    /// <summary>The centroid's columns, x first: lon, lat or easting, northing.</summary>
    public static IReadOnlyList<string> CentroidColumns(SupportedCrs crs)
    {
        var (x, y) = ExportColumns.AxisNames(crs);
        return [x, y];
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cancellationToken = httpContext.RequestAborted;
        httpContext.Response.ContentType = "text/csv; charset=utf-8";
        await using var text = new StreamWriter(httpContext.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture));
        var wkt = new WKTWriter { MaxCoordinatesPerLine = int.MaxValue };
        var digits = ExportColumns.IsGeographic(crs) ? "0.#######" : "0.###";
        var geometryColumns = geometry switch { "wkt" => [WktColumn(crs)], "lonlat" => CentroidColumns(crs), _ => [] };
        // The viewer's columns (ExportQuery.Columns): a hidden attribute has no header either.
        var columns = query.Columns.Select(c => c.Name).ToList();
        foreach (var header in CsvHeaders.For(columns, headerLanguage).Concat(geometryColumns))
        {
            csv.WriteField(SpreadsheetText.Cell(header));
        }
        await csv.NextRecordAsync();
        var rows = 0;
        await query.ForEachAsync(async (properties, outline, centroid) =>
        {
            foreach (var column in columns)
            {
                csv.WriteField(properties.TryGetProperty(column, out var value) ? Cell(value) : "");
            }
            if (geometry == "wkt")
            {
                csv.WriteField(wkt.Write(XyOrder.FromCrs84(outline, crs))); // a generalised settlement's is its POINT
            }
            else if (geometry == "lonlat")
            {
                var (x, y) = XyOrder.FromCrs84(centroid.X, centroid.Y, crs);
                csv.WriteField(x.ToString(digits, CultureInfo.InvariantCulture));
                csv.WriteField(y.ToString(digits, CultureInfo.InvariantCulture));
            }
            await csv.NextRecordAsync();
            if (++rows % 1000 == 0)
            {
                await text.FlushAsync(cancellationToken);
            }
        }, cancellationToken);
        await csv.FlushAsync();
    }

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => SpreadsheetText.Cell(value.GetString()!),
        _ => value.GetRawText(), // numbers and booleans: never a formula, never prefixed
    };
}
