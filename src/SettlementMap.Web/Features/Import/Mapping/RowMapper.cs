using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>
/// Turns the raw text of a row into the typed values SettlementEdit reads, by the kind of each
/// field (see <see cref="ImportValues"/> for the number and date forms, <see cref="ValueSynonyms"/>
/// for closed-list values). An empty cell sets nothing. A value that cannot be read, or that
/// SettlementFields.TryRead refuses (range, decade, future date, length), is left out and
/// reported with the row, the field, the value as written and the reason. Required fields and
/// the rules between fields are not checked here: whether a field is missing depends on whether
/// the row creates or updates a settlement.
/// </summary>
public static partial class RowMapper
{
    private const int ShownLength = 40;

    /// <summary>Maps one row.</summary>
    /// <param name="row">The row as the reader gave it.</param>
    /// <param name="mapping">Which column feeds which target; every target must be one of <see cref="ImportTargets.All"/>.</param>
    public static MappedRow Map(SourceRow row, ImportMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(mapping);
        var problems = new List<RowProblem>();
        var properties = new JsonObject();
        string? code = null, municipality = null, name = null;
        var columns = Resolve(mapping, row.Values.Keys);
        foreach (var (column, target) in columns)
        {
            var raw = row.Values[column];
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            switch (target)
            {
                case ImportTargets.Code:
                    if (code is null && Http.InputText.Flaw(raw) is { } flaw)
                    {
                        // The rule every text input obeys, which the API applies to the request body before the code's format.
                        problems.Add(new RowProblem(row.Number, target, SettlementRules.Printable(raw), $"The code {flaw.Message}.", flaw.Rule));
                        break;
                    }
                    if (code is null && SettlementRules.CleanText(target, raw, MaxKeyLength, out _) is not null)
                    {
                        // An invisible character can be no code: the format rule the API applies.
                        problems.Add(new RowProblem(row.Number, target, SettlementRules.Printable(raw), "The code has a character a code cannot have: capital letters, digits and '-', such as NIS-014.", SettlementRules.CodeFormat));
                        break;
                    }
                    code ??= NormaliseCode(raw);
                    break;
                case ImportTargets.Municipality:
                    if (municipality is null && SettlementRules.CleanText(target, raw, MaxKeyLength, out _) is { } refused)
                    {
                        problems.Add(new RowProblem(row.Number, target, SettlementRules.Printable(raw), refused.Message, refused.Rule, refused.ToErrorCode()));
                        break;
                    }
                    municipality ??= raw.Trim();
                    break;
                case ImportTargets.Name:
                    name ??= raw;
                    break;
                default:
                    var field = SettlementFields.Find(target)
                        ?? throw new ArgumentException($"'{target}' (column '{column}') is not an import target.", nameof(mapping));
                    if (!properties.ContainsKey(target))
                    {
                        Convert(row.Number, field, raw, properties, problems);
                    }
                    break;
            }
        }
        if (name is not null)
        {
            var target = MatchKey.IsCyrillic(name) ? "name_cyrl" : "name_latn";
            // A value in the explicit column wins; the name fills the script only where that column is empty.
            if (!properties.ContainsKey(target) && !problems.Any(p => p.Field == target))
            {
                Convert(row.Number, SettlementFields.Find(target)!, name, properties, problems);
            }
        }
        return new MappedRow(row.Number, code, municipality, properties, problems);
    }

    /// <summary>
    /// A settlement code as the service keeps it: Latin letters without diacritics (Cyrillic
    /// transliterated, đ → DJ), upper case, runs of spaces and underscores turned into one '-'.
    /// "  nis_014 " → "NIS-014", "ЧУК 3" → "CUK-3". Whether it is a valid code is checked later.
    /// </summary>
    public static string NormaliseCode(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return CodeSeparators().Replace(SerbianScript.SearchKey(raw.Trim()).ToUpperInvariant(), "-");
    }

    /// <summary>
    /// Which file column each mapping entry reads: the column of that exact name, else the first
    /// column equal to it ignoring case (a saved mapping reused on a file that writes "NAZIV").
    /// </summary>
    internal static Dictionary<string, string> Resolve(ImportMapping mapping, IEnumerable<string> columns)
    {
        var present = columns as ICollection<string> ?? [.. columns];
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, target) in mapping.Columns)
        {
            var found = present.Contains(column)
                ? column
                : present.FirstOrDefault(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase) && !mapping.Columns.ContainsKey(c));
            if (found is not null)
            {
                resolved.TryAdd(found, target);
            }
        }
        return resolved;
    }

    private static void Convert(long number, FieldSpec field, string raw, JsonObject properties, List<RowProblem> problems)
    {
        if (field.Kind == AttributeType.Text)
        {
            // The API's text rules, on the cell as written (a JSON round trip would not carry a broken character).
            if (!SettlementFields.TryReadText(field, raw, out var text, out var refused))
            {
                problems.Add(new RowProblem(number, field.Name, SettlementRules.Printable(raw), refused!.Message, refused.Rule, refused.ToErrorCode()));
            }
            else if (text is string kept)
            {
                properties[field.Name] = kept;
            }
            return;
        }
        if (!TryParse(field, raw.Trim(), out var value, out var reason))
        {
            problems.Add(new RowProblem(number, field.Name, raw, reason));
            return;
        }
        if (value is null)
        {
            return;
        }
        if (!SettlementFields.TryRead(field, JsonSerializer.SerializeToElement(value), out var read, out var error))
        {
            problems.Add(new RowProblem(number, field.Name, raw, error!.Message, error.Rule, error.ToErrorCode()));
            return;
        }
        properties[field.Name] = read switch
        {
            int whole => JsonValue.Create(whole),
            decimal fraction => JsonValue.Create(fraction),
            string text => JsonValue.Create(text),
            _ => throw new InvalidOperationException($"Unexpected value of {field.Name}: {read}."),
        };
    }

    private static bool TryParse(FieldSpec field, string text, out object? value, out string reason)
    {
        value = null;
        reason = "";
        var shown = Shorten(text);
        switch (field.Kind)
        {
            case AttributeType.Text:
                value = text;
                return true;
            case AttributeType.WholeNumber when field.Name == "decade_founded":
                if (ImportValues.TryParseDecade(text, out var decade))
                {
                    value = decade;
                    return true;
                }
                reason = $"'{shown}' is not a decade or a year, such as 1970.";
                return false;
            case AttributeType.WholeNumber:
                if (TryParseWithUnit(field, text, out var number) && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
                {
                    value = (int)number;
                    return true;
                }
                reason = $"'{shown}' is not a whole number{UnitNote(field)}.";
                return false;
            case AttributeType.Number:
                if (TryParseWithUnit(field, text, out var fraction))
                {
                    // A share computed in a spreadsheet (33.3333…) is kept to the two decimals the field holds.
                    value = decimal.Round(fraction, 2, MidpointRounding.AwayFromZero);
                    return true;
                }
                reason = $"'{shown}' is not a number{UnitNote(field)}.";
                return false;
            case AttributeType.Enum:
                if (ValueSynonyms.TryResolve(field.List!, text, out var listValue))
                {
                    value = listValue;
                    return true;
                }
                reason = $"'{shown}' is not a value of {ImportTargets.Describe(field.Name)}; accepted: {ValueSynonyms.Accepted(field.List!)}.";
                return false;
            case AttributeType.Date:
                if (ImportValues.TryParseDate(text, out var date))
                {
                    value = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    return true;
                }
                reason = $"'{shown}' is not a date; write it as 2019-05-31 or 31.05.2019.";
                return false;
            default:
                throw new InvalidOperationException($"Unhandled field kind {field.Kind}.");
        }
    }

    /// <summary>A number, with the field's unit after it or not: "350 m", "1,2 km", "45 %".</summary>
    private static bool TryParseWithUnit(FieldSpec field, string text, out decimal value)
    {
        var whole = field.Kind == AttributeType.WholeNumber;
        switch (field.Unit)
        {
            case "m" when MetresOrKilometres().Match(SerbianScript.ToLatin(text)) is { Success: true } match:
                var kilometres = match.Groups["unit"].Value.StartsWith("k", StringComparison.OrdinalIgnoreCase);
                if (!ImportValues.TryParseNumber(match.Groups["number"].Value, whole && !kilometres, out value))
                {
                    return false;
                }
                value = kilometres ? value * 1000 : value;
                return true;
            case "%" when text.EndsWith('%'):
                return ImportValues.TryParseNumber(text[..^1].TrimEnd(), whole, out value);
            default:
                return ImportValues.TryParseNumber(text, whole, out value);
        }
    }

    private static string UnitNote(FieldSpec field) => field.Unit switch
    {
        "m" => " of metres",
        "%" => " (a percentage from 0 to 100)",
        _ => "",
    };

    private static string Shorten(string text) => text.Length <= ShownLength ? text : text[..ShownLength] + "…";

    /// <summary>Codes and municipality names are short; anything longer is not one.</summary>
    private const int MaxKeyLength = 200;

    [GeneratedRegex(@"[\s_]+")]
    private static partial Regex CodeSeparators();

    [GeneratedRegex(@"^(?<number>.*?)\s*(?<unit>km|m|metara|metra|metar|kilometara|kilometra|kilometar)\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex MetresOrKilometres();
}
