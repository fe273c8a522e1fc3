using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace SettlementMap.Web.Features.History;

/// <summary>
/// When a request reads the settlements: at an instant (<see cref="At"/>: the state then, including those
/// deleted since and without those created after) or during a period [<see cref="From"/>, <see cref="Until"/>)
/// (every settlement that existed at some instant of it, in its last state there; an end may be open).
/// Without one, a request reads the current table. The SQL is the database's settlements_as_of and
/// settlements_during (Features/History/Sql/settlements_as_of.sql, settlements_during.sql), which return rows of settlements,
/// so every query written over "settlements s" reads history by its FROM alone.
/// </summary>
public sealed partial record SettlementTime
{
    private SettlementTime(DateTimeOffset? at, DateTimeOffset? from, DateTimeOffset? until)
    {
        At = at;
        From = from;
        Until = until;
    }

    public DateTimeOffset? At { get; }

    public DateTimeOffset? From { get; }

    /// <summary>The period's end, exclusive; null when open.</summary>
    public DateTimeOffset? Until { get; }

    public bool IsInstant => At is not null;

    public static SettlementTime Instant(DateTimeOffset at) => new(at.ToUniversalTime(), null, null);

    public static SettlementTime Period(DateTimeOffset? from, DateTimeOffset? until) => new(null, from?.ToUniversalTime(), until?.ToUniversalTime());

    /// <summary>
    /// The last instant of a UTC day (to PostgreSQL's microsecond): "as of 2019-01-01" is the state once that day's changes
    /// are in. From the day's last tick, not the next day's start, so 9999-12-31 has one too.
    /// </summary>
    public static DateTimeOffset EndOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero).AddTicks(-9);

    /// <summary>The start of a UTC day.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// The FROM item that gives the settlements at this time as rows of settlements (alias it s); its
    /// parameters come from <see cref="AddParameters"/>.
    /// </summary>
    public string Sql => IsInstant ? "settlements_as_of(@as_of)" : "settlements_during(tstzrange(@during_from, @during_until))";

    /// <summary>Adds the parameters <see cref="Sql"/> names.</summary>
    public void AddParameters(List<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (At is { } at)
        {
            parameters.Add(new NpgsqlParameter<DateTimeOffset>("as_of", NpgsqlDbType.TimestampTz) { TypedValue = at });
            return;
        }
        parameters.Add(new NpgsqlParameter("during_from", NpgsqlDbType.TimestampTz) { Value = From is { } f ? f : DBNull.Value });
        parameters.Add(new NpgsqlParameter("during_until", NpgsqlDbType.TimestampTz) { Value = Until is { } u ? u : DBNull.Value });
    }

    /// <summary>The words of the problem of a parameter <paramref name="name"/> that names an instant as as_of does.</summary>
    public static string InstantSyntax(string name) =>
        $"{name} is a date (2019-01-01: the state at the end of that day, UTC) or an RFC 3339 date-time with its offset (2019-01-01T12:00:00Z), " +
        "in the years 1900 to 9998";

    /// <summary>
    /// An instant as as_of or an OGC datetime give it: a date is the end of that UTC day, a date-time
    /// (with its offset, RFC 3339 5.6; up to 7 fraction digits) itself. Years 1900 to 9998.
    /// </summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant, out bool isDate)
    {
        ArgumentNullException.ThrowIfNull(text);
        instant = default;
        isDate = false;
        if (text.Length > 40)
        {
            return false;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            isDate = true;
            instant = EndOf(day);
            return day.Year is >= 1900 and < 9999;
        }
        if (!DateTimeRegex().IsMatch(text)
            || !DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out instant))
        {
            return false;
        }
        instant = instant.ToUniversalTime();
        return instant.Year is >= 1900 and < 9999;
    }

    /// <summary>A parameter <paramref name="name"/> that names an instant as as_of does: the instant, or null with an error naming it.</summary>
    public static DateTimeOffset? ReadInstant(Http.QueryParameters query, string name, string text)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(text);
        if (TryParseInstant(text, out var instant, out _))
        {
            return instant;
        }
        query.AddError(name, $"{InstantSyntax(name)}; got '{Http.Shown.Value(text)}'.");
        return null;
    }

    /// <summary>The as_of parameter: null when absent; else the instant, or an error naming as_of.</summary>
    public static SettlementTime? ReadAsOf(Http.QueryParameters query, string? text) =>
        text is not null && ReadInstant(query, "as_of", text) is { } at ? Instant(at) : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();
}
