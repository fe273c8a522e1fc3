using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Editing;

/// <summary>
/// Builds the settlement_changes row of an edit: field-level old → new, both geometries and both
/// full snapshots (what a restore brings back); written when it is written (changed_at), in effect
/// from effectiveAt when the change is dated otherwise (an observed day, a survey's date). The row is added to the same DbContext as the
/// edit, so one SaveChanges writes both in one transaction.
/// </summary>
public static class SettlementAudit
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static SettlementChange Record(
        ChangeAction action,
        long settlementId,
        string changedBy,
        DateTimeOffset changedAt,
        SortedDictionary<string, object?>? before,
        SortedDictionary<string, object?>? after,
        MultiPolygon? geometryBefore,
        MultiPolygon? geometryAfter,
        string? note = null,
        DateTimeOffset? effectiveAt = null)
    {
        var changes = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in (before?.Keys ?? Enumerable.Empty<string>()).Union(after?.Keys ?? Enumerable.Empty<string>()))
        {
            var old = before?.GetValueOrDefault(key);
            var @new = after?.GetValueOrDefault(key);
            if (!Equals(Normalise(old), Normalise(@new)))
            {
                changes[key] = new { old, @new };
            }
        }
        if (!GeometryEquals(geometryBefore, geometryAfter))
        {
            changes["geometry"] = new { old = Describe(geometryBefore), @new = Describe(geometryAfter) };
        }
        return new SettlementChange
        {
            SettlementId = settlementId,
            Action = action,
            ChangedAt = changedAt,
            EffectiveAt = effectiveAt,
            ChangedBy = changedBy,
            Changes = JsonSerializer.Serialize(changes, Json),
            GeomBefore = geometryBefore,
            GeomAfter = geometryAfter,
            AttributesBefore = before is null ? null : JsonSerializer.Serialize(before, Json),
            AttributesAfter = after is null ? null : JsonSerializer.Serialize(after, Json),
            Note = note,
        };
    }

    public static bool HasChanges(SettlementChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Changes != "{}";
    }

    public static bool GeometryEquals(Geometry? a, Geometry? b) =>
        a is null ? b is null : b is not null && a.EqualsExact(b);

    // 12.50 and 12.5 are the same share.
    private static object? Normalise(object? value) => value is decimal d ? d / 1.000000000000000000000000000000000m : value;

    private static string? Describe(Geometry? geometry) => geometry is null
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{geometry.GeometryType}, {geometry.NumPoints} positions");
}
