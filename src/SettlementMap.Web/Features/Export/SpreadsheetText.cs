using System.Globalization;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// CSV formula injection (CWE-1236), neutralised as OWASP's "CSV Injection" page and ASVS 1.2.10 say:
/// a text cell whose first character is = + - @, a tab, a carriage return or NUL is opened by Excel,
/// LibreOffice and Google Sheets as a formula (=HYPERLINK(…) leaks data, =cmd|… runs a program), so it
/// gets a leading single quote, which spreadsheets take as "this is text". RFC 4180 quoting
/// (CsvHelper's) is not enough on its own: a spreadsheet unquotes first, then evaluates.
/// </summary>
public static class SpreadsheetText
{
    /// <summary>What the metadata tells the reader of a CSV about this.</summary>
    public const string Note =
        "Text cells that start with =, +, -, @, a tab or a carriage return (which spreadsheets would run as formulas) " +
        "are written with a leading single quote ('); remove it to get the stored text. Numbers are written as they are.";

    private const string Triggers = "=+-@\t\r\0";

    /// <summary>The text as a CSV cell: prefixed with ' when a spreadsheet would read it as a formula.</summary>
    public static string Cell(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && Triggers.Contains(text[0], StringComparison.Ordinal) && !IsNumber(text) ? "'" + text : text;
    }

    // "-12.5" or "+3" in a text column is a number to a spreadsheet, not a formula: it stays as written.
    private static bool IsNumber(string text) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);
}
