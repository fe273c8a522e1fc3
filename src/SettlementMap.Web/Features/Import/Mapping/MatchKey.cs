using System.Text;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>
/// The keys that make what people write in survey files comparable: Latin script, lower case,
/// no diacritics (đ → dj, č/ć → c), so "Водовод", "VODOVOD" and "vodovod" share one key.
/// </summary>
public static class MatchKey
{
    /// <summary>
    /// The key of a cell value: words separated by one space; spaces, underscores, hyphens,
    /// dots, commas, slashes and brackets all separate words ("Septička-jama" → "septicka jama",
    /// "n/a" → "n a"). Other signs ("?", "+") are kept.
    /// </summary>
    public static string Value(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = SerbianScript.SearchKey(text);
        var result = new StringBuilder(key.Length);
        var pendingSpace = false;
        foreach (var c in key)
        {
            if (IsSeparator(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>
    /// The key of a column name: letters and digits only ("Broj_stanovnika", "broj stanovnika",
    /// "BrojStanovnika" and "БРОЈ СТАНОВНИКА" → "brojstanovnika").
    /// </summary>
    public static string Column(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = SerbianScript.SearchKey(name);
        var result = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            if (char.IsLetterOrDigit(c))
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    /// <summary>True when the text has more Cyrillic letters than Latin ones.</summary>
    public static bool IsCyrillic(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int cyrillic = 0, latin = 0;
        foreach (var c in text)
        {
            if (c is >= '\u0400' and <= '\u04FF')
            {
                cyrillic++;
            }
            else if (char.IsLetter(c))
            {
                latin++;
            }
        }
        return cyrillic > latin;
    }

    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '_' or '-' or '–' or '—' or '.' or ',' or '/' or '\\' or ';' or ':'
            or '(' or ')' or '[' or ']' or '\'' or '"' or '„' or '“' or '”' or '‘' or '’' or '«' or '»';
}
