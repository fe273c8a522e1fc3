using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.History;

/// <summary>
/// Settlements of a test class's own database given a history around two days A and B, each change dated with
/// settlementmap.change_time as the editing API dates its own: what the change tests expect of /api/history/changes.
/// In Niš: <see cref="Improved"/> wells → network (none until late on A's own day: a date means the end of that day),
/// <see cref="Worsened"/> network → none and electricity legal → illegal, <see cref="Changed"/> network → unknown and
/// electricity illegal → partial (one rank), <see cref="Unchanged"/> wells with its households and distance to the health
/// centre (5000 → 800 m) edited, <see cref="Gone"/> deleted after A, <see cref="New"/> deleted before A and restored after it,
/// <see cref="Restored"/> deleted and restored between A and B. In Kragujevac: <see cref="Elsewhere"/> network → wells,
/// eviction_threat no → yes (for coordinator Niš: hidden).
/// </summary>
public sealed record ChangeStory(
    string A, string B, long Improved, long Worsened, long Changed, long Unchanged, long Gone, long New, long Restored, long Elsewhere)
{
    /// <summary>A name a spreadsheet would run as a formula, given to <see cref="Improved"/>.</summary>
    public const string FormulaName = "=HYPERLINK(\"http://x\")"; // no apostrophe: written into the SQL as it is

    private static readonly ConcurrentDictionary<string, Lazy<Task<ChangeStory>>> Done = new(StringComparer.Ordinal);

    public static Task<ChangeStory> SetUpAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return Done.GetOrAdd(app.ConnectionString, _ => new Lazy<Task<ChangeStory>>(() => WriteAsync(app))).Value;
    }

    private static async Task<ChangeStory> WriteAsync(AppFixture app)
    {
        await using var db = app.CreateContext();
        var nis = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Select(s => s.Id).Take(7).ToListAsync();
        var other = await db.Settlements.Where(s => s.Municipality!.Code == "kragujevac").OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        Assert.Equal(7, nis.Count);
        // After every version already recorded, so each change is later than its settlement's open version.
        var latest = await db.Database.SqlQueryRaw<DateTime>("SELECT max(lower(valid)) AS \"Value\" FROM settlement_versions").SingleAsync();
        var day0 = DateOnly.FromDateTime(latest).AddDays(2);
        DateTimeOffset At(int day, int hour) => new(day0.AddDays(day).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);
        string Day(int day) => day0.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (improved, worsened, changed, unchanged, gone, created, restored) = (nis[0], nis[1], nis[2], nis[3], nis[4], nis[5], nis[6]);

        // Day 0: the state at A.
        await ChangeAsync(db, At(0, 9), $"UPDATE settlements SET water_supply = 'network' WHERE id IN ({worsened}, {changed}, {other})");
        await ChangeAsync(db, At(0, 9), $"UPDATE settlements SET water_supply = 'wells', distance_to_health_centre_m = 5000 WHERE id = {unchanged}");
        await ChangeAsync(db, At(0, 9), $"UPDATE settlements SET water_supply = 'none' WHERE id = {improved}");
        await ChangeAsync(db, At(0, 9), $"UPDATE settlements SET electricity = 'illegal' WHERE id = {changed}");
        await ChangeAsync(db, At(0, 9), $"UPDATE settlements SET electricity = 'legal' WHERE id = {worsened}");
        await ChangeAsync(db, At(0, 9), $"UPDATE settlements SET eviction_threat = 'no' WHERE id = {other}");
        await ChangeAsync(db, At(0, 10), $"DELETE FROM settlements WHERE id = {created}");
        // Day 1 = A, late in the day: still in A's state.
        await ChangeAsync(db, At(1, 23), $"UPDATE settlements SET water_supply = 'wells', name_latn = '{FormulaName}', name_cyrl = '{FormulaName}' WHERE id = {improved}");
        // Day 2: the changes between A and B.
        await ChangeAsync(db, At(2, 9), $"UPDATE settlements SET water_supply = 'network' WHERE id = {improved}");
        await ChangeAsync(db, At(2, 9), $"UPDATE settlements SET water_supply = 'none', electricity = 'illegal' WHERE id = {worsened}");
        await ChangeAsync(db, At(2, 9), $"UPDATE settlements SET water_supply = 'unknown', electricity = 'partial' WHERE id = {changed}");
        await ChangeAsync(db, At(2, 9), $"UPDATE settlements SET households = COALESCE(households, 0) + 1, distance_to_health_centre_m = 800 WHERE id = {unchanged}");
        await ChangeAsync(db, At(2, 9), $"UPDATE settlements SET water_supply = 'wells', eviction_threat = 'yes' WHERE id = {other}");
        await ChangeAsync(db, At(2, 10), $"DELETE FROM settlements WHERE id IN ({gone}, {restored})");
        await ChangeAsync(db, At(2, 11), Restore(created));
        await ChangeAsync(db, At(2, 12), Restore(restored));
        return new ChangeStory(Day(1), Day(3), improved, worsened, changed, unchanged, gone, created, restored, other);
    }

    /// <summary>Puts a deleted settlement back as its last version was (the columns that are not generated).</summary>
    private static string Restore(long id) => $"""
        DO $$
        DECLARE columns text;
        BEGIN
            SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO columns
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'settlements' AND is_generated = 'NEVER';
            EXECUTE format('INSERT INTO settlements (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM settlement_versions WHERE id = {id} ORDER BY upper(valid) DESC LIMIT 1', columns, columns);
        END $$
        """;

    private static async Task ChangeAsync(Web.Data.SettlementMapDbContext db, DateTimeOffset at, string sql)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await Web.Features.History.ChangeTime.SetAsync(db, at, default);
        await db.Database.ExecuteSqlRawAsync(sql);
        await transaction.CommitAsync();
    }
}
