using NetTopologySuite.Geometries;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Import;

/// <summary>
/// One record of an import file as read: its number (1-based, in the file's own terms: the data
/// row of a CSV/XLSX, the feature of a GeoJSON/Shapefile/GeoPackage), the raw values by column
/// name (text as written; numbers formatted with the invariant culture), and the geometry in the
/// file's CRS when the format carries one. A geometry that could not be read leaves Geometry null
/// and says why in GeometryError.
/// </summary>
public sealed record SourceRow(long Number, IReadOnlyDictionary<string, string?> Values, Geometry? Geometry, string? GeometryError);

/// <summary>
/// What a reader learnt of the file before its rows: the format, the columns in file order, the
/// CRS the file declares (null when it declares none; CrsNote says what it declared if it is not
/// one we support), whether rows carry geometry, and the text encoding used.
/// </summary>
public sealed record SourceDescription(
    string Format, IReadOnlyList<string> Columns, SupportedCrs? Crs, string? CrsNote, bool HasGeometry, string? Encoding, string? Layer);

/// <summary>A file opened for import: its description, then its rows, streamed once.</summary>
public interface IImportSource : IAsyncDisposable
{
    SourceDescription Description { get; }

    IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What the user told about the file: the layer of a GeoPackage, the encoding of a CSV or DBF
/// ("utf-8", "windows-1250", "windows-1251"), the XLSX sheet, the CSV geometry columns when the
/// names are not recognised.
/// </summary>
public sealed record ImportReadOptions(string? Layer = null, string? Encoding = null, string? Sheet = null, string? WktColumn = null, string? LonColumn = null, string? LatColumn = null);

/// <summary>
/// The whole file is refused, with a message for the user; nothing was imported. The readers'
/// one error type: damaged files, and files beyond a limit of ImportLimits (then Title names the limit).
/// </summary>
public sealed class ImportFileException(string message, string? title = null) : Exception(message)
{
    /// <summary>A title naming the limit exceeded (memory, time, rows…); null for a damaged or unsupported file.</summary>
    public string? Title { get; } = title;
}

/// <summary>
/// One finding of the dry run, in plain words: the row, the field (or "geometry", "row"), the value
/// as written, why; and the key of the settlement rule it breaks (SettlementRules), the one the
/// editing API names for the same value, when it is one of those rules; with its code and parameters
/// (the editing API's error_codes) for a page to word it in its language.
/// </summary>
public sealed record RowProblem(long Row, string Field, string? Value, string Reason, string? Rule = null, Editing.ErrorCode? ErrorCode = null);

/// <summary>
/// Which column feeds which target: a settlement field of SettlementFields.All, or "code" (the
/// stable key), "municipality" (a code or a name in either script), "name" (a name in either
/// script: Cyrillic values go to name_cyrl, others to name_latn). Columns not in the map are
/// unmapped (listed in the report). Saved and reused as JSON.
/// </summary>
public sealed record ImportMapping(IReadOnlyDictionary<string, string> Columns);

/// <summary>
/// A row after mapping: the key, the municipality as written, and the settlement properties as
/// typed JSON values (what SettlementEdit reads: numbers as numbers, closed-list values as their
/// stored text, yes/no as "yes"/"no", dates as yyyy-MM-dd). Values that could not be converted
/// are left out of Properties and reported in Problems.
/// </summary>
public sealed record MappedRow(long Number, string? Code, string? Municipality, System.Text.Json.Nodes.JsonObject Properties, IReadOnlyList<RowProblem> Problems);
