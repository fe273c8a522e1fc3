using System.Text.Json.Serialization;

namespace SettlementMap.Web.Text;

/// <summary>A text a person reads, in the three languages of the service.</summary>
/// <param name="Latn">Serbian, Latin script.</param>
/// <param name="Cyrl">Serbian, Cyrillic script: written out, since a letter-for-letter transliteration
/// is wrong for brand names (ROMACTED), Roman numerals and units.</param>
/// <param name="En">English.</param>
public sealed record Label(
    [property: JsonPropertyName("sr-Latn")] string Latn,
    [property: JsonPropertyName("sr-Cyrl")] string Cyrl,
    [property: JsonPropertyName("en")] string En)
{
    /// <summary>The language tags of the service, as the page names them (wwwroot/js/i18n.js LANGUAGES).</summary>
    public static IReadOnlyList<string> Languages { get; } = ["sr-Latn", "sr-Cyrl", "en"];

    /// <summary>The text for a language tag (sr-Latn, sr-Cyrl, en); English for any other.</summary>
    public string In(string language) => language switch
    {
        "sr-Latn" => Latn,
        "sr-Cyrl" => Cyrl,
        _ => En,
    };

    /// <summary>The three texts by language tag, English first (OGC queryables, export metadata).</summary>
    public Dictionary<string, string> ToJson() => new(StringComparer.Ordinal) { ["en"] = En, ["sr-Latn"] = Latn, ["sr-Cyrl"] = Cyrl };
}

