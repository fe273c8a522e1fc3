using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Reports;

/// <summary>
/// The measures report as CSV for a spreadsheet: its tables one after another, each a title line, a header line and its rows,
/// then an empty line; the words are the report page's (i18n.js) and the lists' labels in a language. Text cells are made
/// safe (<see cref="SpreadsheetText"/>: a title such as "=HYPERLINK(…)" stays text). UTF-8 with a byte-order mark, as Excel wants.
/// </summary>
public static class MeasureReportCsv
{
    public static byte[] Write(MeasureReport report, PageLabels labels, string language)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(labels);
        string L(string key) => labels.Find(key)?.In(language) ?? key;
        string Area(string value) => Listed(MeasureLists.PriorityArea, value, language);
        string Status(string value) => Listed(MeasureLists.Status, value, language);
        string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        using var stream = new MemoryStream();
        using (var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)))
        {
            void Line(params string[] cells)
            {
                foreach (var cell in cells)
                {
                    csv.WriteField(SpreadsheetText.Cell(cell));
                }
                csv.NextRecord();
            }
            void Table(string title, string[] headers, IEnumerable<string[]> rows)
            {
                Line(title);
                Line(headers);
                foreach (var row in rows)
                {
                    Line(row);
                }
                csv.NextRecord();
            }

            Line(L("measures.report.title"), new Label(report.Area.NameLatn, report.Area.NameCyrl, report.Area.Kind == "serbia" ? L("measures.report.serbia") : report.Area.NameLatn).In(language),
                report.Area.Code, report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.NextRecord();
            Table(L("measures.report.by_status"), [L("measures.report.area"), L("measures.report.status"), L("measures.report.count")],
                report.ByStatus.Select(c => new[] { Area(c.PriorityArea), Status(c.Status), c.Count.ToString(CultureInfo.InvariantCulture) }));
            Table(L("measures.report.over_time"), [L("measures.report.quarter"), L("measures.report.area"), L("measures.report.status"), L("measures.report.count")],
                report.OverTime.SelectMany(q => q.Counts.Select(c => new[]
                {
                    q.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Area(c.PriorityArea), Status(c.Status), c.Count.ToString(CultureInfo.InvariantCulture),
                })));
            if (report.Budgets.Restricted)
            {
                Line(L("measures.report.budgets"));
                Line(L("measures.report.budgets_restricted"));
                csv.NextRecord();
            }
            else
            {
                Table(L("measures.report.budgets"),
                    [L("measures.report.area"), L("measures.report.currency"), L("measures.report.measures"), L("measures.report.planned"), L("measures.report.spent")],
                    report.Budgets.Totals.Select(b => new[] { Area(b.PriorityArea), b.Currency, b.Measures.ToString(CultureInfo.InvariantCulture), Number(b.Planned), Number(b.Spent) }));
            }
            Table(L("measures.report.outcomes"),
                [L("measures.report.measure"), L("measures.report.done_on"), L("measures.report.settlement"), L("measures.report.attribute"), L("measures.report.target"),
                 L("measures.report.value_at_done"), L("measures.report.value_now"), L("measures.report.outcome"), L("measures.report.reached_on"), "measure_id", "settlement_code"],
                report.Outcomes.Select(o => new[]
                {
                    new Label(o.TitleLatn, o.TitleCyrl, o.TitleEn ?? o.TitleLatn).In(language), o.DoneOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    new Label(o.Settlement.NameLatn, o.Settlement.NameCyrl, o.Settlement.NameLatn).In(language),
                    AttributeLabel(o.Attribute, language), Value(o.Attribute, o.Target, language), Value(o.Attribute, o.ValueAtDone, language),
                    Value(o.Attribute, o.ValueNow, language), L("measures.report.outcome." + o.Outcome),
                    o.ReachedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", o.MeasureId.ToString(CultureInfo.InvariantCulture), o.Settlement.Code,
                }));
            Table(L("measures.report.gaps"), [L("measures.report.attribute"), L("measures.report.target"), L("measures.report.settlements"), L("measures.report.map")],
                report.Gaps.Select(g => new[] { AttributeLabel(g.Attribute, language), Value(g.Attribute, g.Target, language), g.Settlements.ToString(CultureInfo.InvariantCulture), g.MapLink }));
        }
        return stream.ToArray();
    }

    private static string Listed(ClosedList list, string value, string language) =>
        list.Values.FirstOrDefault(v => v.Value == value)?.Label.In(language) ?? value;

    private static string AttributeLabel(string attribute, string language) => SettlementSchema.Find(attribute)?.Label.In(language) ?? attribute;

    /// <summary>An attribute's value in words: its closed list's label, or the number as written.</summary>
    private static string Value(string attribute, object? value, string language) => value switch
    {
        null => "",
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        string text when SettlementSchema.Find(attribute)?.List is { } list => Listed(list, text, language),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
