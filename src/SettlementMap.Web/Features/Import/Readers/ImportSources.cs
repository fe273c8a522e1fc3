using System.Text;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Opens an uploaded import file with the reader its name's extension calls for: GeoJSON
/// (.geojson, .json), CSV (.csv, .txt), a zipped shapefile (.zip), a GeoPackage (.gpkg) or an
/// Excel workbook (.xlsx). Every reader streams: rows are read one at a time, never the whole file.
/// </summary>
/// <remarks>
/// <para><b>Axis order.</b> Geometry coordinates in every <see cref="SourceRow"/> are ALWAYS
/// x = easting/longitude, y = northing/latitude ("GIS order", as shapefiles, GeoPackages, and WKT
/// in CSV from QGIS and GDAL write them), whatever the CRS's official axis order. EPSG:4326 and
/// EPSG:3909 list latitude/northing first: <see cref="XyOrder.ToCrs84"/> takes them to CRS84
/// (<see cref="CrsRegistry.ToCrs84(Geometry, SupportedCrs)"/> expects each CRS's own order).</para>
/// <para><b>Rows.</b> <see cref="SourceRow.Values"/> holds the columns the row has a value in; an
/// empty cell or a null is null. <see cref="SourceRow.Geometry"/> null with a null
/// <see cref="SourceRow.GeometryError"/> means the row has no geometry (an empty cell, a null
/// shape, "geometry": null); Z and M are kept when the file has them.</para>
/// <para><b>Refusals.</b> <see cref="ImportFileException"/> comes from <c>OpenAsync</c> for what can
/// be seen up front (format, zip safety, encoding, ragged CSV rows, malformed JSON…), but can
/// also come from <see cref="IImportSource.ReadRowsAsync"/> when a file is damaged part-way (a
/// shapefile record): either means the whole file is refused.</para>
/// </remarks>
public static class ImportSources
{
    /// <summary>The extensions we read, in the order we name them to users.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".geojson", ".json", ".csv", ".txt", ".zip", ".gpkg", ".xlsx"];

    /// <inheritdoc cref="OpenAsync(string, string, ImportReadOptions, ImportLimits, CancellationToken)"/>
    public static Task<IImportSource> OpenAsync(string path, string fileName, ImportReadOptions options, CancellationToken cancellationToken) =>
        OpenAsync(path, fileName, options, ImportLimits.Default, cancellationToken);

    /// <summary>Opens <paramref name="path"/> as the format <paramref name="fileName"/> (the name the user gave) says.</summary>
    /// <param name="path">Where the uploaded file lies (any name: a temporary file is fine).</param>
    /// <param name="fileName">The file's original name; its extension chooses the reader.</param>
    /// <param name="options">What the user told about the file.</param>
    /// <param name="limits">Zip and memory limits (tests lower them).</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="ImportFileException">The file is refused; the message says why, for the user.</exception>
    public static async Task<IImportSource> OpenAsync(string path, string fileName, ImportReadOptions options, ImportLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        TextEncodings.EnsureRegistered();

        if (!File.Exists(path))
        {
            throw new ImportFileException("The uploaded file could not be found; upload it again.");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!SupportedExtensions.Contains(extension))
        {
            throw new ImportFileException(
                $"Files of type \"{(extension.Length == 0 ? fileName : extension)}\" cannot be imported. Import one of: GeoJSON (.geojson, .json), CSV (.csv, .txt), "
                + "a zipped shapefile (.zip with its .shp, .shx, .dbf and .prj), a GeoPackage (.gpkg) or an Excel workbook (.xlsx).");
        }

        var magic = await MagicAsync(path, cancellationToken);
        CheckMagic(extension, magic);
        try
        {
            return new MeteredSource(extension switch
            {
                ".geojson" or ".json" => await GeoJsonSource.OpenAsync(path, limits, cancellationToken),
                ".csv" or ".txt" => await CsvSource.OpenAsync(path, options, limits, cancellationToken),
                ".zip" => await ShapefileSource.OpenAsync(path, options, limits, cancellationToken),
                ".gpkg" => await GeoPackageSource.OpenAsync(path, options, limits, cancellationToken),
                _ => await XlsxSource.OpenAsync(path, options, limits, cancellationToken),
            }, limits);
        }
        catch (Exception exception) when (IsFileFault(exception))
        {
            // A third-party parser's surprise on hostile bytes that a reader did not name: still the file's damage, never a 500.
            throw new ImportFileException($"The file cannot be read: it is damaged or not what its extension says ({exception.Message.TrimEnd('.')}). Export it again.");
        }
    }

    /// <summary>A reader's rows under the import's row and memory budget (<see cref="ImportBudget.MeteredAsync"/>).</summary>
    private sealed class MeteredSource(IImportSource inner, ImportLimits limits) : IImportSource
    {
        public SourceDescription Description => inner.Description;

        public IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken cancellationToken) =>
            ImportBudget.MeteredAsync(inner.ReadRowsAsync(cancellationToken), limits, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>
    /// Whether an exception from a third-party reader means "this file is damaged" (its libraries
    /// throw anything from FormatException to IndexOutOfRangeException on hostile bytes), as
    /// opposed to our own refusal, a cancellation or the process running out of memory.
    /// </summary>
    internal static bool IsFileFault(Exception exception) =>
        exception is not (ImportFileException or OperationCanceledException or OutOfMemoryException or StackOverflowException or ThreadAbortException);

    private static async Task<byte[]> MagicAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var buffer = new byte[16];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return buffer[..read];
    }

    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] EmptyZipMagic = [0x50, 0x4B, 0x05, 0x06];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0];
    private static readonly byte[] SqliteMagic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    /// <summary>Names a file whose content is another format than its extension says, plainly.</summary>
    private static void CheckMagic(string extension, byte[] magic)
    {
        var isZip = magic.AsSpan().StartsWith(ZipMagic) || magic.AsSpan().StartsWith(EmptyZipMagic);
        var isSqlite = magic.AsSpan().StartsWith(SqliteMagic);
        switch (extension)
        {
            case ".xlsx" when magic.AsSpan().StartsWith(OleMagic):
                throw new ImportFileException("This is an old Excel 97-2003 workbook (.xls) or a password-protected one: open it in Excel or LibreOffice, save it as .xlsx without a password and import that.");
            case ".xlsx" when !isZip:
                throw new ImportFileException("The file is not a readable Excel workbook (.xlsx): it may be damaged or in another format. Save it again as .xlsx and import that.");
            case ".zip" when isSqlite:
            case ".csv" or ".txt" or ".json" or ".geojson" when isSqlite:
                throw new ImportFileException("This file is a GeoPackage (SQLite database) but is not named .gpkg: rename it to .gpkg and import it again.");
            case ".csv" or ".txt" or ".json" or ".geojson" when isZip:
                throw new ImportFileException($"This file is a zip archive or an Excel workbook, not {(extension is ".csv" or ".txt" ? "CSV text" : "GeoJSON")}: import it with its real extension (.zip or .xlsx).");
            case ".gpkg" when !isSqlite:
                throw new ImportFileException("The file is not a GeoPackage: a .gpkg file is an SQLite database, and this one is not. Export the layer again as a GeoPackage.");
        }
    }
}
