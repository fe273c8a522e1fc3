using System.Globalization;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// What one import may cost us before it is refused (a 422 naming the limit): zip archives are
/// checked against these before anything is unpacked; every count or size a file declares (points
/// of a shapefile record, a DBF's records, an XLSX's cells, a WKB's rings) against the bytes that
/// remain before anything is allocated; and the rows in flight against the memory budget. Declared
/// once here; the service reads them from configuration (<see cref="FromConfiguration"/>), tests
/// lower them.
/// </summary>
/// <param name="MaxUncompressedBytes">Most bytes all the entries of one zip may unpack to together.</param>
/// <param name="MaxEntries">Most entries one zip may hold.</param>
/// <param name="MaxCompressionRatio">Highest uncompressed : compressed ratio of an entry larger than <paramref name="RatioCheckedFromBytes"/>.</param>
/// <param name="RatioCheckedFromBytes">Entries from this uncompressed size on have their ratio checked (small files compress well legitimately).</param>
/// <param name="MaxRecordBytes">Largest single record held in memory at once: a GeoJSON feature, a CSV record, a shapefile record, a GeoPackage value.</param>
/// <param name="MaxMemoryBytes">
/// The memory budget of one import: the estimated size of what it holds at once (the rows in
/// flight through the pipeline, their vertices and values; an XLSX's shared strings), counted
/// explicitly from declared and read sizes (not GC figures, which other requests share).
/// </param>
/// <param name="MaxDuration">The time budget of one import, from opening the file to the report.</param>
/// <param name="MaxRows">Most rows (features, sheet rows) one file may have.</param>
/// <param name="MaxColumns">Most columns (attribute fields, sheet columns) one file may have.</param>
/// <param name="MaxXmlPartBytes">Largest XML part of an XLSX workbook (a sheet, the shared strings): one text or attribute of it is read whole.</param>
public sealed record ImportLimits(
    long MaxUncompressedBytes = 512L * 1024 * 1024,
    int MaxEntries = 1000,
    int MaxCompressionRatio = 100,
    long RatioCheckedFromBytes = 1024 * 1024,
    int MaxRecordBytes = 8 * 1024 * 1024,
    long MaxMemoryBytes = 256L * 1024 * 1024,
    TimeSpan? MaxDuration = null,
    int MaxRows = 1_000_000,
    int MaxColumns = 500,
    long MaxXmlPartBytes = 64L * 1024 * 1024)
{
    /// <summary>The time budget when none is configured.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(10);

    /// <summary>Deepest nesting of a geometry (WKB collections) or JSON value a reader follows.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Estimated bytes one vertex costs once read (a NetTopologySuite Coordinate object and its
    /// reference, Z kept): what the memory budget counts per point.
    /// </summary>
    public const int BytesPerVertex = 56;

    public static ImportLimits Default { get; } = new();

    public TimeSpan Duration => MaxDuration ?? DefaultDuration;

    /// <summary>
    /// The limits the service and the command line use: Import:MaxSeconds, Import:MaxMemoryMegabytes,
    /// Import:MaxRows, Import:MaxColumns, Import:MaxRecordMegabytes override the defaults.
    /// </summary>
    public static ImportLimits FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Import");
        return Default with
        {
            MaxDuration = TimeSpan.FromSeconds(section.GetValue("MaxSeconds", Default.Duration.TotalSeconds)),
            MaxMemoryBytes = section.GetValue("MaxMemoryMegabytes", Default.MaxMemoryBytes / Megabyte) * Megabyte,
            MaxRecordBytes = checked((int)(section.GetValue("MaxRecordMegabytes", Default.MaxRecordBytes / Megabyte) * Megabyte)),
            MaxRows = section.GetValue("MaxRows", Default.MaxRows),
            MaxColumns = section.GetValue("MaxColumns", Default.MaxColumns),
        };
    }

    private const long Megabyte = 1024 * 1024;

    /// <summary>A size for a person: "8 MB", "512 bytes".</summary>
    internal static string Size(long bytes) => bytes >= Megabyte
        ? (bytes / Megabyte).ToString("N0", CultureInfo.InvariantCulture) + " MB"
        : bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    /// <summary>A count for a person: "100,000,000".</summary>
    internal static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The refusal of a file that exceeds a limit (the file may be fine, only too large for one import).</summary>
    internal static ImportFileException Exceeded(string what, string detail) =>
        new(detail, $"The import exceeds its {what} limit.");
}
