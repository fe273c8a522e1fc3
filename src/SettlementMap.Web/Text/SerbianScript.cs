using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SettlementMap.Web.Text;

/// <summary>
/// Serbian Latin ↔ Cyrillic transliteration (one letter each way, digraphs lj, nj, dž) and the
/// search key that makes "Крагујевац", "Kragujevac" and "kragujevac", or "Cukarica" and
/// "Čukarica", equal. wwwroot/js/i18n.js (toCyrillic) holds the same rule for the page;
/// TransliterationAgreementTests runs both on the same texts.
/// </summary>
public static partial class SerbianScript
{
    /// <summary>
    /// Foreign acronyms and names written in capitals that Serbian Cyrillic texts keep in Latin
    /// letters. Whether capitals are foreign cannot be read from the letters (UNDP and JKP, ROMACTED
    /// and LJUBAV use the same alphabet), so they are listed; capitals with a letter Serbian lacks
    /// (Q, W, X, Y) and Roman numerals stay Latin without a list.
    /// </summary>
    public static readonly IReadOnlyList<string> LatinAcronyms = ["ROMACTED", "UNDP", "UNHCR", "UNV"];

    /// <summary>
    /// Whether a word (a run of letters) stays in Latin letters in Cyrillic text: capitals only, two
    /// or more, and a Roman numeral up to XXXIX ("Livade II"), or with Q, W, X or Y, or a listed acronym.
    /// Single letters are transliterated: "I" is also the conjunction, "V" a letter of a list.
    /// </summary>
    public static bool StaysLatin(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Capitals().IsMatch(word) && (RomanNumeral().IsMatch(word) || word.AsSpan().IndexOfAny("QWXY") >= 0 || LatinAcronyms.Contains(word));
    }

    [GeneratedRegex("^[A-Z]{2,}$")]
    private static partial Regex Capitals();

    [GeneratedRegex("^X{0,3}(IX|IV|V?I{0,3})$")]
    private static partial Regex RomanNumeral();

    private static readonly (string Latin, string Cyrillic)[] Letters =
    [
        ("Dž", "Џ"), ("DŽ", "Џ"), ("dž", "џ"), ("Lj", "Љ"), ("LJ", "Љ"), ("lj", "љ"), ("Nj", "Њ"), ("NJ", "Њ"), ("nj", "њ"),
        ("A", "А"), ("B", "Б"), ("V", "В"), ("G", "Г"), ("D", "Д"), ("Đ", "Ђ"), ("E", "Е"), ("Ž", "Ж"), ("Z", "З"),
        ("I", "И"), ("J", "Ј"), ("K", "К"), ("L", "Л"), ("M", "М"), ("N", "Н"), ("O", "О"), ("P", "П"), ("R", "Р"),
        ("S", "С"), ("T", "Т"), ("Ć", "Ћ"), ("U", "У"), ("F", "Ф"), ("H", "Х"), ("C", "Ц"), ("Č", "Ч"), ("Š", "Ш"),
        ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("đ", "ђ"), ("e", "е"), ("ž", "ж"), ("z", "з"),
        ("i", "и"), ("j", "ј"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
        ("s", "с"), ("t", "т"), ("ć", "ћ"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "ц"), ("č", "ч"), ("š", "ш"),
    ];

    private static readonly Dictionary<char, string> CyrillicToLatin = Letters
        .Where(l => l.Latin is not "DŽ" and not "LJ" and not "NJ")
        .ToDictionary(l => l.Cyrillic[0], l => l.Latin);

    public static string ToCyrillic(string latin)
    {
        ArgumentNullException.ThrowIfNull(latin);
        var result = new StringBuilder(latin.Length);
        for (var i = 0; i < latin.Length;)
        {
            if (char.IsLetter(latin[i]) && (i == 0 || !char.IsLetter(latin[i - 1])))
            {
                var end = i;
                while (end < latin.Length && char.IsLetter(latin[end]))
                {
                    end++;
                }
                if (StaysLatin(latin[i..end]))
                {
                    result.Append(latin, i, end - i);
                    i = end;
                    continue;
                }
            }
            var match = Letters.FirstOrDefault(l => string.CompareOrdinal(latin, i, l.Latin, 0, l.Latin.Length) == 0);
            if (match.Latin is null)
            {
                result.Append(latin[i++]);
                continue;
            }
            result.Append(match.Cyrillic);
            i += match.Latin.Length;
        }
        return result.ToString();
    }

    public static string ToLatin(string cyrillic)
    {
        ArgumentNullException.ThrowIfNull(cyrillic);
        var result = new StringBuilder(cyrillic.Length);
        foreach (var c in cyrillic)
        {
            result.Append(CyrillicToLatin.TryGetValue(c, out var latin) ? latin : c.ToString());
        }
        return result.ToString();
    }

    /// <summary>Latin, lower case, without diacritics (đ → dj): the key both scripts share.</summary>
    public static string SearchKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var latin = ToLatin(text).ToLowerInvariant().Replace("đ", "dj", StringComparison.Ordinal);
        var decomposed = latin.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(c);
            }
        }
        return result.ToString().Normalize(NormalizationForm.FormC);
    }
}
