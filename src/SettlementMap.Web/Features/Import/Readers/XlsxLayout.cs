using System.IO.Compression;
using System.Xml;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Walks a workbook's XML with a streaming XmlReader before ExcelDataReader opens it: every
/// sheet's declared dimension and every row and cell reference within MaxRows and MaxColumns,
/// every XML part within MaxXmlPartBytes, the shared strings' declared counts within their bytes.
/// ExcelDataReader (kept: a maintained reader of Excel's many cell and number formats) sizes its
/// rows from those declarations and hands out every empty row up to the last one, so one cell at
/// XFD1048576 made it materialise a 16,384 × 1,048,576 grid.
/// </summary>
internal static class XlsxLayout
{
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Checks the (already safe) zip's workbook parts; the refusal names the sheet and the cell.</summary>
    public static void Check(IReadOnlyList<ZipArchiveEntry> files, ImportLimits limits, CancellationToken cancellationToken)
    {
        foreach (var part in files.Where(f => f.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || f.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)))
        {
            if (part.Length > limits.MaxXmlPartBytes)
            {
                throw ImportLimits.Exceeded("size", $"The part \"{part.FullName}\" of the workbook unpacks to {ImportLimits.Size(part.Length)}, more than the {ImportLimits.Size(limits.MaxXmlPartBytes)} we read. Split the sheet into smaller workbooks.");
            }
        }

        try
        {
            var names = SheetNames(files);
            foreach (var sheet in files.Where(f => f.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && f.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)))
            {
                CheckSheet(sheet, names.GetValueOrDefault(sheet.FullName) ?? Path.GetFileNameWithoutExtension(sheet.Name), limits, cancellationToken);
            }

            if (files.FirstOrDefault(f => f.FullName.Equals("xl/sharedStrings.xml", StringComparison.OrdinalIgnoreCase)) is { } strings)
            {
                // ExcelDataReader holds every shared string for the whole read: count them against the memory budget (UTF-16, at most twice their bytes).
                if (2 * strings.Length > limits.MaxMemoryBytes)
                {
                    throw ImportLimits.Exceeded("memory", $"The workbook's shared strings unpack to {ImportLimits.Size(strings.Length)}, more than the {ImportLimits.Size(limits.MaxMemoryBytes)} one import may hold at once. Split the sheet into smaller workbooks.");
                }

                CheckSharedStrings(strings);
            }
        }
        catch (InvalidDataException)
        {
            // A corrupt local header or an unknown compression method of one part.
            throw new ImportFileException("The workbook is damaged: a part of it cannot be unpacked. Save it again as .xlsx and import that.");
        }
    }

    private static XmlReader Open(ZipArchiveEntry entry) =>
        // No DTDs (entity expansion bombs), no external resources.
        XmlReader.Create(entry.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true, IgnoreWhitespace = true });

    /// <summary>Part name (xl/worksheets/sheet1.xml) → the sheet's name as Excel shows it.</summary>
    private static Dictionary<string, string> SheetNames(IReadOnlyList<ZipArchiveEntry> files)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var workbook = files.FirstOrDefault(f => f.FullName.Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase));
        var rels = files.FirstOrDefault(f => f.FullName.Equals("xl/_rels/workbook.xml.rels", StringComparison.OrdinalIgnoreCase));
        if (workbook is null || rels is null)
        {
            return names;
        }

        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using (var xml = Open(rels))
            {
                while (xml.Read())
                {
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" && xml.GetAttribute("Id") is { } id && xml.GetAttribute("Target") is { } target)
                    {
                        targets[id] = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
                    }
                }
            }

            using (var xml = Open(workbook))
            {
                while (xml.Read())
                {
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheet" && xml.GetAttribute("name") is { } name
                        && xml.GetAttribute("id", Relationships) is { } id && targets.TryGetValue(id, out var part))
                    {
                        names[part] = name;
                    }
                }
            }
        }
        catch (XmlException)
        {
            // Names only improve the messages; ExcelDataReader refuses a damaged workbook itself.
        }

        return names;
    }

    private static void CheckSheet(ZipArchiveEntry part, string sheet, ImportLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            using var xml = Open(part);
            long row = 0, column = 0, cells = 0;
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "row")
                {
                    // A far row without cells still makes the reader hand out every empty row before it; one with cells is named by its cell.
                    CheckCell(sheet, $"has an empty row {row}", row, 1, limits);
                }

                if (xml.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (xml.LocalName)
                {
                    case "dimension" when xml.GetAttribute("ref") is { } range:
                        // "A1:XFD1048576" or "B2": its last cell bounds what the sheet declares.
                        var last = range[(range.IndexOf(':', StringComparison.Ordinal) + 1)..];
                        if (Cell(last) is { } corner)
                        {
                            CheckCell(sheet, $"declares cells up to {last}", corner.Row, corner.Column, limits);
                        }

                        break;
                    case "row":
                        row = xml.GetAttribute("r") is { } r && long.TryParse(r, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : row + 1;
                        column = 0;
                        if (xml.IsEmptyElement)
                        {
                            CheckCell(sheet, $"has an empty row {row}", row, 1, limits);
                        }

                        if (row % 4096 == 0)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                        }

                        break;
                    case "c":
                        if (xml.GetAttribute("r") is { } reference && Cell(reference) is { } cell)
                        {
                            column = cell.Column;
                            CheckCell(sheet, $"has a cell at {reference}", cell.Row, cell.Column, limits);
                        }
                        else
                        {
                            column++;
                            CheckCell(sheet, $"has a cell in column {column} of row {row}", row, column, limits);
                        }

                        if (++cells % 65536 == 0)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                        }

                        break;
                }
            }
        }
        catch (XmlException exception)
        {
            throw new ImportFileException($"The sheet \"{sheet}\" of the workbook is damaged (its XML breaks off at line {exception.LineNumber}): save it again as .xlsx and import that.");
        }
    }

    /// <summary>Refuses a sheet whose <paramref name="what"/> ("has a cell at XFD1048576") lies beyond the limits.</summary>
    private static void CheckCell(string sheet, string what, long row, long column, ImportLimits limits)
    {
        if (row <= limits.MaxRows + 1 && column <= limits.MaxColumns)
        {
            return;
        }

        throw ImportLimits.Exceeded(column > limits.MaxColumns ? "columns" : "rows",
            $"The sheet \"{sheet}\" {what}, beyond the {ImportLimits.Count(limits.MaxColumns)} columns and {ImportLimits.Count(limits.MaxRows)} rows (under a header) we read. "
            + "Delete the cells (even empty formatted ones) beyond your data, save the workbook again and import that.");
    }

    /// <summary>"XFD1048576" → (1048576, 16384); null when it is not a cell reference (or absurdly long).</summary>
    internal static (long Row, long Column)? Cell(string reference)
    {
        var text = reference.Replace("$", "", StringComparison.Ordinal);
        var letters = 0;
        long column = 0;
        while (letters < text.Length && char.IsAsciiLetter(text[letters]))
        {
            column = (column * 26) + (char.ToUpperInvariant(text[letters]) - 'A' + 1);
            if (++letters > 7)
            {
                return null;
            }
        }

        var digits = text[letters..];
        return letters > 0 && digits.Length is > 0 and <= 12 && digits.All(char.IsAsciiDigit)
            ? (long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), column)
            : null;
    }

    /// <summary>The shared strings' declared counts: each string takes at least "&lt;si&gt;&lt;/si&gt;" of the part's bytes.</summary>
    private static void CheckSharedStrings(ZipArchiveEntry part)
    {
        try
        {
            using var xml = Open(part);
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "sst")
                {
                    continue;
                }

                foreach (var attribute in new[] { "count", "uniqueCount" })
                {
                    if (xml.GetAttribute(attribute) is { } text && (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count > part.Length / 9))
                    {
                        throw new ImportFileException($"The workbook is damaged: its shared strings declare {text} strings in {ImportLimits.Count(part.Length)} bytes. Save it again as .xlsx and import that.");
                    }
                }

                return;
            }
        }
        catch (XmlException)
        {
            throw new ImportFileException("The workbook's shared strings are damaged: save it again as .xlsx and import that.");
        }
    }
}
