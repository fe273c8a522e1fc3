using System.Globalization;
using System.Net;
using System.Text;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Import;

/// <summary>An import report as a page to read or print: every value from the file is HTML-encoded.</summary>
public static class ImportReportPage
{
    public static string Render(ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        // A field as a person reads it: its label (SettlementSchema) with the name a file or the API uses.
        static string F(string? field) => E(field is not null && SettlementSchema.Find(field) is { } a ? $"{a.Label.En} ({field})" : field);
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Import report: ").Append(E(report.FileName)).Append("</title><link rel=\"stylesheet\" href=\"/report.css\"></head><body class=\"report\">")
            .Append("<h1>Import report: ").Append(E(report.FileName)).Append("</h1>")
            .Append("<p class=\"outcome\">").Append(E(report.Outcome)).Append("</p><dl>");
        void Item(string term, object? value) => html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        Item("Format", report.Format + (report.Layer is null ? "" : $" (layer {report.Layer})"));
        Item("Coordinate system", $"{report.Crs} ({report.CrsSource})");
        Item("Encoding", report.Encoding ?? "—");
        Item("Rows read", report.RowsRead);
        Item("Rows with problems", report.RowsWithProblems);
        Item(report.Applied ? "Created" : "Would create", report.Created);
        Item(report.Applied ? "Updated" : "Would update", report.Updated);
        Item("Unchanged", report.Unchanged);
        Item("Invalid outlines repaired", report.Repairs.Count);
        if (report.Describes is { } describes)
        {
            Item("Data describes", describes.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Item(report.Applied ? "Into history (older than the current state)" : "Would go into history (older than the current state)", report.History);
        }
        Item("Time", $"{report.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        html.Append("</dl>");
        foreach (var note in report.Notes)
        {
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>");
        }
        html.Append("<h2>Column mapping</h2><table><thead><tr><th>Column in the file</th><th>Settlement field</th></tr></thead><tbody>");
        foreach (var (column, target) in report.Mapping)
        {
            html.Append("<tr><td>").Append(E(column)).Append("</td><td>").Append(F(target)).Append("</td></tr>");
        }
        foreach (var column in report.UnmappedColumns)
        {
            html.Append("<tr class=\"unmapped\"><td>").Append(E(column)).Append("</td><td>not imported (unmapped)</td></tr>");
        }
        html.Append("</tbody></table>");
        if (report.Placements.Count > 0)
        {
            html.Append("<h2>Where each row goes</h2><table><thead><tr><th>Row</th><th>Code</th><th>Becomes</th></tr></thead><tbody>");
            foreach (var placement in report.Placements)
            {
                html.Append("<tr><td>").Append(placement.Row).Append("</td><td>").Append(E(placement.Code)).Append("</td><td>")
                    .Append(placement.Becomes == ImportReport.BecomesHistory ? "history (a newer version exists)" : "current state").Append("</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        html.Append("<h2>Problems</h2>");
        if (report.ProblemsTotal == 0)
        {
            html.Append("<p>None.</p>");
        }
        else
        {
            if (report.ProblemsTotal > report.Problems.Count)
            {
                html.Append("<p>The first ").Append(report.Problems.Count).Append(" of ").Append(report.ProblemsTotal).Append(" problems:</p>");
            }
            html.Append("<table><thead><tr><th>Row</th><th>Field</th><th>Value</th><th>Why</th></tr></thead><tbody>");
            foreach (var p in report.Problems)
            {
                html.Append("<tr><td>").Append(p.Row).Append("</td><td>").Append(F(p.Field)).Append("</td><td>").Append(E(p.Value)).Append("</td><td>").Append(E(p.Reason)).Append("</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        if (report.Repairs.Count > 0)
        {
            html.Append("<h2>Repaired outlines</h2><table><thead><tr><th>Row</th><th>Code</th><th>What was wrong</th></tr></thead><tbody>");
            foreach (var r in report.Repairs)
            {
                html.Append("<tr><td>").Append(r.Row).Append("</td><td>").Append(E(r.Code)).Append("</td><td>").Append(E(r.Reason)).Append("</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        return html.Append("</body></html>").ToString();
    }
}
