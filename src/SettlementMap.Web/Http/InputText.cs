namespace SettlementMap.Web.Http;

/// <summary>
/// The one rule for text arriving in a query value, a path or a JSON string: no C0 control
/// character other than tab, line feed and carriage return (PostgreSQL cannot even store U+0000),
/// and no lone UTF-16 surrogate (not a character; UTF-8 cannot carry it).
/// </summary>
public static class InputText
{
    /// <summary>Rule keys a problem's "rules" carry; SettlementRules refuses the same characters under the same keys.</summary>
    public const string LoneSurrogateRule = "text.lone_surrogate";
    public const string ControlCharacterRule = "text.control_character";

    /// <summary>
    /// What is wrong with a text: its rule key, a message that continues "The text …", and the code
    /// with its parameters a page words in its language (the same as SettlementRules' for these characters).
    /// </summary>
    public sealed record TextFlaw(string Rule, string Message, string Code, IReadOnlyDictionary<string, object?> Params);

    /// <summary>Null when the text is acceptable; otherwise what is wrong with it.</summary>
    public static TextFlaw? Flaw(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return new(LoneSurrogateRule, $"contains a lone surrogate U+{(int)c:X4} at position {i + 1}, which is not a character; send UTF-8 text",
                    BrokenCharacterCode, Where(c, i));
            }
            else if (c < ' ' && c is not '\t' and not '\n' and not '\r')
            {
                return new(ControlCharacterRule, $"contains the control character U+{(int)c:X4} at position {i + 1}", ControlCharacterCode, Where(c, i));
            }
        }
        return null;
    }

    public const string BrokenCharacterCode = "broken_character";
    public const string ControlCharacterCode = "control_character";

    private static Dictionary<string, object?> Where(char c, int index) =>
        new(StringComparer.Ordinal) { ["character"] = $"U+{(int)c:X4}", ["position"] = index + 1 };

    /// <summary>A name for a parameter or field whose own name breaks the rule, safe to echo.</summary>
    public static string Printable(string name) =>
        string.Concat(name.Select(c => c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
