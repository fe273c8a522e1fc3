namespace SettlementMap.Web.Http;

/// <summary>A value a client sent, as an error message quotes it: its first 40 characters, then "…".</summary>
public static class Shown
{
    public const int MaxLength = 40;

    public static string Value(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }
}
