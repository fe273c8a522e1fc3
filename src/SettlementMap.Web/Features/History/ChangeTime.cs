using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace SettlementMap.Web.Features.History;

/// <summary>
/// The instant the settlement changes of a transaction take effect in history: the trigger that writes
/// settlement_versions reads it (settlement_change_time() in Sql/settlement_versions.sql), so a version
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
}
