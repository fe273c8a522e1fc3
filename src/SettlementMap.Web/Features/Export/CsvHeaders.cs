using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The CSV's header row. By default (headers=codes) the columns' names, which GIS, scripts and the
/// importer read; with headers=labels and lang=sr-Latn|sr-Cyrl|en the attributes' labels from
/// SettlementSchema in that language, for a person opening the file in a spreadsheet (the importer
/// matches labels too). A label is made unambiguous as a header: distances say so, units follow, and
/// columns that share a label (Opština: code, Latin, Cyrillic) say which one they are. The geometry
/// columns keep their names: GDAL reads _WKT_EPSG_n and lon/lat by name.
/// </summary>
public static class CsvHeaders
{
    /// <summary>The query parameters of this choice.</summary>
    public static readonly string[] Parameters = ["headers", "lang"];

    private static readonly string[] Kinds = ["codes", "labels"];

    private static readonly Label Distance = new("Udaljenost", "Удаљеност", "Distance");

    // What tells apart columns that share a label, by the end of their name.
    private static readonly (string Suffix, Label Label)[] Variants =
    [
        ("_code", new("šifra", "шифра", "code")),
        ("_latn", new("latinica", "латиница", "Latin")),
        ("_cyrl", new("ćirilica", "ћирилица", "Cyrillic")),
    ];

    /// <summary>
    /// The language of the labels (headers=labels), or null for the columns' names (headers=codes or
    /// absent). A bad value, a lang without headers=labels, or headers for another format than CSV is an
    /// error that names the parameter.
    /// </summary>
    public static string? ReadLanguage(QueryParameters query, string format, string? headers, string? lang)
    {
        ArgumentNullException.ThrowIfNull(query);
        var kind = headers is { Length: > 0 } h ? h : "codes";
        if (!Kinds.Contains(kind, StringComparer.Ordinal))
        {
            query.AddError("headers", $"headers is codes (the columns' names, the default) or labels (their names in lang); got '{Http.Shown.Value(kind)}'.");
            return null;
        }
        if (headers is { Length: > 0 } && format != "csv")
        {
            query.AddError("headers", $"headers is for format=csv; a {Http.Shown.Value(format)} export names its columns by code.");
            return null;
        }
        if (kind == "codes")
        {
            if (lang is { Length: > 0 })
            {
                query.AddError("lang", "lang is the language of headers=labels; give headers=labels too.");
            }
            return null;
        }
        var language = lang is { Length: > 0 } l ? l : "en";
        if (!Label.Languages.Contains(language, StringComparer.Ordinal))
        {
            query.AddError("lang", $"lang is {string.Join(", ", Label.Languages)}; got '{Http.Shown.Value(language)}'.");
            return null;
        }
        return language;
    }

    /// <summary>The header of each column: its name, or its label in <paramref name="language"/> when one is given.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<string> columns, string? language)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (language is null)
        {
            return columns;
        }
        var attributes = columns.Select(c => SettlementSchema.Find(c) ?? throw new InvalidOperationException($"'{c}' is not an attribute of SettlementSchema.")).ToList();
        var labels = attributes.Select(a => a.Label.In(language)).ToList();
        return [.. attributes.Select((a, i) => Header(a, labels[i], labels.Count(l => l == labels[i]) > 1, language))];
    }

    private static string Header(AttributeDefinition attribute, string label, bool shared, string language)
    {
        var text = attribute.Group == SettlementSchema.Group.Access ? $"{Distance.In(language)}: {label}" : label;
        if (shared && Variants.FirstOrDefault(v => attribute.Name.EndsWith(v.Suffix, StringComparison.Ordinal)).Label is { } variant)
        {
            text += $" ({variant.In(language)})";
        }
        // Serbian Cyrillic writes units in its own letters (м, м²), as the page does.
        return attribute.Unit is { } unit ? $"{text} ({(language == "sr-Cyrl" ? SerbianScript.ToCyrillic(unit) : unit)})" : text;
    }

}
