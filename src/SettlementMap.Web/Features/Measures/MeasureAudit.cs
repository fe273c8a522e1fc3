using System.Text.Json;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// Builds the measure_changes row of a change of a plan or a measure: field → old/new and both whole snapshots, like
/// settlement_changes. Added to the same DbContext as the change, so one transaction writes both.
/// </summary>
public static class MeasureAudit
{
    /// <summary>snake_case, as the API writes the same values (a budget's currency, amount and spent).</summary>
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static MeasureChange Record(ChangeAction action, long? measureId, int planId, int municipalityId, string changedBy, DateTimeOffset changedAt,
        SortedDictionary<string, object?>? before, SortedDictionary<string, object?>? after, Guid? requestKey = null)
    {
        var changes = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in (before?.Keys ?? Enumerable.Empty<string>()).Union(after?.Keys ?? Enumerable.Empty<string>()))
        {
            var old = JsonSerializer.SerializeToElement(before?.GetValueOrDefault(key), Json);
            var @new = JsonSerializer.SerializeToElement(after?.GetValueOrDefault(key), Json);
            // Compared as JSON: lists (settlements, indicators) and the budget are equal when they read the same.
            if (old.GetRawText() != @new.GetRawText())
            {
                changes[key] = new { old, @new };
            }
        }
        return new MeasureChange
        {
            MeasureId = measureId,
            ActionPlanId = planId,
            MunicipalityId = municipalityId,
            Action = action,
            ChangedAt = changedAt,
            ChangedBy = changedBy,
            Changes = JsonSerializer.Serialize(changes, Json),
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
            RequestKey = requestKey,
        };
    }

    public static bool HasChanges(MeasureChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Changes != "{}";
    }
}
