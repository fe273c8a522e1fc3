using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// The datetime parameter of OGC API – Features Part 1 (/req/core/fc-time-definition and
/// fc-time-response): an RFC 3339 date-time or date, or an interval of two of them with an open
/// end written ".." or left empty. Our features' times are whole days, so an instant selects the
/// UTC day it falls on and an interval every day it touches.
/// </summary>
/// <param name="FirstDay">The first UTC day the request covers; null when open.</param>
/// <param name="LastDay">The last UTC day the request covers; null when open.</param>
public sealed partial record OgcDatetime(DateOnly? FirstDay, DateOnly? LastDay)
{
    public const string Syntax =
        "datetime is an RFC 3339 date-time (2020-01-01T00:00:00Z), a date (2020-01-01) or an interval of two of them separated by '/', " +
        "with '..' or nothing for an open end (2019-01-01/2020-12-31, ../2020-12-31, 2019-01-01/..)";

    /// <summary>Parses the parameter; false with a message that names datetime and says what is allowed.</summary>
    public static bool TryParse(string text, out OgcDatetime? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        error = null;
        var parts = text.Split('/');
        if (text.Length > 80 || parts.Length > 2)
        {
            error = $"{Syntax}; got '{Shorten(text)}'.";
            return false;
        }
        if (parts.Length == 1)
        {
            if (!TryInstant(parts[0], out var day))
            {
                error = $"{Syntax}; got '{Shorten(text)}'.";
                return false;
            }
            value = new OgcDatetime(day, day);
            return true;
        }
        DateOnly? first = null, last = null;
        var open = 0;
        foreach (var (part, index) in parts.Select((p, i) => (p, i)))
        {
            if (part is "" or "..")
            {
                open++;
                continue;
            }
            if (!TryInstant(part, out var day))
            {
                error = $"{Syntax}; '{Shorten(part)}' is neither.";
                return false;
            }
            if (index == 0)
            {
                first = day;
            }
            else
            {
                last = day;
            }
        }
        if (open == 2)
        {
            error = $"{Syntax}; an interval needs at least one end, got '{Shorten(text)}'.";
            return false;
        }
        if (first > last)
        {
            error = $"The start of datetime is after its end: '{Shorten(text)}'.";
            return false;
        }
        value = new OgcDatetime(first, last);
        return true;
    }

    /// <summary>
    /// The SQL condition "the feature's days meet the request's", over our own column
    /// expressions; the request's days are parameters. A null first or last day of a feature is
    /// open, so a feature without any time matches, as Part 1 asks (fc-time-response C).
    /// </summary>
    public string Where(OgcTemporal temporal, List<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(temporal);
        ArgumentNullException.ThrowIfNull(parameters);
        var conditions = new List<string>();
        if (LastDay is { } last)
        {
            conditions.Add($"({temporal.Start} IS NULL OR {temporal.Start} <= @datetime_last)");
            parameters.Add(new NpgsqlParameter("datetime_last", NpgsqlDbType.Date) { Value = last });
        }
        if (FirstDay is { } first)
        {
            conditions.Add($"({temporal.End} IS NULL OR {temporal.End} >= @datetime_first)");
            parameters.Add(new NpgsqlParameter("datetime_first", NpgsqlDbType.Date) { Value = first });
        }
        return string.Join(" AND ", conditions);
    }

    private static bool TryInstant(string text, out DateOnly day)
    {
        day = default;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return true;
        }
        // RFC 3339 5.6 date-time: a time zone offset is required; up to 7 fraction digits is what .NET keeps.
        if (!DateTimeRegex().IsMatch(text)
            || !DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return false;
        }
        day = DateOnly.FromDateTime(instant.UtcDateTime);
        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();
}
