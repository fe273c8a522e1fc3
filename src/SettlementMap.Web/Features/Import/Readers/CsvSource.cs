using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// CSV (or delimited .txt) with a header line: comma, semicolon or tab, detected from the header;
/// UTF-8 (BOM or not, decoded strictly), UTF-16 with a BOM (Excel's "Unicode text"), or the code
/// page the user names. Geometry from a WKT column or a lon/lat pair of columns.
/// </summary>
/// <remarks>
/// Opening parses the whole file once without keeping it (encoding errors, ragged rows and the
/// header are all refused there, before any row is handed out); reading parses it again.
/// </remarks>
internal sealed class CsvSource : IImportSource
{
    private static readonly string[] WktNames = ["wkt", "geometry", "geom", "the geom", "geometrija", "геометрија", "shape wkt", "geometry wkt"];

    private static readonly string[] LonNames =
        ["lon", "lng", "long", "longitude", "x", "e", "easting", "geografska duzina", "duzina", "географска дужина", "дужина"];

    private static readonly string[] LatNames =
        ["lat", "latitude", "y", "n", "northing", "geografska sirina", "sirina", "географска ширина", "ширина"];

    private readonly string _path;
    private readonly Encoding _encoding;
    private readonly int _preambleLength;
    private readonly string _delimiter;
    private readonly int? _wktIndex;
    private readonly (int Lon, int Lat)? _pointIndexes;
    private readonly ImportLimits _limits;
    private readonly bool _sepLine;

    private CsvSource(string path, Encoding encoding, int preambleLength, string delimiter, bool sepLine, int? wktIndex, (int, int)? pointIndexes, ImportLimits limits, SourceDescription description)
    {
        _sepLine = sepLine;
        _limits = limits;
        _path = path;
        _encoding = encoding;
        _preambleLength = preambleLength;
        _delimiter = delimiter;
        _wktIndex = wktIndex;
        _pointIndexes = pointIndexes;
        Description = description;
    }

    public SourceDescription Description { get; }

    public static async Task<IImportSource> OpenAsync(string path, ImportReadOptions options, ImportLimits limits, CancellationToken cancellationToken)
    {
        var (encoding, preambleLength) = await ChooseEncodingAsync(path, options, cancellationToken);
        var headerLine = await FirstLineAsync(path, encoding, preambleLength, limits, cancellationToken)
            ?? throw new ImportFileException("The file is empty: it has no header line and no rows.");
        // Excel's "sep=;" first line names the delimiter; the header follows it.
        var sepLine = headerLine.Trim() is { Length: 5 } first && first.StartsWith("sep=", StringComparison.OrdinalIgnoreCase);
        var delimiter = sepLine ? headerLine.Trim()[4..] : DetectDelimiter(headerLine);
        await CheckRecordsAsync(path, encoding, preambleLength, delimiter[0], limits, cancellationToken);

        string[] header;
        (int? Wkt, (int Lon, int Lat)? Point) geometry;
        bool? swapXy = null;
        long rows = 0;
        await using (var stream = OpenText(path, preambleLength))
        using (var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false))
        using (var parser = new CsvParser(text, Configuration(delimiter, limits)))
        {
            if ((sepLine && !await ReadAsync(parser)) || !await ReadAsync(parser))
            {
                throw new ImportFileException("The file is empty: it has no header line and no rows.");
            }

            header = CheckHeader(parser.Record!, delimiter);
            geometry = FindGeometry(header, options);
            var ambiguousXy = geometry.Point is { } xy && options.LonColumn is null && NormaliseName(header[xy.Lon]) == "x" && NormaliseName(header[xy.Lat]) == "y";
            while (await ReadAsync(parser))
            {
                cancellationToken.ThrowIfCancellationRequested();
                CheckWidth(parser, header.Length, delimiter);
                rows++;
                if (ambiguousXy && swapXy is null && geometry.Point is { } point
                    && TryNumber(parser[point.Lon], delimiter != ",", out var x) && TryNumber(parser[point.Lat], delimiter != ",", out var y))
                {
                    swapXy = !PlausibleInSerbia(x, y) && PlausibleInSerbia(y, x);
                }
            }
        }

        if (rows == 0)
        {
            throw new ImportFileException("The file has a header line but no data rows.");
        }

        string? note = null;
        if (swapXy == true && geometry.Point is { } swapped)
        {
            // Serbian surveying (Gauss-Krüger) names the northing X and the easting Y.
            geometry = (null, (swapped.Lat, swapped.Lon));
            note = "The column X holds northings and Y eastings (the Serbian surveying convention), so they were read that way round.";
        }

        var (wktIndex, pointIndexes) = geometry;
        var description = new SourceDescription(
            "CSV", header, Crs: null, CrsNote: note, HasGeometry: wktIndex is not null || pointIndexes is not null, TextEncodings.NameOf(encoding), Layer: null);
        return new CsvSource(path, encoding, preambleLength, delimiter, sepLine, wktIndex, pointIndexes, limits, description);
    }

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = Description.Columns;
        var wktReader = new WKTReader(NtsGeometryServices.Instance);
        var factory = NtsGeometryServices.Instance.CreateGeometryFactory();
        var decimalComma = _delimiter != ",";
        await using var stream = OpenText(_path, _preambleLength);
        using var text = new StreamReader(stream, _encoding, detectEncodingFromByteOrderMarks: false);
        using var parser = new CsvParser(text, Configuration(_delimiter, _limits));
        if (_sepLine)
        {
            await ReadAsync(parser);
        }

        await ReadAsync(parser); // the header, checked on opening
        long number = 0;
        while (await ReadAsync(parser))
        {
            cancellationToken.ThrowIfCancellationRequested();
            CheckWidth(parser, columns.Count, _delimiter); // the file could have changed since it was opened
            var record = parser.Record!;
            number++;
            var values = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                values[columns[i]] = record[i].Length == 0 ? null : record[i];
            }

            var (geometry, error) = _wktIndex is { } wkt
                ? ReadWkt(wktReader, record[wkt])
                : _pointIndexes is { } point
                    ? ReadPoint(factory, record[point.Lon], record[point.Lat], decimalComma)
                    : (null, null);
            yield return new SourceRow(number, values, geometry, error);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CsvConfiguration Configuration(string delimiter, ImportLimits limits) => new(CultureInfo.InvariantCulture)
    {
        MaxFieldSize = limits.MaxRecordBytes,
        Delimiter = delimiter,
        BadDataFound = null, // a stray quote inside a field is kept as written
        IgnoreBlankLines = true,
        Mode = CsvMode.RFC4180,
    };

    private static FileStream OpenText(string path, int preambleLength)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        stream.Position = preambleLength;
        return stream;
    }

    /// <summary>A record, with a decoding failure turned into advice about the code page.</summary>
    private static async Task<bool> ReadAsync(CsvParser parser)
    {
        try
        {
            return await parser.ReadAsync();
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException($"The file is not UTF-8 text (near line {parser.RawRow + 1}): {TextEncodings.CodePageAdvice}.");
        }
        catch (MaxFieldSizeException)
        {
            throw new ImportFileException($"A field starting near line {parser.RawRow + 1} never ends: look there for a quote (\") that is opened but not closed.");
        }
    }

    /// <summary>
    /// A byte-order mark decides (UTF-8, UTF-16); else the user's choice; else strict UTF-8, so
    /// that a Windows-1250/1251 file fails with advice instead of being read as mojibake.
    /// </summary>
    private static async Task<(Encoding Encoding, int PreambleLength)> ChooseEncodingAsync(string path, ImportReadOptions options, CancellationToken cancellationToken)
    {
        var bom = new byte[3];
        int read;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true))
        {
            read = await stream.ReadAtLeastAsync(bom, bom.Length, throwOnEndOfStream: false, cancellationToken);
        }

        if (read >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
        {
            return (TextEncodings.StrictUtf8, 3);
        }

        if (read >= 2 && bom[0] == 0xFF && bom[1] == 0xFE)
        {
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2);
        }

        if (read >= 2 && bom[0] == 0xFE && bom[1] == 0xFF)
        {
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2);
        }

        return (TextEncodings.FromOptions(options) ?? TextEncodings.StrictUtf8, 0);
    }

    /// <summary>The first line that is not blank, read a buffer at a time: at most MaxRecordBytes characters are kept.</summary>
    private static async Task<string?> FirstLineAsync(string path, Encoding encoding, int preambleLength, ImportLimits limits, CancellationToken cancellationToken)
    {
        await using var stream = OpenText(path, preambleLength);
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false);
        var line = new StringBuilder();
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await text.ReadAsync(buffer, cancellationToken)) > 0)
            {
                foreach (var c in buffer.AsSpan(0, read))
                {
                    if (c is '\n' or '\r')
                    {
                        if (line.ToString().Trim().Length > 0)
                        {
                            return line.ToString();
                        }

                        line.Clear();
                    }
                    else if (line.Append(c).Length > limits.MaxRecordBytes)
                    {
                        throw RecordTooLong(1, limits);
                    }
                }
            }

            return line.ToString().Trim().Length > 0 ? line.ToString() : null;
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException($"The file is not UTF-8 text (its header line has bytes UTF-8 does not allow): {TextEncodings.CodePageAdvice}.");
        }
    }

    /// <summary>
    /// Every record's field count (within MaxColumns) and length (within MaxRecordBytes) before
    /// CsvHelper parses one: it grows its field list and buffer to whatever a record holds, so a
    /// line of 100 million delimiters would take gigabytes. Quotes follow RFC 4180 as the parser
    /// does (a quote opens a quoted field only at its start; "" inside it is a quote).
    /// </summary>
    private static async Task CheckRecordsAsync(string path, Encoding encoding, int preambleLength, char delimiter, ImportLimits limits, CancellationToken cancellationToken)
    {
        await using var stream = OpenText(path, preambleLength);
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false);
        var buffer = new char[81920];
        bool quoted = false, quoteInQuoted = false, fieldStart = true;
        long line = 1, recordLine = 1, length = 0, fields = 1;
        try
        {
            int read;
            while ((read = await text.ReadAsync(buffer, cancellationToken)) > 0)
            {
                foreach (var c in buffer.AsSpan(0, read))
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    if (++length > limits.MaxRecordBytes)
                    {
                        throw RecordTooLong(recordLine, limits);
                    }

                    if (quoted)
                    {
                        if (!quoteInQuoted)
                        {
                            quoteInQuoted = c == '"';
                            continue;
                        }

                        quoteInQuoted = false;
                        if (c == '"')
                        {
                            continue; // "" inside quotes
                        }

                        quoted = false; // the closing quote; this character follows the field
                    }

                    if (c == '"' && fieldStart)
                    {
                        quoted = true;
                        fieldStart = false;
                    }
                    else if (c == delimiter)
                    {
                        fieldStart = true;
                        if (++fields > limits.MaxColumns)
                        {
                            throw ImportLimits.Exceeded("columns", $"Line {ImportLimits.Count(recordLine)} of the file has more than {limits.MaxColumns} fields, more than one import may have. Keep only the columns you import.");
                        }
                    }
                    else if (c is '\n' or '\r')
                    {
                        fieldStart = true;
                        fields = 1;
                        length = 0;
                        recordLine = line;
                    }
                    else
                    {
                        fieldStart = false;
                    }
                }
            }
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException($"The file is not UTF-8 text (near line {ImportLimits.Count(line)}): {TextEncodings.CodePageAdvice}.");
        }
    }

    private static ImportFileException RecordTooLong(long line, ImportLimits limits) =>
        ImportLimits.Exceeded("record size", $"The record from line {ImportLimits.Count(line)} of the file is longer than {ImportLimits.Size(limits.MaxRecordBytes)} characters: look there for a quote (\") that is opened but not closed, or split the file.");

    /// <summary>The delimiter the header uses most, outside quotes: semicolon (Excel in Serbian), comma, or tab.</summary>
    internal static string DetectDelimiter(string headerLine)
    {
        int semicolons = 0, commas = 0, tabs = 0;
        var quoted = false;
        foreach (var c in headerLine)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted)
            {
                switch (c)
                {
                    case ';': semicolons++; break;
                    case ',': commas++; break;
                    case '\t': tabs++; break;
                }
            }
        }

        if (tabs > semicolons && tabs > commas)
        {
            return "\t";
        }

        return semicolons >= commas && semicolons > 0 ? ";" : ",";
    }

    private static string[] CheckHeader(string[] record, string delimiter)
    {
        var header = record.Select(name => name.Trim().Trim('\uFEFF')).ToArray();
        var empty = Array.FindIndex(header, name => name.Length == 0);
        if (empty >= 0)
        {
            throw new ImportFileException(
                $"Column {empty + 1} of the header line has no name{(empty == header.Length - 1 ? " (is there a delimiter '" + Shown(delimiter) + "' at the end of the line?)" : "")}: give every column a name, or delete the empty column.");
        }

        var duplicate = header.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ImportFileException($"The header line names the column \"{duplicate.Key}\" {duplicate.Count()} times: give every column its own name.");
        }

        return header;
    }

    private static void CheckWidth(CsvParser parser, int width, string delimiter)
    {
        if (parser.Count != width)
        {
            throw new ImportFileException(
                $"Line {parser.RawRow} has {parser.Count} fields but the header has {width}: check that line for a missing or extra delimiter ('{Shown(delimiter)}') or an unclosed quote (\"), then import the file again.");
        }
    }

    private static string Shown(string delimiter) => delimiter == "\t" ? "tab" : delimiter;

    private static (int? Wkt, (int Lon, int Lat)? Point) FindGeometry(string[] header, ImportReadOptions options)
    {
        int Named(string? name, string role)
        {
            var index = Array.FindIndex(header, h => string.Equals(h, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            return index >= 0
                ? index
                : throw new ImportFileException($"The column \"{name}\" chosen for the {role} is not in the file. Its columns are: {string.Join(", ", header)}.");
        }

        int? Find(string[] names)
        {
            var index = Array.FindIndex(header, h => names.Contains(NormaliseName(h)));
            return index >= 0 ? index : null;
        }

        if (options.WktColumn is not null)
        {
            return (Named(options.WktColumn, "WKT geometry"), null);
        }

        if (options.LonColumn is not null || options.LatColumn is not null)
        {
            var lon = options.LonColumn is not null ? Named(options.LonColumn, "longitude (easting)") : Find(LonNames);
            var lat = options.LatColumn is not null ? Named(options.LatColumn, "latitude (northing)") : Find(LatNames);
            if (lon is null || lat is null)
            {
                throw new ImportFileException($"Name both the longitude (easting) and the latitude (northing) column. The file's columns are: {string.Join(", ", header)}.");
            }

            return (null, (lon.Value, lat.Value));
        }

        if (Find(WktNames) is { } wkt)
        {
            return (wkt, null);
        }

        return Find(LonNames) is { } x && Find(LatNames) is { } y ? (null, (x, y)) : (null, null);
    }

    /// <summary>"Geografska_Dužina " → "geografska duzina": lower case, no diacritics, words separated by one space.</summary>
    internal static string NormaliseName(string name)
    {
        var decomposed = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (c is '_' or '-' or ' ' or '.' or '(' or ')' or '/')
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else
            {
                builder.Append(c == 'đ' ? 'd' : c);
            }
        }

        return builder.ToString().TrimEnd().Normalize(NormalizationForm.FormC);
    }

    private static (Geometry?, string?) ReadWkt(WKTReader reader, string text)
    {
        var wkt = text.Trim();
        if (wkt.Length == 0)
        {
            return (null, null);
        }

        if (wkt.StartsWith("SRID=", StringComparison.OrdinalIgnoreCase) && wkt.IndexOf(';', StringComparison.Ordinal) is var semicolon and > 0)
        {
            wkt = wkt[(semicolon + 1)..]; // PostGIS EWKT: the CRS is the file's, not the row's
        }

        try
        {
            return (reader.Read(wkt), null);
        }
        catch (Exception exception) when (exception is ParseException or ArgumentException or FormatException or InvalidOperationException)
        {
            return (null, $"the WKT geometry could not be read ({exception.Message.TrimEnd('.')})");
        }
    }

    private static (Geometry?, string?) ReadPoint(GeometryFactory factory, string lonText, string latText, bool decimalComma)
    {
        if (lonText.Trim().Length == 0 && latText.Trim().Length == 0)
        {
            return (null, null);
        }

        if (!TryNumber(lonText, decimalComma, out var x))
        {
            return (null, lonText.Trim().Length == 0 ? "the longitude (easting) is empty" : $"the longitude (easting) \"{lonText}\" is not a number");
        }

        if (!TryNumber(latText, decimalComma, out var y))
        {
            return (null, latText.Trim().Length == 0 ? "the latitude (northing) is empty" : $"the latitude (northing) \"{latText}\" is not a number");
        }

        return (factory.CreatePoint(new Coordinate(x, y)), null);
    }

    /// <summary>
    /// Whether (easting, northing) lies in Serbia in one of the CRSs we serve: degrees, Gauss-Krüger
    /// zone 7 (EPSG:3909), UTM 34N (32634/8682) or Web Mercator. Their ranges do not overlap when
    /// swapped, so a file whose X and Y fit only the other way round can be read safely.
    /// </summary>
    internal static bool PlausibleInSerbia(double easting, double northing) =>
        (easting is >= 18 and <= 23.5 && northing is >= 41.5 and <= 46.5)
        || (easting is >= 7.2e6 and <= 7.8e6 && northing is >= 4.5e6 and <= 5.3e6)
        || (easting is >= 1e5 and <= 9e5 && northing is >= 4.5e6 and <= 5.3e6)
        || (easting is >= 2.0e6 and <= 2.7e6 && northing is >= 5.1e6 and <= 5.9e6);

    private static bool TryNumber(string text, bool decimalComma, out double value)
    {
        var trimmed = text.Trim();
        if (decimalComma && !trimmed.Contains('.', StringComparison.Ordinal) && trimmed.Count(c => c == ',') == 1)
        {
            trimmed = trimmed.Replace(',', '.'); // "21,9" from a Serbian-locale spreadsheet
        }

        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}
