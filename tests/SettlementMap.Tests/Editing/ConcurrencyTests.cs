using System.Net;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>Every write names the version it read (If-Match); a write based on an older version is refused with the current one.</summary>
public sealed class ConcurrencyTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_second_of_two_editors_with_the_old_ETag_gets_412_with_the_first_editors_version()
    {
        var id = await DemoIdAsync(app, "nis", 1);
        using var a = await ClientAsync(app, Admin);
        using var b = await ClientAsync(app, CoordinatorNis);
        var readByA = await GetAsync(a, id);
        var readByB = await GetAsync(b, id);
        Assert.Equal(readByA.ETag, readByB.ETag);
        var original = readByA.Text("water_supply");
        var valueOfA = OtherWaterSupply(original);
        var valueOfB = WaterSupplies.First(v => v != original && v != valueOfA);
        var changes = (await ChangesAsync(app, id)).Count;

        using var first = await PatchAsync(a, id, Properties("water_supply", valueOfA), readByA.ETag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etagOfA = first.Headers.ETag?.Tag;
        Assert.NotNull(etagOfA);
        Assert.NotEqual(readByA.ETag, etagOfA);

        using var second = await PatchAsync(b, id, Properties("water_supply", valueOfB), readByB.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(etagOfA, second.Headers.ETag?.Tag);
        var problem = await BodyAsync(second);
        Assert.Equal(412, problem.GetProperty("status").GetInt32());
        Assert.Equal(Version(etagOfA), problem.GetProperty("current_version").GetString());
        Assert.Equal(id, problem.GetProperty("current").GetProperty("id").GetInt64());
        Assert.Equal(valueOfA, problem.GetProperty("current").GetProperty("properties").GetProperty("water_supply").GetString());

        Assert.Equal(valueOfA, await WaterSupplyAsync(app, id));
        Assert.Equal(changes + 1, (await ChangesAsync(app, id)).Count);
        Assert.Equal(etagOfA, (await GetAsync(b, id)).ETag);

        // With the version from the 412, B's edit goes through.
        using var retry = await PatchAsync(b, id, Properties("water_supply", valueOfB), etagOfA);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(valueOfB, await WaterSupplyAsync(app, id));
    }

    [Fact]
    public async Task A_PATCH_without_If_Match_gets_428_and_changes_nothing()
    {
        var id = await DemoIdAsync(app, "nis", 2);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(client, id, Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))), ifMatch: null);

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
        Assert.Contains("If-Match", (await BodyAsync(response)).GetProperty("title").GetString(), StringComparison.Ordinal);
        await AssertUnchangedAsync(client, before, changes);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("\"abc\"")]
    [InlineData("\"-1\"")]
    [InlineData("*")]
    public async Task A_PATCH_with_an_If_Match_that_is_no_version_gets_428_and_changes_nothing(string ifMatch)
    {
        var id = await DemoIdAsync(app, "nis", 3);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(client, id, Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))), ifMatch);

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
        await AssertUnchangedAsync(client, before, changes);
    }

    [Fact]
    public async Task A_weak_ETag_of_the_current_version_is_accepted()
    {
        var id = await DemoIdAsync(app, "nis", 4);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var value = OtherWaterSupply(before.Text("water_supply"));

        using var response = await PatchAsync(client, id, Properties("water_supply", value), "W/" + before.ETag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(value, await WaterSupplyAsync(app, id));
    }

    [Fact]
    public async Task A_DELETE_needs_the_current_version()
    {
        var id = await DemoIdAsync(app, "nis", 5);
        using var admin = await ClientAsync(app, Admin);
        var stale = await GetAsync(admin, id);
        using (var edit = await PatchAsync(admin, id, Properties("water_supply", OtherWaterSupply(stale.Text("water_supply"))), stale.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }
        var current = await GetAsync(admin, id);
        var changes = await ChangeCountAsync(app);

        using (var withoutVersion = await Edits.DeleteAsync(admin, id, null))
        {
            Assert.Equal((HttpStatusCode)428, withoutVersion.StatusCode);
        }
        using (var withOldVersion = await Edits.DeleteAsync(admin, id, stale.ETag))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, withOldVersion.StatusCode);
            Assert.Equal(Version(current.ETag), (await BodyAsync(withOldVersion)).GetProperty("current_version").GetString());
        }
        await AssertUnchangedAsync(admin, current, changes);

        using var withCurrentVersion = await Edits.DeleteAsync(admin, id, current.ETag);
        Assert.Equal(HttpStatusCode.NoContent, withCurrentVersion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(admin, id)).Status);
    }

    [Fact]
    public async Task An_edit_of_a_deleted_settlement_gets_404()
    {
        var id = await DemoIdAsync(app, "nis", 6);
        using var admin = await ClientAsync(app, Admin);
        var read = await GetAsync(admin, id);
        using (var delete = await Edits.DeleteAsync(admin, id, read.ETag))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(admin, id, Properties("water_supply", OtherWaterSupply(read.Text("water_supply"))), read.ETag);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await RowAsync(app, id));
        Assert.Equal(changes, await ChangeCountAsync(app));
    }

    private async Task AssertUnchangedAsync(HttpClient client, SettlementRead before, int changes)
    {
        var id = before.Feature.GetProperty("id").GetInt64();
        Assert.Equal(before.ETag, (await GetAsync(client, id)).ETag);
        Assert.Equal(before.Text("water_supply"), await WaterSupplyAsync(app, id));
        Assert.Equal(changes, await ChangeCountAsync(app));
    }
}
