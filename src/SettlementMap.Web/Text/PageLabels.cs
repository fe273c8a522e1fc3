using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SettlementMap.Web.Text;

/// <summary>
/// The page's own labels (wwwroot/js/i18n.js) of what is not a settlement attribute (municipality
/// kinds, coverage kinds), read by the server so that the OGC queryables name a coded value's meaning
/// in exactly the words the map shows. Settlement attributes and their lists are labelled by
/// SettlementSchema instead. Serbian Cyrillic is the transliteration of the Latin text, as in the page.
/// </summary>
public sealed partial class PageLabels
{
    private static readonly ConcurrentDictionary<string, PageLabels> Loaded = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _en;
    private readonly Dictionary<string, string> _srLatn;

    private PageLabels(Dictionary<string, string> en, Dictionary<string, string> srLatn)
    {
        _en = en;
        _srLatn = srLatn;
    }

    /// <summary>The labels of the page under this web root, read once.</summary>
    public static PageLabels For(ProjectPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Loaded.GetOrAdd(Path.Combine(paths.WebRoot, "js", "i18n.js"), static file =>
        {
            var source = File.ReadAllText(file);
            return new PageLabels(Dictionary(source, "const EN = {"), Dictionary(source, "const SR_LATN = {"));
        });
    }

    /// <summary>The label of a key in every language, or null when the page has none; Serbian falls back to English as the page does.</summary>
    public Label? Find(string key)
    {
        if (!_en.TryGetValue(key, out var en))
        {
            return null;
        }
        var latin = _srLatn.GetValueOrDefault(key, en);
        return new Label(latin, SerbianScript.ToCyrillic(latin), en);
    }

    // One object literal of i18n.js: 'key': 'text' pairs up to the closing "};" (the file's own format).
    private static Dictionary<string, string> Dictionary(string source, string opening)
    {
        var start = source.IndexOf(opening, StringComparison.Ordinal);
        var end = start < 0 ? -1 : source.IndexOf("\n};", start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"wwwroot/js/i18n.js has no '{opening}' … '}};' block.");
        }
        return Pair().Matches(source[start..end]).ToDictionary(
            m => m.Groups["key"].Value,
            m => Regex.Unescape(m.Groups["text"].Value),
            StringComparer.Ordinal);
    }

    [GeneratedRegex(@"'(?<key>[\w.-]+)':\s*'(?<text>(?:[^'\\]|\\.)*)'")]
    private static partial Regex Pair();
}
