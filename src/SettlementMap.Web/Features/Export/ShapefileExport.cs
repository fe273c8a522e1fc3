using System.IO.Compression;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Dbf.Fields;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// Writes the export as a zipped Esri Shapefile with NetTopologySuite.IO.Esri.Shapefile: polygons in x/y
/// (longitude/easting first), a UTF-8 DBF with its .cpg, the CRS's .prj, and beside them a table of the
/// full field names (a DBF field name has at most 10 characters) and the export's metadata. A shapefile
/// holds one geometry type: in the generalised public view the small settlements, which are points there,
/// go to a second point shapefile in the same zip (<see cref="GeneralisedLayer"/>), with the same fields.
/// </summary>
public static class ShapefileExport
{
    public const string MediaType = "application/zip";
    public const string Layer = "settlements";
    public const string GeneralisedLayer = Layer + "_generalised";
    public const string FieldNamesFile = Layer + "_fields.csv";
    public const string MetadataFile = Layer + "_metadata.json";

    /// <summary>The widest text a DBF character field holds, in bytes; the writer cuts longer text at a character (the GeoPackage and CSV keep it whole).</summary>
    public const int MaxTextBytes = 254;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The DBF names of every column an export can have, in order: 10 characters at most, unique, and the same for every export and viewer.</summary>
    public static IReadOnlyList<string> DbfNames { get; } = ShortNames(ExportColumns.All.Select(c => c.Name));

    /// <summary>The DBF name of an exported column.</summary>
    public static string DbfName(string column) => DbfNames[ExportColumns.All.Select(c => c.Name).ToList().IndexOf(column)];

    /// <summary>
    /// Names cut to 10 characters as GDAL does it: the first 10; when that is taken, the first 8 and
    /// "_1", "_2"… (the first 7 and "_10" from the tenth). Compared ignoring case, as DBF readers do.
    /// </summary>
    public static IReadOnlyList<string> ShortNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var name in names)
        {
            var candidate = name.Length <= 10 ? name : name[..10];
            for (var n = 1; !taken.Add(candidate); n++)
            {
                var suffix = "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                candidate = name[..Math.Min(name.Length, 10 - suffix.Length)] + suffix;
            }
            result.Add(candidate);
        }
        return result;
    }

    /// <summary>Writes the shapefile's parts into <paramref name="folder"/> and zips them, with the field-name table and <paramref name="metadataJson"/>, into <paramref name="zipPath"/>.</summary>
    public static async Task WriteAsync(string folder, string zipPath, ExportQuery query, SupportedCrs crs, string metadataJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var textBytes = await query.MaxTextBytesAsync(cancellationToken);
        var columns = query.Columns;
        var names = columns.Select(c => DbfName(c.Name)).ToList();
        var fields = columns.Select((column, i) => Field(names[i], column, textBytes.GetValueOrDefault(column.Name))).ToArray();
        ShapefileWriter Open(string layer, ShapeType type) =>
            Shapefile.OpenWrite(Path.Combine(folder, layer + ".shp"), new ShapefileWriterOptions(type, fields)
            {
                Encoding = Utf8, // the library writes the .cpg ("UTF-8") from it
                Projection = EsriPrj.For(ExportColumns.FileEpsg(crs)),
            });
        using (var outlines = Open(Layer, ShapeType.Polygon))
        using (var points = query.Shown.Generalises ? Open(GeneralisedLayer, ShapeType.Point) : null)
        {
            await query.ForEachAsync((properties, geometry, _) =>
            {
                var writer = geometry is Point ? points ?? throw new InvalidOperationException("A point outside the generalised view.") : outlines;
                writer.Geometry = XyOrder.FromCrs84(geometry, crs);
                for (var i = 0; i < fields.Length; i++)
                {
                    writer.Fields[i].Value = DbfValue(columns[i].Read(properties));
                }
                writer.Write();
                return ValueTask.CompletedTask;
            }, cancellationToken);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, FieldNamesFile),
            "dbf_name,full_name\n" + string.Concat(columns.Select((c, i) => $"{names[i]},{c.Name}\n")), Utf8, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, MetadataFile), metadataJson, Utf8, cancellationToken);

        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var part in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            zip.CreateEntryFromFile(part, Path.GetFileName(part), CompressionLevel.Optimal);
        }
    }

    private static DbfField Field(string name, ExportColumn column, int maxBytes) => column.Type switch
    {
        // 18 digits: GDAL and QGIS read the field as a 64-bit integer (from 19 on, as a real).
        ExportColumnType.WholeNumber => new DbfNumericInt64Field(name, 18),
        ExportColumnType.Real => new DbfNumericDoubleField(name, 18, 3),
        ExportColumnType.Date => new DbfDateField(name),
        ExportColumnType.DateTime => new DbfCharacterField(name, 24), // DBF has no date-time: ISO 8601 text, UTC
        _ => new DbfCharacterField(name, Math.Clamp(maxBytes, 1, MaxTextBytes)),
    };

    private static object? DbfValue(object? value) => value switch
    {
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
