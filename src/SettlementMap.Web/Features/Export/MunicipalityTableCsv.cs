using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// A table of municipalities as CSV for spreadsheets (the coverage gaps', data freshness'): headers are the page's own
/// labels in a language, each row begins with the municipality's and its district's names in that language's script
/// and ends with the municipality's code for joining with other data; text cells are made safe (<see cref="SpreadsheetText"/>).
/// UTF-8 with a byte-order mark, as Excel wants.
/// </summary>
public sealed class MunicipalityTableCsv(PageLabels labels, string language)
{
    private readonly PageLabels _labels = labels ?? throw new ArgumentNullException(nameof(labels));

    public string Language { get; } = language;

    /// <summary>The page's label of a key in the language (the key itself when the page has none).</summary>
    public string Labelled(string key) => _labels.Find(key)?.In(Language) ?? key;

    /// <summary>
    /// The CSV: the headers (labels already in the language) between "municipality, district" and "code", then a line a row
    /// with <paramref name="cells"/> writing the middle ones.
    /// </summary>
    public byte[] Write<TRow>(IEnumerable<string> headers, IEnumerable<TRow> rows, Func<TRow, MunicipalityNames> names, Action<CsvWriter, TRow> cells)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(cells);
        using var stream = new MemoryStream();
        using (var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)))
        {
            foreach (var header in (string[])[Labelled("coverage.table.municipality"), Labelled("coverage.table.district"), .. headers, Labelled("coverage.table.code")])
            {
                csv.WriteField(SpreadsheetText.Cell(header));
            }
            csv.NextRecord();
            foreach (var row in rows)
            {
                var place = names(row);
                // A municipality has no English name: English reads the Latin one.
                csv.WriteField(SpreadsheetText.Cell(new Label(place.NameLatn, place.NameCyrl, place.NameLatn).In(Language)));
                csv.WriteField(SpreadsheetText.Cell(new Label(place.DistrictNameLatn, place.DistrictNameCyrl, place.DistrictNameEn).In(Language)));
                cells(csv, row);
                csv.WriteField(SpreadsheetText.Cell(place.Code));
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }
}

/// <summary>A municipality's code and names and its district's, as a row of a <see cref="MunicipalityTableCsv"/> begins and ends.</summary>
public sealed record MunicipalityNames(string Code, string NameLatn, string NameCyrl, string DistrictNameLatn, string DistrictNameCyrl, string DistrictNameEn);
