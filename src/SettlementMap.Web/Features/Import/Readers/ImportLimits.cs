namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// What a file may cost us before it is refused: zip archives (a zipped shapefile, an XLSX
/// workbook) are checked against these before anything is unpacked, and while unpacking, since
/// the sizes a zip declares can lie. Tests lower them; the defaults suit real survey files.
/// </summary>
/// <param name="MaxUncompressedBytes">Most bytes all the entries of one zip may unpack to together.</param>
/// <param name="MaxEntries">Most entries one zip may hold.</param>
/// <param name="MaxCompressionRatio">Highest uncompressed : compressed ratio of an entry larger than <paramref name="RatioCheckedFromBytes"/>.</param>
/// <param name="RatioCheckedFromBytes">Entries from this uncompressed size on have their ratio checked (small files compress well legitimately).</param>
/// <param name="MaxRecordBytes">Largest single record held in memory at once: a GeoJSON feature, a CSV field (an unclosed quote would otherwise swallow the file).</param>
public sealed record ImportLimits(
    long MaxUncompressedBytes = 512L * 1024 * 1024,
    int MaxEntries = 1000,
    int MaxCompressionRatio = 100,
    long RatioCheckedFromBytes = 1024 * 1024,
    int MaxRecordBytes = 64 * 1024 * 1024)
{
    public static ImportLimits Default { get; } = new();
}
