using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SettlementMap.Web.Text;

/// <summary>
/// JSON strings as they were written, even when an escape names a lone UTF-16 surrogate
/// ("\ud800"): System.Text.Json's GetString throws on those, which stopped a whole import (and
/// the CLI) on one bad name. Here the surrogate is kept, so the settlement rules refuse that one
/// value by name (SettlementRules.CleanText) and the rest of the file is read.
/// </summary>
public static class JsonStrings
{
    public static string Get(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
            return Unescape(Encoding.UTF8.GetString(raw));
        }
    }

    public static string Get(JsonElement element)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            var raw = element.GetRawText();
            return Unescape(raw[1..^1]);
        }
    }

    public static string Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            // The raw text is "name": value; the name ends at the first quote not escaped.
            var raw = property.ToString();
            var end = 1;
            while (raw[end] != '"')
            {
                end += raw[end] == '\\' ? 2 : 1;
            }
            return Unescape(raw[1..end]);
        }
    }

    /// <summary>Undoes JSON escapes in a string's content (without its quotes), keeping lone surrogates.</summary>
    private static string Unescape(string escaped)
    {
        var result = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '\\' || i + 1 == escaped.Length)
            {
                result.Append(escaped[i]);
                continue;
            }
            var next = escaped[++i];
            switch (next)
            {
                case 'u' when i + 4 < escaped.Length
                    && ushort.TryParse(escaped.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    result.Append((char)code);
                    i += 4;
                    break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                default: result.Append(next); break;
            }
        }
        return result.ToString();
    }
}
