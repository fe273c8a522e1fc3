using SettlementMap.Web.Features.History;
using Npgsql;
using NpgsqlTypes;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// The datetime parameter of OGC API – Features Part 1 (/req/core/fc-time-definition and
/// fc-time-response): an RFC 3339 date-time or date, or an interval of two of them with an open
/// end written ".." or left empty. <see cref="Start"/> and <see cref="End"/> are the first and the last
/// instant it names (a date: the whole UTC day). Collections whose features have days (coverage
/// records) match the days it touches (<see cref="FirstDay"/>, <see cref="LastDay"/>); the settlements,
/// which have a history, are read at it (<see cref="SettlementTime"/>).
/// </summary>
/// <param name="Start">The first instant; null when open.</param>
/// <param name="End">The last instant, inclusive; null when open.</param>
/// <param name="IsInstant">One date or date-time, not an interval.</param>
public sealed record OgcDatetime(DateTimeOffset? Start, DateTimeOffset? End, bool IsInstant)
{
    public const string Syntax =
        "datetime is an RFC 3339 date-time (2020-01-01T00:00:00Z), a date (2020-01-01) or an interval of two of them separated by '/', " +
        "with '..' or nothing for an open end (2019-01-01/2020-12-31, ../2020-12-31, 2019-01-01/..), in the years 1900 to 9998";

    /// <summary>The first UTC day the request covers; null when open.</summary>
    public DateOnly? FirstDay => Start is { } s ? DateOnly.FromDateTime(s.UtcDateTime) : null;

    /// <summary>The last UTC day the request covers; null when open.</summary>
    public DateOnly? LastDay => End is { } e ? DateOnly.FromDateTime(e.UtcDateTime) : null;

    /// <summary>
    /// The settlements at this datetime: an instant is the state then (a date: at the end of that day);
    /// an interval, every settlement that existed in it.
    /// </summary>
    public SettlementTime SettlementTime => IsInstant
        ? SettlementTime.Instant(End!.Value)
        : SettlementTime.Period(Start, End?.AddTicks(10));

    /// <summary>Parses the parameter; false with a message that names datetime and says what is allowed.</summary>
    public static bool TryParse(string text, out OgcDatetime? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        error = null;
        var parts = text.Split('/');
        if (text.Length > 80 || parts.Length > 2)
        {
            error = $"{Syntax}; got '{Http.Shown.Value(text)}'.";
            return false;
        }
        if (parts.Length == 1)
        {
            if (!TryInstant(parts[0], out var first, out var last))
            {
                error = $"{Syntax}; got '{Http.Shown.Value(text)}'.";
                return false;
            }
            value = new OgcDatetime(first, last, IsInstant: true);
            return true;
        }
        DateTimeOffset? start = null, end = null;
        var open = 0;
        foreach (var (part, index) in parts.Select((p, i) => (p, i)))
        {
            if (part is "" or "..")
            {
                open++;
                continue;
            }
            if (!TryInstant(part, out var first, out var last))
            {
                error = $"{Syntax}; '{Http.Shown.Value(part)}' is neither.";
                return false;
            }
            if (index == 0)
            {
                start = first;
            }
            else
            {
                end = last;
            }
        }
        if (open == 2)
        {
            error = $"{Syntax}; an interval needs at least one end, got '{Http.Shown.Value(text)}'.";
            return false;
        }
        if (start > end)
        {
            error = $"The start of datetime is after its end: '{Http.Shown.Value(text)}'.";
            return false;
        }
        value = new OgcDatetime(start, end, IsInstant: false);
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

    /// <summary>The first and last instant a date (its UTC day) or a date-time (itself) names.</summary>
    private static bool TryInstant(string text, out DateTimeOffset first, out DateTimeOffset last)
    {
        first = last = default;
        if (!SettlementTime.TryParseInstant(text, out var instant, out var isDate))
        {
            return false;
        }
        last = instant;
        first = isDate ? SettlementTime.StartOf(DateOnly.FromDateTime(instant.UtcDateTime)) : instant;
        return true;
    }

}
