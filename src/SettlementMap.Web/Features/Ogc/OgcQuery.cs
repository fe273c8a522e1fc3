using System.Globalization;
using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// The query of one OGC request, read against the operation's declared parameters
/// (<see cref="OgcParameters"/>); the handler cannot read one that is not declared (that would be
/// a bug, so it throws). On items an undeclared parameter is a 400 naming it (a typo must not
/// return everything); the other operations ignore one, because GDAL and QGIS send the dataset
/// URL's own parameters (filter, crs) with every request, to the landing page and the API too.
/// A parameter given several times with the same value counts once: GDAL repeats the dataset
/// URL's own parameters (filter, crs) in the query of every next link it follows. Different
/// values are a 400 naming the parameter.
/// </summary>
public sealed class OgcQuery
{
    private readonly IReadOnlyList<OgcParameter> _declared;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private OgcQuery(IReadOnlyList<OgcParameter> declared) => _declared = declared;

    /// <summary>The errors found so far, one entry per parameter.</summary>
    public QueryParameters Problems { get; } = new();

    public static OgcQuery Read(IQueryCollection query, IReadOnlyList<OgcParameter> declared, bool rejectUnknown)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(declared);
        var result = new OgcQuery(declared);
        if (rejectUnknown)
        {
            result.Problems.RejectUnknown(query, declared.Select(p => p.Name).ToList());
        }
        foreach (var (name, values) in query)
        {
            if (!declared.Any(p => p.Name == name))
            {
                continue;
            }
            var distinct = values.Where(v => v is not null).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 1)
            {
                result.Problems.AddError(name, $"{name} is given {values.Count} times with different values; give it once.");
            }
            else if (distinct is [{ Length: > 0 } value])
            {
                result._values[name] = value!;
            }
        }
        return result;
    }

    /// <summary>The parameter's one value, or null when it is absent or empty.</summary>
    public string? this[OgcParameter parameter]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(parameter);
            if (!_declared.Contains(parameter))
            {
                throw new InvalidOperationException($"'{parameter.Name}' is read but not declared for this operation in OgcParameters.");
            }
            return _values.GetValueOrDefault(parameter.Name);
        }
    }

    /// <summary>The declared parameters the request gave, with their one value, in declaration order.</summary>
    public IEnumerable<(OgcParameter Parameter, string Value)> Given =>
        _declared.Where(p => _values.ContainsKey(p.Name)).Select(p => (p, _values[p.Name]));

    /// <summary>f: json, html or absent.</summary>
    public string? Format()
    {
        var f = this[OgcParameters.F];
        if (f is not (null or "json" or "html"))
        {
            Problems.AddError("f", $"f must be json or html; got '{f}'.");
            return null;
        }
        return f;
    }

    /// <summary>limit: a whole number from 1; one above the maximum is the maximum (Part 1, /req/core/fc-limit-response).</summary>
    public int Limit()
    {
        var text = this[OgcParameters.Limit];
        if (text is null)
        {
            return OgcParameters.DefaultLimit;
        }
        // Only digits: a number of any size above the maximum is still the maximum.
        if (text.Length <= 32 && text.All(char.IsAsciiDigit) && text.TrimStart('0').Length > 0)
        {
            return text.TrimStart('0').Length > 6 ? OgcParameters.MaxLimit : Math.Min(int.Parse(text, CultureInfo.InvariantCulture), OgcParameters.MaxLimit);
        }
        Problems.AddError("limit", $"limit must be a whole number of at least 1 (more than {OgcParameters.MaxLimit} is taken as {OgcParameters.MaxLimit}); got '{text}'.");
        return OgcParameters.DefaultLimit;
    }

    /// <summary>offset: a whole number from 0.</summary>
    public int Offset() => Problems.WholeNumber("offset", this[OgcParameters.Offset], 0, int.MaxValue) ?? 0;

    /// <summary>A property=value filter's text as the queryable's type: long, decimal, DateOnly, bool or the text.</summary>
    public static bool TryPropertyValue(Cql2Queryable queryable, string text, out object? value)
    {
        ArgumentNullException.ThrowIfNull(queryable);
        value = null;
        switch (queryable.Type)
        {
            case Cql2Type.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i):
                value = i;
                return true;
            case Cql2Type.Number when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                value = d;
                return true;
            case Cql2Type.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                value = day;
                return true;
            case Cql2Type.Boolean when bool.TryParse(text, out var b):
                value = b;
                return true;
            case Cql2Type.Text:
                value = text;
                return true;
            default:
                return false;
        }
    }
}
