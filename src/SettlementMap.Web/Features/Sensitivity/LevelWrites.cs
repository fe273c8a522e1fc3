using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// How a level an administrator sets is read and written: an attribute's (SensitivityApi) and the measures' budgets'
/// (Features/Measures). The row of attribute_levels and its sensitivity_changes row go in one SaveChanges.
/// </summary>
public static class LevelWrites
{
    /// <summary>The level a request names; a 400 naming level when it names none of them.</summary>
    public static ValidationProblem? Read(string? text, out Clearance level) =>
        Clearances.TryParse(text, out level)
            ? null
            : TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["level"] = [$"level must be one of {string.Join(", ", Clearances.All.Select(l => l.ToText()))}."],
            }, title: "The level is invalid.");

    /// <summary>Sets the level kept under <paramref name="key"/> and audits it as <paramref name="subject"/>; nothing when it is already so.</summary>
    public static async Task SetAsync(SettlementMapDbContext db, string key, string subject, Clearance before, Clearance level, string by, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (before == level)
        {
            return;
        }
        var row = await db.AttributeLevels.SingleOrDefaultAsync(a => a.Attribute == key, cancellationToken);
        if (row is null)
        {
            db.AttributeLevels.Add(new AttributeLevel { Attribute = key, Level = level.ToText(), ChangedAt = now, ChangedBy = by });
        }
        else
        {
            (row.Level, row.ChangedAt, row.ChangedBy) = (level.ToText(), now, by);
        }
        db.SensitivityChanges.Add(new SensitivityChange
        {
            ChangedAt = now, ChangedBy = by, Subject = subject,
            Before = JsonSerializer.Serialize(new { level = before.ToText() }), After = JsonSerializer.Serialize(new { level = level.ToText() }),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
