using System.Globalization;
using System.Runtime.CompilerServices;
using ExcelDataReader;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// One sheet of an Excel workbook (.xlsx) of attributes, no geometry: the first non-empty row is
/// the header. The workbook is a zip, so it is checked like an uploaded zip before ExcelDataReader
/// opens it; opening also walks the sheet once to refuse bad headers up front.
/// </summary>
internal sealed class XlsxSource : IImportSource
{
    private readonly string _path;
    private readonly int _sheetIndex;
    private readonly int _headerRow;
    private readonly int _width;

    private XlsxSource(string path, int sheetIndex, int headerRow, int width, SourceDescription description)
    {
        _path = path;
        _sheetIndex = sheetIndex;
        _headerRow = headerRow;
        _width = width;
        Description = description;
    }

    public SourceDescription Description { get; }

    public static async Task<IImportSource> OpenAsync(string path, ImportReadOptions options, ImportLimits limits, CancellationToken cancellationToken)
    {
        await using (var stream = OpenFile(path))
        using (var zip = SafeZip.Open(stream, limits, "Excel workbook"))
        {
            // Checked only: names, entry count, declared sizes and ratios, then the sheets' cell
            // references. ExcelDataReader unpacks it itself, and .NET's zip reader stops each entry
            // at its declared size.
            XlsxLayout.Check(zip.Files, limits, cancellationToken);
        }

        return await Task.Run(() => Open(path, options, cancellationToken), cancellationToken);
    }

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = Description.Columns;
        await using var stream = OpenFile(_path);
        using var reader = Create(stream);
        MoveToSheet(reader, _sheetIndex);
        var row = 0;
        while (Next(reader, row))
        {
            row++;
            cancellationToken.ThrowIfCancellationRequested();
            if (row <= _headerRow)
            {
                continue;
            }

            var values = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
            var any = false;
            for (var i = 0; i < _width && i < reader.FieldCount; i++)
            {
                var text = ValueText.Of(reader.GetValue(i));
                values[columns[i]] = text;
                any |= text is not null;
            }

            if (any)
            {
                // Numbered by data row: sheet row minus the header's, so a user finds row n at sheet row n + header row.
                yield return new SourceRow(row - _headerRow, values, null, null);
            }

            if (row % 1000 == 0)
            {
                await Task.Yield();
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: false);

    private static XlsxSource Open(string path, ImportReadOptions options, CancellationToken cancellationToken)
    {
        using var stream = OpenFile(path);
        using var reader = Create(stream);
        var sheets = new List<string>();
        try
        {
            do
            {
                sheets.Add(reader.Name);
            }
            while (reader.NextResult());
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            throw Unreadable();
        }

        var sheetIndex = 0;
        if (!string.IsNullOrWhiteSpace(options.Sheet))
        {
            sheetIndex = sheets.FindIndex(name => name.Equals(options.Sheet.Trim(), StringComparison.OrdinalIgnoreCase));
            if (sheetIndex < 0)
            {
                throw new ImportFileException($"The workbook has no sheet \"{options.Sheet}\". Its sheets are: {string.Join(", ", sheets)}.");
            }
        }

        MoveToSheet(reader, sheetIndex);
        string[]? header = null;
        var headerRow = 0;
        var row = 0;
        long dataRows = 0;
        while (Next(reader, row))
        {
            row++;
            cancellationToken.ThrowIfCancellationRequested();
            var cells = Enumerable.Range(0, reader.FieldCount).Select(i => ValueText.Of(reader.GetValue(i))?.Trim()).ToArray();
            if (header is null)
            {
                if (cells.Any(cell => !string.IsNullOrEmpty(cell)))
                {
                    header = CheckHeader(cells, row);
                    headerRow = row;
                }

                continue;
            }

            for (var i = header.Length; i < cells.Length; i++)
            {
                if (!string.IsNullOrEmpty(cells[i]))
                {
                    throw new ImportFileException($"Row {row} of sheet \"{sheets[sheetIndex]}\" has a value in column {ColumnLetters(i)}, which has no header: give that column a name in row {headerRow}, or delete it.");
                }
            }

            if (cells.Take(header.Length).Any(cell => !string.IsNullOrEmpty(cell)))
            {
                dataRows++;
            }
        }

        if (header is null)
        {
            throw new ImportFileException($"The sheet \"{sheets[sheetIndex]}\" is empty.");
        }

        if (dataRows == 0)
        {
            throw new ImportFileException($"The sheet \"{sheets[sheetIndex]}\" has a header row but no data rows.");
        }

        var description = new SourceDescription("XLSX", header, Crs: null, CrsNote: null, HasGeometry: false, Encoding: null, sheets[sheetIndex]);
        return new XlsxSource(path, sheetIndex, headerRow, header.Length, description);
    }

    private static IExcelDataReader Create(Stream stream)
    {
        try
        {
            return ExcelReaderFactory.CreateOpenXmlReader(stream, new ExcelReaderConfiguration { LeaveOpen = true });
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            throw Unreadable();
        }
    }

    private static void MoveToSheet(IExcelDataReader reader, int index)
    {
        reader.Reset();
        for (var i = 0; i < index; i++)
        {
            reader.NextResult();
        }
    }

    private static bool Next(IExcelDataReader reader, int row)
    {
        try
        {
            return reader.Read();
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            throw new ImportFileException($"The workbook is damaged after row {row} of the sheet: save it again as .xlsx and import that.");
        }
    }

    /// <summary>Trailing unnamed columns are dropped (spreadsheets carry formatted empty columns); a gap or a repeated name is refused.</summary>
    private static string[] CheckHeader(string?[] cells, int row)
    {
        var width = cells.Length;
        while (width > 0 && string.IsNullOrEmpty(cells[width - 1]))
        {
            width--;
        }

        var header = cells.Take(width).Select(cell => cell ?? "").ToArray();
        var empty = Array.FindIndex(header, name => name.Length == 0);
        if (empty >= 0)
        {
            throw new ImportFileException($"Column {ColumnLetters(empty)} of the header row ({row}) has no name: give every column a name, or delete the empty column.");
        }

        var duplicate = header.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ImportFileException($"The header row ({row}) names the column \"{duplicate.Key}\" {duplicate.Count()} times: give every column its own name.");
        }

        return header;
    }

    /// <summary>0 → A, 25 → Z, 26 → AA: how Excel names a column.</summary>
    internal static string ColumnLetters(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    private static bool IsUnreadable(Exception exception) => ImportSources.IsFileFault(exception);

    private static ImportFileException Unreadable() =>
        new("The file is not a readable Excel workbook (.xlsx): it may be damaged or in another format. Save it again as .xlsx and import that.");
}
