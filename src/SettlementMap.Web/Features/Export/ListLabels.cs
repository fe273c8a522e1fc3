using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The labels of the closed lists' values (water_supply "wells" → "wells", "bunari", "бунари"), read
/// from the page's dictionary, wwwroot/js/i18n.js: the one place they are written, so the export's
/// metadata and the page can never disagree. As the page does, Serbian Cyrillic is the transliteration
/// of the Latin text (list labels hold no technical names that the page keeps in Latin letters).
/// </summary>
public static partial class ListLabels
{
    public const string DictionaryFile = "js/i18n.js";

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ValueLabels>> ByWebRoot = new(StringComparer.Ordinal);

    /// <summary>A value's label in English, Serbian Latin and Serbian Cyrillic (JSON keys en, sr-Latn, sr-Cyrl).</summary>
    public sealed record ValueLabels(string En, string SrLatn, string SrCyrl)
    {
        public Dictionary<string, string> ToJson() => new(StringComparer.Ordinal) { ["en"] = En, ["sr-Latn"] = SrLatn, ["sr-Cyrl"] = SrCyrl };
    }

    /// <summary>The labels of every "list.{list}.{value}" key, keyed "{list}.{value}"; read once per web root.</summary>
    public static IReadOnlyDictionary<string, ValueLabels> Load(string webRoot) =>
        ByWebRoot.GetOrAdd(webRoot, static root => Parse(File.ReadAllText(Path.Combine(root, DictionaryFile))));

    public static IReadOnlyDictionary<string, ValueLabels> Parse(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var english = Entries(Block(script, "EN"));
        var latin = Entries(Block(script, "SR_LATN"));
        var labels = new Dictionary<string, ValueLabels>(StringComparer.Ordinal);
        foreach (var (key, en) in english)
        {
            // The page falls back to English where Serbian has no entry; so does the export.
            var sr = latin.GetValueOrDefault(key, en);
            labels[key] = new ValueLabels(en, sr, SerbianScript.ToCyrillic(sr));
        }
        return labels;
    }

    private static string Block(string script, string name)
    {
        var start = script.IndexOf($"const {name} = {{", StringComparison.Ordinal);
        var end = start < 0 ? -1 : script.IndexOf("\n};", start, StringComparison.Ordinal);
        return start < 0 || end < 0
            ? throw new InvalidOperationException($"{DictionaryFile} has no dictionary {name}: the list labels cannot be read.")
            : script[start..end];
    }

    private static Dictionary<string, string> Entries(string block) =>
        Entry().Matches(block).ToDictionary(
            m => m.Groups["list"].Value + "." + m.Groups["value"].Value,
            m => m.Groups["text"].Value.Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal),
            StringComparer.Ordinal);

    [GeneratedRegex(@"'list\.(?<list>[a-z_]+)\.(?<value>[a-z_]+)':\s*'(?<text>(?:[^'\\]|\\.)*)'")]
    private static partial Regex Entry();
}
