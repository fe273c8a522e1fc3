using System.Globalization;
using System.Text.Json;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// Reads the members of a plan's or a measure's JSON object one at a time, each bounded, collecting the refusals by
/// the field's name (nested ones as budget.amount, indicators[2].name). A Try method answers whether the member was
/// given and valid; its value is null when the member was null (clear it).
/// </summary>
public sealed class MemberReader(JsonElement root, string prefix = "", Dictionary<string, List<RuleError>>? errors = null)
{
    public Dictionary<string, List<RuleError>> Errors { get; } = errors ?? new(StringComparer.Ordinal);

    public bool IsValid => Errors.Count == 0;

    public string Field(string name) => prefix + name;

    public void Add(string field, RuleError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!Errors.TryGetValue(field, out var list))
        {
            Errors[field] = list = [];
        }
        list.Add(error);
    }

    /// <summary>Refuses members the endpoint does not know, and those the server keeps (read-only).</summary>
    public void RejectOthers(IReadOnlyCollection<string> known, IReadOnlyCollection<string> readOnly)
    {
        foreach (var member in root.EnumerateObject())
        {
            var name = InputText.Printable(member.Name);
            if (readOnly.Contains(member.Name))
            {
                Add(Field(name), Refusals.ReadOnly(Field(name)));
            }
            else if (!known.Contains(member.Name))
            {
                Add(Field(name), Refusals.UnknownField(Field(name)));
            }
        }
    }

    public bool Has(string name) => root.TryGetProperty(name, out _);

    /// <summary>The member's value, when given.</summary>
    public bool TryGet(string name, out JsonElement value) => root.TryGetProperty(name, out value);

    /// <summary>Text, trimmed and NFC; null when null or empty. Refused: not text, control or invisible characters, too long.</summary>
    public bool TryText(string name, int maxLength, out string? text)
    {
        text = null;
        if (!root.TryGetProperty(name, out var value))
        {
            return false;
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        var field = Field(name);
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(field, Refusals.NotText(field, SettlementFields.Got(value), SettlementFields.Describe(value)));
            return false;
        }
        if (SettlementRules.CleanText(field, JsonStrings.Get(value), maxLength, out text) is { } error)
        {
            Add(field, error);
            return false;
        }
        return true;
    }

    /// <summary>A day written yyyy-MM-dd, between <see cref="MeasureRules.EarliestDay"/> and <see cref="MeasureRules.LatestDay"/>, and not after tomorrow when <paramref name="past"/>.</summary>
    public bool TryDay(string name, bool past, out DateOnly? day)
    {
        day = null;
        if (!root.TryGetProperty(name, out var value))
        {
            return false;
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        var field = Field(name);
        if (value.ValueKind != JsonValueKind.String
            || !DateOnly.TryParseExact(JsonStrings.Get(value), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var read))
        {
            Add(field, Refusals.NotDate(field, SettlementFields.Got(value), SettlementFields.Describe(value)));
            return false;
        }
        if (read < MeasureRules.EarliestDay || read > MeasureRules.LatestDay)
        {
            Add(field, MeasureRefusals.DayOutOfRange(field, MeasureRules.EarliestDay, MeasureRules.LatestDay));
            return false;
        }
        if (past && read > DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)))
        {
            Add(field, Refusals.FutureDate(field));
            return false;
        }
        day = read;
        return true;
    }

    /// <summary>One value of a closed list.</summary>
    public bool TryChoice(string name, ClosedList list, out string? choice)
    {
        ArgumentNullException.ThrowIfNull(list);
        choice = null;
        if (!root.TryGetProperty(name, out var value))
        {
            return false;
        }
        var field = Field(name);
        var allowed = list.Texts.ToList();
        if (value.ValueKind != JsonValueKind.String || !allowed.Contains(JsonStrings.Get(value), StringComparer.Ordinal))
        {
            Add(field, value.ValueKind == JsonValueKind.Null
                ? Refusals.Required(field)
                : Refusals.NotInList(field, list.Name, allowed, SettlementFields.Got(value), SettlementFields.Describe(value)));
            return false;
        }
        choice = JsonStrings.Get(value);
        return true;
    }

    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/> with at most <paramref name="decimals"/> decimals.</summary>
    public bool TryNumber(string name, decimal min, decimal max, int decimals, out decimal? number)
    {
        number = null;
        if (!root.TryGetProperty(name, out var value))
        {
            return false;
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        var field = Field(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var read))
        {
            Add(field, Refusals.NotNumber(field, min, max, SettlementFields.Got(value), SettlementFields.Describe(value)));
            return false;
        }
        if (read < min || read > max)
        {
            Add(field, Refusals.OutOfRange(field, min, max, null, read));
            return false;
        }
        if (decimal.Round(read, decimals) != read)
        {
            Add(field, Refusals.TooManyDecimals(field, decimals, read));
            return false;
        }
        number = read;
        return true;
    }

    /// <summary>A list of at most <paramref name="max"/> entries; null when the member was null (an empty list).</summary>
    public bool TryList(string name, int max, out List<JsonElement>? items)
    {
        items = null;
        if (!root.TryGetProperty(name, out var value))
        {
            return false;
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        var field = Field(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(field, MeasureRefusals.NotArray(field));
            return false;
        }
        if (value.GetArrayLength() > max)
        {
            Add(field, MeasureRefusals.TooMany(field, max));
            return false;
        }
        items = [.. value.EnumerateArray()];
        return true;
    }

    /// <summary>A reader of a nested object (budget, an indicator), its refusals named under <paramref name="field"/>; null (refused) when it is not an object.</summary>
    public MemberReader? Nested(string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(field, Refusals.NotObject(field));
            return null;
        }
        return new MemberReader(value, field + ".", Errors);
    }

    /// <summary>An http(s) link: absolute, with a host, no spaces or control characters, bounded.</summary>
    public bool TryLink(string name, int maxLength, out string? link)
    {
        if (!TryText(name, maxLength, out link))
        {
            return false;
        }
        if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.Host.Length > 0 && !link.Any(char.IsWhiteSpace) && link.StartsWith(uri.Scheme + "://", StringComparison.Ordinal)))
        {
            Add(Field(name), MeasureRefusals.NotHttpLink(Field(name), maxLength));
            link = null;
            return false;
        }
        return true;
    }
}
