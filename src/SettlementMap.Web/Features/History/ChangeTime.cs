using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.History;

/// <summary>
/// The instant the settlement changes of a transaction take effect in history: the trigger that writes
/// settlement_versions reads it (settlement_change_time() in Sql/settlement_change_time.sql), so a version
/// begins exactly when its audit row says the change was made, or on the day an imported survey describes.
/// Without it, a change takes the transaction's start (now()).
/// </summary>
public static class ChangeTime
{
    /// <summary>Sets it for the rest of the current transaction (there must be one: the setting ends with it).</summary>
    public static async Task SetAsync(DbContext db, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("ChangeTime.SetAsync needs a transaction: the setting lasts as long as it.");
        }
        // Microseconds, truncated as Npgsql writes the audit row's changed_at, so the two are equal.
        var text = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        await db.Database.ExecuteSqlAsync($"SELECT set_config('settlementmap.change_time', {text}, true)", cancellationToken);
    }

    /// <summary>History begins in 1900, as as_of does: no change is dated before.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>
    /// The date of a change as a request gives it (an edit's valid_from, an import's describes): a date, from
    /// the start of that UTC day, or, unless <paramref name="dateOnly"/>, an RFC 3339 date-time with its
    /// offset. Not before <see cref="Earliest"/>, not after <paramref name="now"/>. The refusal names
    /// <paramref name="field"/>; null when the date is good, with <paramref name="at"/> set.
    /// </summary>
    public static RuleError? Read(string field, string text, DateTimeOffset now, bool dateOnly, out DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(text);
        at = default;
        var shown = Http.Shown.Value(text);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            at = SettlementTime.StartOf(day);
        }
        else if (dateOnly)
        {
            return Refusals.NotDate(field, shown, $"'{shown}'");
        }
        else if (SettlementTime.TryParseInstant(text, out var instant, out var isDate) && !isDate)
        {
            at = instant;
        }
        else
        {
            return Refusals.NotChangeInstant(field, shown);
        }
        if (at < SettlementTime.StartOf(Earliest))
        {
            return Refusals.ChangeBeforeEarliest(field, Earliest);
        }
        return at > now ? Refusals.FutureDate(field) : null;
    }
}
