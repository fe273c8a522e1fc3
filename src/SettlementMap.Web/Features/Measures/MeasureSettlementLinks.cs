using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// A deleted settlement leaves the measures that named it (measure_settlements cascades), and that is a change of each
/// such measure: it is audited like any other, in the same transaction and at the same instant as the deletion, by the
/// same person. Restoring the settlement names it again in the measures that lost it by that deletion, so nothing a
/// coordinator entered is lost to a delete that is undone.
/// </summary>
public static class MeasureSettlementLinks
{
    /// <summary>Removes the settlement from the measures that name it and audits each; the caller saves with the deletion.</summary>
    public static async Task UnlinkDeletedAsync(SettlementMapDbContext db, long settlementId, string changedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var measure in await LoadAsync(db, db.Measures.Where(m => m.Settlements.Any(s => s.Id == settlementId)), cancellationToken))
        {
            Change(db, measure, changedBy, at, m => m.Settlements.RemoveAll(s => s.Id == settlementId));
        }
    }

    /// <summary>
    /// Names the restored settlement again in the measures its last deletion removed it from, where the measure still
    /// exists, is of the settlement's municipality and does not name it already; each is audited. The caller saves.
    /// </summary>
    public static async Task RelinkRestoredAsync(SettlementMapDbContext db, Settlement settlement, string changedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settlement);
        var deletion = await db.SettlementChanges.AsNoTracking()
            .Where(c => c.SettlementId == settlement.Id && c.Action == ChangeAction.Delete)
            .OrderByDescending(c => c.Id).Select(c => new { c.ChangedAt, c.ChangedBy }).FirstOrDefaultAsync(cancellationToken);
        if (deletion is null)
        {
            return;
        }
        var unlinked = await db.MeasureChanges.AsNoTracking()
            .Where(c => c.MeasureId != null && c.ChangedAt == deletion.ChangedAt && c.ChangedBy == deletion.ChangedBy && c.Action == ChangeAction.Update)
            .Select(c => new { MeasureId = c.MeasureId!.Value, c.Before, c.After })
            .ToListAsync(cancellationToken);
        var ids = unlinked.Where(c => Names(c.Before, settlement.Code) && !Names(c.After, settlement.Code)).Select(c => c.MeasureId).Distinct().ToList();
        var measures = await LoadAsync(db, db.Measures.Where(m => ids.Contains(m.Id) && m.ActionPlan!.MunicipalityId == settlement.MunicipalityId
            && !m.Settlements.Any(s => s.Id == settlement.Id)), cancellationToken);
        foreach (var measure in measures)
        {
            Change(db, measure, changedBy, at, m => m.Settlements.Add(settlement));
        }
    }

    private static Task<List<Measure>> LoadAsync(SettlementMapDbContext db, IQueryable<Measure> measures, CancellationToken cancellationToken) =>
        measures.WithSnapshotParts().ToListAsync(cancellationToken);

    private static void Change(SettlementMapDbContext db, Measure measure, string changedBy, DateTimeOffset at, Action<Measure> change)
    {
        var before = MeasureViews.Snapshot(measure);
        change(measure);
        measure.UpdatedAt = at;
        measure.UpdatedBy = changedBy;
        db.MeasureChanges.Add(MeasureAudit.Record(ChangeAction.Update, measure.Id, measure.ActionPlanId, measure.ActionPlan!.MunicipalityId,
            changedBy, at, before, MeasureViews.Snapshot(measure)));
    }

    /// <summary>Whether an audit snapshot's settlement_codes holds the code.</summary>
    private static bool Names(string? snapshot, string code)
    {
        if (snapshot is null)
        {
            return false;
        }
        using var document = JsonDocument.Parse(snapshot);
        return document.RootElement.TryGetProperty("settlement_codes", out var codes) && codes.ValueKind == JsonValueKind.Array
            && codes.EnumerateArray().Any(c => c.GetString() == code);
    }
}
