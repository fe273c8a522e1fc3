using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Export;

/// <summary>One export as administrators read it.</summary>
public sealed record ExportRecordView(long Id, DateTimeOffset ExportedAt, string UserName, string Level, string Viewer, string Format, string Crs, string Filter, int FeatureCount);

/// <summary>A page of export records, latest first; <paramref name="NextBeforeId"/> asks for the next (older) page, null at the end.</summary>
public sealed record ExportRecordsPage(IReadOnlyList<ExportRecordView> Records, long? NextBeforeId);

/// <summary>
/// Part 6 of "who sees what": every export by a signed-in viewer is recorded (export_records, append-only:
/// Sql/export_records_append_only.sql): who, when, at which level, the format and CRS, the filter as the
/// request gave it and how many settlements it held. An anonymous export holds only public data and is not
/// recorded (nor is format=metadata, which holds no settlement).
/// </summary>
public static class ExportRecords
{
    /// <summary>The longest filter text kept (the database checks it too); a longer one is cut and marked.</summary>
    public const int MaxFilterLength = 2000;

    public const int DefaultPage = 100;
    public const int MaxPage = 500;

    public static async Task RecordAsync(SettlementMapDbContext db, Disclosure shown, string format, SupportedCrs crs, string filter,
        ExportQuery rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(crs);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(rows);
        if (!shown.IsRestricted() || shown.Viewer.UserName is not { } userName)
        {
            return;
        }
        db.ExportRecords.Add(new ExportRecord
        {
            UserName = userName,
            Level = shown.Viewer.Level.ToText(),
            Viewer = shown.CacheKey,
            Format = format,
            Crs = crs.Uri,
            Filter = filter.Length <= MaxFilterLength ? filter : filter[..(MaxFilterLength - 1)] + "…",
            FeatureCount = await rows.CountAsync(cancellationToken),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<ExportRecordsPage> PageAsync(SettlementMapDbContext db, int take, long? beforeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var records = await db.ExportRecords.AsNoTracking()
            .Where(r => beforeId == null || r.Id < beforeId)
            .OrderByDescending(r => r.Id)
            .Take(take + 1)
            .Select(r => new ExportRecordView(r.Id, r.ExportedAt, r.UserName, r.Level, r.Viewer, r.Format, r.Crs, r.Filter, r.FeatureCount))
            .ToListAsync(cancellationToken);
        return records.Count > take ? new([.. records.Take(take)], records[take - 1].Id) : new(records, null);
    }
}
