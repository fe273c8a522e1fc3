using System.Globalization;
using System.Text.Json;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Editing;

/// <summary>
/// One editable settlement attribute (<see cref="AttributeDefinition.Editable"/>) as the editor and the
/// importer read it. Values travel normalised: string, int, decimal, enum text or "yyyy-MM-dd".
/// </summary>
public sealed record FieldSpec(AttributeDefinition Attribute)
{
    public string Name => Attribute.Name;
    public AttributeType Kind => Attribute.Type;
    public string Group => Attribute.Group.Name;
    public bool Required => Attribute.Required;
    public decimal? Min => Attribute.Min;
    public decimal? Max => Attribute.Max;
    public string? List => Attribute.List?.Name;
    public string? Unit => Attribute.Unit;
    public object? Get(Settlement settlement) => Attribute.Read(settlement);
    public void Set(Settlement settlement, object? value) => Attribute.Set!(settlement, value);
}

/// <summary>
/// The editable attributes of a settlement (<see cref="SettlementSchema"/>'s, in its order). Parsing,
/// validation, the audit diff and the restore snapshot come from this one list.
/// </summary>
public static class SettlementFields
{
    public const int MaxTextLength = 200;

    /// <summary>Properties a client sees in a Feature but cannot set: derived or kept by the server.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = SettlementSchema.Attributes
        .Where(a => !a.Editable && a.Name is not "code" and not "municipality_code").Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<FieldSpec> All { get; } = [.. SettlementSchema.Attributes.Where(a => a.Editable).Select(a => new FieldSpec(a))];

    private static readonly Dictionary<string, FieldSpec> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static FieldSpec? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Every editable attribute plus the keys (code, municipality) as one JSON-ready map: the audit snapshot.</summary>
    public static SortedDictionary<string, object?> Snapshot(Settlement settlement, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["code"] = settlement.Code,
            ["municipality_code"] = municipalityCode,
        };
        foreach (var field in All)
        {
            values[field.Name] = field.Get(settlement);
        }
        return values;
    }

    /// <summary>
    /// Reads one JSON value for a field. Returns false with a message naming what is wrong; the
    /// settlement is not touched here.
    /// </summary>
    public static bool TryRead(FieldSpec field, JsonElement value, out object? result, out RuleError? error)
    {
        ArgumentNullException.ThrowIfNull(field);
        result = null;
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (field.Required)
            {
                error = field.Kind == AttributeType.Enum ? Refusals.RequiredChoice(field.Name) : Refusals.Required(field.Name);
                return false;
            }
            return true;
        }
        switch (field.Kind)
        {
            case AttributeType.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    error = Refusals.NotText(field.Name, Got(value), Describe(value));
                    return false;
                }
                return TryReadText(field, JsonStrings.Get(value), out result, out error);
            case AttributeType.WholeNumber:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var whole))
                {
                    error = Refusals.NotWholeNumber(field.Name, field.Min, field.Max, Got(value), Describe(value));
                    return false;
                }
                if (whole < field.Min || whole > field.Max)
                {
                    error = Refusals.OutOfRange(field.Name, field.Min, field.Max, field.Unit, whole);
                    return false;
                }
                if (field.Attribute.Format == NumberFormat.Decade && whole % 10 != 0)
                {
                    error = Refusals.NotDecade(field.Name, whole);
                    return false;
                }
                result = whole;
                return true;
            case AttributeType.Number:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
                {
                    error = Refusals.NotNumber(field.Name, field.Min, field.Max, Got(value), Describe(value));
                    return false;
                }
                if (number < field.Min || number > field.Max)
                {
                    error = Refusals.OutOfRange(field.Name, field.Min, field.Max, field.Unit, number);
                    return false;
                }
                if (decimal.Round(number, 2) != number)
                {
                    error = Refusals.TooManyDecimals(field.Name, 2, number);
                    return false;
                }
                result = number;
                return true;
            case AttributeType.Enum:
                var allowed = EnumValues(field.List!);
                if (value.ValueKind != JsonValueKind.String || !allowed.Contains(JsonStrings.Get(value)))
                {
                    error = Refusals.NotInList(field.Name, field.List!, allowed, Got(value), Describe(value));
                    return false;
                }
                result = JsonStrings.Get(value);
                return true;
            case AttributeType.Date:
                if (value.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(JsonStrings.Get(value), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    error = Refusals.NotDate(field.Name, Got(value), Describe(value));
                    return false;
                }
                if (date > DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)))
                {
                    error = Refusals.FutureDate(field.Name);
                    return false;
                }
                result = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return true;
            default:
                throw new InvalidOperationException($"Unhandled field kind {field.Kind}.");
        }
    }

    /// <summary>
    /// A text value, from JSON or from an import's cell: cleaned by <see cref="SettlementRules.CleanText"/>;
    /// names also need a letter. Empty is null (refused when the field is required).
    /// </summary>
    public static bool TryReadText(FieldSpec field, string raw, out object? result, out RuleError? error)
    {
        ArgumentNullException.ThrowIfNull(field);
        result = null;
        error = SettlementRules.CleanText(field.Name, raw, MaxTextLength, out var text);
        if (error is null && text is null && field.Required)
        {
            error = Refusals.Required(field.Name);
        }
        if (error is null && text is not null && field.Name is "name_latn" or "name_cyrl")
        {
            error = SettlementRules.CheckName(field.Name, text);
        }
        result = error is null ? text : null;
        return error is null;
    }

    /// <summary>The rule key of a value of the wrong type, out of range or not in its list.</summary>
    public const string InvalidValue = "value.invalid";

    /// <summary>Rules between fields, checked after every field was read.</summary>
    public static IEnumerable<(string Field, RuleError Error)> CrossFieldErrors(Settlement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        foreach (var field in All.Where(f => f.Attribute.AtMost is not null))
        {
            var limit = SettlementSchema.Find(field.Attribute.AtMost!)!;
            if (field.Get(s) is int value && limit.Read(s) is int most && value > most)
            {
                yield return (field.Name, Refusals.Exceeds(field.Name, value, limit.Name, most));
            }
        }
        if (s.PopulationYear > DateTime.UtcNow.Year)
        {
            yield return ("population_year", Refusals.FutureYear("population_year", s.PopulationYear.Value));
        }
    }

    /// <summary>A refused JSON value as a parameter: a number, a (shortened) text, true/false, or "list"/"object".</summary>
    public static object? Got(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Truncate(JsonStrings.Get(value)),
        JsonValueKind.Number => value.TryGetDecimal(out var number) ? number : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "object",
        _ => null,
    };

    /// <summary>A refused JSON value as a message quotes it.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{Truncate(JsonStrings.Get(value))}'",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text) => SettlementRules.Printable(Http.Shown.Value(text));

    private static readonly Dictionary<string, IReadOnlyList<string>> EnumLists =
        SettlementSchema.ClosedLists.ToDictionary(l => l.Name, l => (IReadOnlyList<string>)[.. l.Texts], StringComparer.Ordinal);

    /// <summary>The closed lists of domain.md by name, in their order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ClosedLists => EnumLists;

    public static IReadOnlyList<string> EnumValues(string list) => EnumLists[list];
}
