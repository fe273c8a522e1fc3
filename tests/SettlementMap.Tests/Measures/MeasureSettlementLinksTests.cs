using System.Net;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Measures;

/// <summary>
/// Deleting a settlement takes it out of the measures that name it, as an audited change of each measure; restoring
/// the settlement names it again in those measures, so a deletion that is undone loses nothing of the plans.
/// </summary>
public sealed class MeasureSettlementLinksTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_deleted_settlement_leaves_its_measures_with_an_audit_row_and_comes_back_to_them_when_restored()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        using var admin = await ClientAsync(app, Admin);
        var plan = await PlanOfAsync(app, "nis");
        var codes = (await SettlementsOfAsync(app, "nis", 12))[^2..];
        var created = await CreateMeasureAsync(coordinator, WaterMeasure(plan, codes));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        long settlementId;
        await using (var db = app.CreateContext())
        {
            settlementId = await db.Settlements.Where(s => s.Code == codes[0]).Select(s => s.Id).SingleAsync();
        }

        var settlement = await GetAsync(coordinator, settlementId);
        using (var delete = await DeleteAsync(coordinator, settlementId, settlement.ETag))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        var after = await ReadAsync(coordinator, $"/api/measures/{created.Id}");
        Assert.Equal([codes[1]], after.Body.GetProperty("settlement_codes").EnumerateArray().Select(c => c.GetString()));
        var history = await ReadAsync(coordinator, $"/api/measures/{created.Id}/history");
        var unlink = history.Body.EnumerateArray().First();
        Assert.Equal(CoordinatorNis, unlink.GetProperty("changed_by").GetString());
        var settlementsChange = unlink.GetProperty("changes").GetProperty("settlement_codes");
        Assert.Equal(codes, settlementsChange.GetProperty("old").EnumerateArray().Select(c => c.GetString()));

        var deletionId = (await ChangesAsync(app, settlementId))[^1].Id;
        using (var restore = await RestoreAsync(admin, settlementId, deletionId, ifMatch: null))
        {
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }
        var restored = await ReadAsync(coordinator, $"/api/measures/{created.Id}");
        Assert.Equal(codes, restored.Body.GetProperty("settlement_codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(3, await ChangeCountAsync(app, created.Id));
        var relink = (await ReadAsync(coordinator, $"/api/measures/{created.Id}/history")).Body.EnumerateArray().First();
        Assert.Equal(Admin, relink.GetProperty("changed_by").GetString());
    }

    [Fact]
    public async Task A_restore_does_not_bring_a_settlement_back_to_a_measure_deleted_meanwhile()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        using var admin = await ClientAsync(app, Admin);
        var plan = await PlanOfAsync(app, "nis");
        var code = (await SettlementsOfAsync(app, "nis", 14))[^1];
        var created = await CreateMeasureAsync(coordinator, WaterMeasure(plan, [code]));
        long settlementId;
        await using (var db = app.CreateContext())
        {
            settlementId = await db.Settlements.Where(s => s.Code == code).Select(s => s.Id).SingleAsync();
        }
        var settlement = await GetAsync(coordinator, settlementId);
        using (var delete = await DeleteAsync(coordinator, settlementId, settlement.ETag))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        var measure = await ReadAsync(coordinator, $"/api/measures/{created.Id}");
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteMeasureAsync(coordinator, created.Id, measure.ETag)).Status);

        var deletionId = (await ChangesAsync(app, settlementId))[^1].Id;
        using var restore = await RestoreAsync(admin, settlementId, deletionId, ifMatch: null);

        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        await using var check = app.CreateContext();
        Assert.False(await check.Measures.AnyAsync(m => m.Settlements.Any(s => s.Id == settlementId)));
    }
}
