using System.Text.Json;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>
/// Writes account_changes rows: added to the same DbContext as the change, so the one SaveChanges
/// commits both or neither. Values are names, roles, codes and flags, never a password, token or secret.
/// </summary>
public static class AccountAudit
{
    /// <summary>Who changes accounts from the command line.</summary>
    public const string CommandLine = "(command line)";

    public static void Record(SettlementMapDbContext db, string changedBy, string userName, AccountAction action, IReadOnlyDictionary<string, (object? Old, object? New)> changes)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(changes);
        var json = JsonSerializer.Serialize(changes.ToDictionary(c => c.Key, c => new Dictionary<string, object?> { ["old"] = c.Value.Old, ["new"] = c.Value.New }));
        db.AccountChanges.Add(new AccountChange { ChangedBy = changedBy, UserName = userName, Action = action, Changes = json });
    }

    /// <summary>The field's change when it changed, for <see cref="Record"/>.</summary>
    public static void Compare<T>(Dictionary<string, (object? Old, object? New)> changes, string field, T old, T @new)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (!EqualityComparer<T>.Default.Equals(old, @new))
        {
            changes[field] = (old, @new);
        }
    }
}
