using System.Globalization;
using SettlementMap.Web.Data;
using SettlementMap.Web.Geo;

namespace SettlementMap.Web.Http;

/// <summary>
/// Parses query parameters into typed values, collecting one message per bad parameter so the
/// 400 problem body names every parameter that needs fixing.
/// </summary>
public sealed class QueryParameters
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public IDictionary<string, string[]> Errors => _errors;

    public void AddError(string parameter, string message) =>
        _errors[parameter] = [.. _errors.GetValueOrDefault(parameter, []), message];

    /// <summary>Rejects parameters the endpoint does not know: a typo must not silently return everything.</summary>
    public void RejectUnknown(IQueryCollection query, IReadOnlyCollection<string> known)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var key in query.Keys.Where(k => !known.Contains(k)))
        {
            AddError(key, $"Unknown parameter '{key}'. Known parameters: {string.Join(", ", known)}.");
        }
    }

    public BoundingBox? Bbox(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (BoundingBox.TryParse(text, out var box, out var error))
        {
            return box;
        }
        AddError(name, error);
        return null;
    }

    /// <summary>One or more comma-separated values of a closed list, e.g. water=wells,none.</summary>
    public string[]? EnumValues<TEnum>(string name, string? text) where TEnum : struct, Enum
    {
        if (text is null)
        {
            return null;
        }
        var values = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = values.Where(v => !EnumText.TryParse<TEnum>(v, out _)).ToList();
        if (values.Length == 0 || unknown.Count > 0)
        {
            AddError(name, $"{(values.Length == 0 ? "No value given" : $"Unknown value '{string.Join("', '", unknown)}'")}; " +
                $"allowed: {string.Join(", ", EnumText.Values<TEnum>())} (several may be given, comma-separated).");
            return null;
        }
        return [.. values.Distinct(StringComparer.Ordinal)];
    }

    public int? WholeNumber(string name, string? text, int min, int max)
    {
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        AddError(name, $"{name} must be a whole number from {min} to {max}; got '{text}'.");
        return null;
    }

    /// <summary>Comma-separated numbers in strictly ascending order, e.g. class breaks 0,100,300.</summary>
    public double[]? AscendingNumbers(string name, string? text, int maxCount)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]) || (i > 0 && values[i] <= values[i - 1]))
            {
                AddError(name, $"{name} must be 1 to {maxCount} comma-separated numbers in ascending order, e.g. 0,100,300; got '{text}'.");
                return null;
            }
        }
        if (values.Length > maxCount)
        {
            AddError(name, $"{name} must be 1 to {maxCount} comma-separated numbers in ascending order, e.g. 0,100,300; got {values.Length}.");
            return null;
        }
        return values;
    }

    /// <summary>A calendar day written yyyy-MM-dd.</summary>
    public DateOnly? Date(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        AddError(name, $"{name} must be a date written yyyy-MM-dd; got '{text}'.");
        return null;
    }

    /// <summary>A code such as a municipality slug: non-empty, short, no surprises.</summary>
    public string? Code(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (text.Length is > 0 and <= 64)
        {
            return text;
        }
        AddError(name, $"{name} must be a code of 1 to 64 characters.");
        return null;
    }

    /// <summary>One of a closed list of words (a format, a language, a kind), compared exactly; the list is named in the error, never the input.</summary>
    public string? OneOf(string name, string? text, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (text is null)
        {
            return null;
        }
        if (allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }
        AddError(name, $"{name} must be one of {string.Join(", ", allowed)}.");
        return null;
    }
}
