using System.Globalization;
using System.Text.RegularExpressions;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>
/// Numbers and dates as survey files write them, Serbian and English conventions alike.
/// <para>
/// Numbers: spaces (also no-break and thin spaces) and apostrophes group thousands ("1 234");
/// with both '.' and ',' the last one is the decimal mark ("1.234,5" and "1,234.5");
/// one mark repeated groups thousands ("1.234.567"); a single mark is the decimal mark
/// ("12,5", "12.5") except in whole numbers, where a mark followed by exactly three digits after
/// one to three leading digits groups thousands: "1.234" and "1,234" are both 1234 (for a count
/// either reading of "1,234" that is not 1234 would not be a whole number). "1234.0" and "1234,00"
/// are whole. An estimate may start with "cca", "oko", "približno", "about", "approx." or "~".
/// </para>
/// <para>Dates: yyyy-MM-dd (a time after it is ignored), d.M.yyyy with or without the final dot and
/// with or without spaces after the dots ("1. 5. 2019."), and the invariant culture's
/// MM/dd/yyyy HH:mm:ss that a reader may produce for a spreadsheet date cell.</para>
/// </summary>
public static partial class ImportValues
{
    private static readonly string[] EstimatePrefixes = ["cca", "ca", "oko", "priblizno", "pribl", "otprilike", "about", "approx", "approximately", "around", "~", "≈"];

    /// <summary>Reads a decimal number; false when the text is not one.</summary>
    /// <param name="text">The number as written.</param>
    /// <param name="whole">Whether the number is a count, where "1.234" and "1,234" group thousands.</param>
    /// <param name="value">The number read.</param>
    public static bool TryParseNumber(string text, bool whole, out decimal value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        var s = StripEstimate(text.Trim());
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+' or '−')
        {
            negative = s[0] != '+';
            s = s[1..].TrimStart();
        }
        string? digits;
        if (s.Any(c => c is ' ' or '\'' or '’' || char.IsWhiteSpace(c)))
        {
            var grouped = SpaceGrouped().Match(s);
            digits = grouped.Success ? SpaceOrApostrophe().Replace(grouped.Groups["int"].Value, "") + Fraction(grouped.Groups["frac"].Value) : null;
        }
        else if (s.Contains('.', StringComparison.Ordinal) && s.Contains(',', StringComparison.Ordinal))
        {
            var decimalMark = s.LastIndexOf('.') > s.LastIndexOf(',') ? '.' : ',';
            var groupMark = decimalMark == '.' ? ',' : '.';
            var grouped = (groupMark == '.' ? DotGroupedCommaDecimal() : CommaGroupedDotDecimal()).Match(s);
            digits = grouped.Success ? grouped.Groups["int"].Value.Replace(groupMark.ToString(), "", StringComparison.Ordinal) + Fraction(grouped.Groups["frac"].Value) : null;
        }
        else if (s.Count(c => c is '.' or ',') > 1)
        {
            digits = MarkGrouped().IsMatch(s) ? s.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal) : null;
        }
        else if (whole && ThousandsOnly().IsMatch(s))
        {
            digits = s.Remove(s.IndexOfAny(['.', ',']), 1);
        }
        else
        {
            digits = PlainNumber().IsMatch(s) ? s.Replace(',', '.') : null;
        }
        if (digits is null || !decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        value = negative ? -value : value;
        return true;
    }

    /// <summary>Reads a whole number ("1 234", "1.234", "1234,0"); false for text or a fraction.</summary>
    /// <param name="text">The number as written.</param>
    /// <param name="value">The number read.</param>
    public static bool TryParseWhole(string text, out int value)
    {
        value = 0;
        if (!TryParseNumber(text, whole: true, out var number) || number != decimal.Truncate(number) || number is > int.MaxValue or < int.MinValue)
        {
            return false;
        }
        value = (int)number;
        return true;
    }

    /// <summary>Reads a decade: "1970", "1970s", "1970-ih", "1970-tih", "1970-e"; a year such as 1973 gives its decade, 1970.</summary>
    /// <param name="text">The decade or year as written.</param>
    /// <param name="decade">The first year of the decade.</param>
    public static bool TryParseDecade(string text, out int decade)
    {
        ArgumentNullException.ThrowIfNull(text);
        decade = 0;
        var match = Decade().Match(SerbianScript.ToLatin(text.Trim()).ToLowerInvariant());
        if (match.Success)
        {
            decade = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        }
        else if (!TryParseWhole(text, out decade))
        {
            return false;
        }
        decade -= decade % 10;
        return true;
    }

    /// <summary>Reads a date written yyyy-MM-dd, d.M.yyyy(.) or as the invariant culture writes a date and time.</summary>
    /// <param name="text">The date as written.</param>
    /// <param name="date">The date read.</param>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (IsoDateTime().Match(s) is { Success: true } iso)
        {
            s = iso.Groups["date"].Value;
        }
        else if (InvariantDateTime().Match(s) is { Success: true } invariant)
        {
            return DateOnly.TryParseExact(invariant.Groups["date"].Value, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }
        else
        {
            s = SpacesAfterDots().Replace(s, ".").TrimEnd('.');
        }
        return DateOnly.TryParseExact(s, ["yyyy-MM-dd", "yyyy-M-d", "d.M.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static string StripEstimate(string text)
    {
        var lower = SerbianScript.SearchKey(text);
        foreach (var prefix in EstimatePrefixes)
        {
            if (lower.StartsWith(prefix, StringComparison.Ordinal) && lower.Length > prefix.Length
                && (!char.IsLetter(prefix[0]) || !char.IsLetter(lower[prefix.Length])))
            {
                // The prefix is ASCII or one Cyrillic letter per Latin letter, so its length carries over.
                return text[Math.Min(text.Length, LengthOfPrefix(text, prefix.Length))..].TrimStart('.', ' ', '\u00A0');
            }
        }
        return text;
    }

    /// <summary>Where a prefix of so many Latin letters ends in the text (Cyrillic "Љ" is two Latin letters).</summary>
    private static int LengthOfPrefix(string text, int latinLength)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            count += SerbianScript.ToLatin(text[i].ToString()).Length;
            if (count >= latinLength)
            {
                return i + 1;
            }
        }
        return text.Length;
    }

    private static string Fraction(string fraction) => fraction.Length > 0 ? "." + fraction[1..] : "";

    [GeneratedRegex(@"^(?<int>\d{1,3}(?:[\s'’]\d{3})+)(?<frac>[.,]\d+)?$")]
    private static partial Regex SpaceGrouped();

    [GeneratedRegex(@"[\s'’]")]
    private static partial Regex SpaceOrApostrophe();

    [GeneratedRegex(@"^(?<int>\d{1,3}(?:\.\d{3})+)(?<frac>,\d+)?$")]
    private static partial Regex DotGroupedCommaDecimal();

    [GeneratedRegex(@"^(?<int>\d{1,3}(?:,\d{3})+)(?<frac>\.\d+)?$")]
    private static partial Regex CommaGroupedDotDecimal();

    [GeneratedRegex(@"^\d{1,3}(?:(?:\.\d{3})+|(?:,\d{3})+)$")]
    private static partial Regex MarkGrouped();

    [GeneratedRegex(@"^[1-9]\d{0,2}[.,]\d{3}$")]
    private static partial Regex ThousandsOnly();

    [GeneratedRegex(@"^(?:\d+(?:[.,]\d*)?|[.,]\d+)$")]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"^(?<year>\d{4})\.?\s*(?:-?\s*(?:ih|tih|e|te)|'?s)$")]
    private static partial Regex Decade();

    [GeneratedRegex(@"^(?<date>\d{4}-\d{1,2}-\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex IsoDateTime();

    [GeneratedRegex(@"^(?<date>\d{2}/\d{2}/\d{4}) \d{2}:\d{2}:\d{2}$")]
    private static partial Regex InvariantDateTime();

    [GeneratedRegex(@"\.\s+")]
    private static partial Regex SpacesAfterDots();
}
