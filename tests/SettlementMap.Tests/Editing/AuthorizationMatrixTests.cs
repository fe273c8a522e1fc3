using System.Net;
using System.Text.RegularExpressions;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// Who may do what, where: anonymous visitors read; coordinators edit in their own municipalities
/// (coord-nis: Niš); administrators edit everywhere and alone restore and manage accounts. A refused
/// request changes nothing. Each case that can change a settlement has a settlement of its own.
/// </summary>
public sealed class AuthorizationMatrixTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Own = "nis";
    private const string Other = "zvezdara";

    [Theory]
    [InlineData("anonymous", "read", Own, 1, 200)]
    [InlineData("coordinator", "read", Own, 1, 200)]
    [InlineData("administrator", "read", Own, 1, 200)]
    [InlineData("anonymous", "read", Other, 1, 200)]
    [InlineData("coordinator", "read", Other, 1, 200)]
    [InlineData("administrator", "read", Other, 1, 200)]
    [InlineData("anonymous", "create", Own, 0, 401)]
    [InlineData("coordinator", "create", Own, 0, 201)]
    [InlineData("administrator", "create", Own, 0, 201)]
    [InlineData("anonymous", "create", Other, 0, 401)]
    [InlineData("coordinator", "create", Other, 0, 403)]
    [InlineData("administrator", "create", Other, 0, 201)]
    [InlineData("anonymous", "update_attributes", Own, 2, 401)]
    [InlineData("coordinator", "update_attributes", Own, 3, 200)]
    [InlineData("administrator", "update_attributes", Own, 4, 200)]
    [InlineData("anonymous", "update_attributes", Other, 1, 401)]
    [InlineData("coordinator", "update_attributes", Other, 1, 403)]
    [InlineData("administrator", "update_attributes", Other, 1, 200)]
    [InlineData("anonymous", "update_geometry", Own, 5, 401)]
    [InlineData("coordinator", "update_geometry", Own, 6, 200)]
    [InlineData("administrator", "update_geometry", Own, 7, 200)]
    [InlineData("anonymous", "update_geometry", Other, 2, 401)]
    [InlineData("coordinator", "update_geometry", Other, 2, 403)]
    [InlineData("administrator", "update_geometry", Other, 2, 200)]
    [InlineData("anonymous", "delete", Own, 8, 401)]
    [InlineData("coordinator", "delete", Own, 9, 204)]
    [InlineData("administrator", "delete", Own, 10, 204)]
    [InlineData("anonymous", "delete", Other, 3, 401)]
    [InlineData("coordinator", "delete", Other, 3, 403)]
    [InlineData("administrator", "delete", Other, 4, 204)]
    [InlineData("anonymous", "restore", Own, 11, 401)]
    [InlineData("coordinator", "restore", Own, 12, 403)]
    [InlineData("administrator", "restore", Own, 13, 200)]
    [InlineData("anonymous", "restore", Other, 3, 401)]
    [InlineData("coordinator", "restore", Other, 3, 403)]
    [InlineData("administrator", "restore", Other, 3, 200)]
    [InlineData("anonymous", "manage_users", "", 0, 401)]
    [InlineData("coordinator", "manage_users", "", 0, 403)]
    [InlineData("administrator", "manage_users", "", 0, 200)]
    public async Task Each_role_and_action_in_its_own_or_another_municipality_gets_the_expected_status(
        string role, string action, string municipality, int settlement, int expected)
    {
        using var client = await ClientAsync(app, UserFor(role));
        var changesBefore = await ChangeCountAsync(app);
        switch (action)
        {
            case "read":
                var read = await GetAsync(client, await DemoIdAsync(app, municipality, settlement));
                Assert.Equal((HttpStatusCode)expected, read.Status);
                Assert.Equal(municipality, read.Text("municipality_code"));
                break;
            case "create":
                await CreateAsync(client, municipality, role, expected, changesBefore);
                break;
            case "update_attributes":
                await UpdateAttributesAsync(client, await DemoIdAsync(app, municipality, settlement), expected, changesBefore);
                break;
            case "update_geometry":
                await UpdateGeometryAsync(client, await DemoIdAsync(app, municipality, settlement), expected, changesBefore);
                break;
            case "delete":
                await DeleteAsync(client, await DemoIdAsync(app, municipality, settlement), expected, changesBefore);
                break;
            case "restore":
                await RestoreAsync(client, await DemoIdAsync(app, municipality, settlement), expected);
                break;
            case "manage_users":
                using (var response = await client.GetAsync(new Uri("/api/users", UriKind.Relative)))
                {
                    Assert.Equal((HttpStatusCode)expected, response.StatusCode);
                    if (response.IsSuccessStatusCode)
                    {
                        var names = (await BodyAsync(response)).EnumerateArray().Select(u => u.GetProperty("user_name").GetString()).ToList();
                        Assert.Contains(Admin, names);
                        Assert.Contains(CoordinatorNis, names);
                    }
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    [Fact]
    public async Task A_coordinator_cannot_move_an_own_settlement_into_another_municipality()
    {
        var id = await DemoIdAsync(app, Own, 14);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(client, id, Properties("municipality_code", Other), before.ETag);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Zvezdara", (await BodyAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await GetAsync(client, id);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(Own, (await RowAsync(app, id))!.Municipality!.Code);
        Assert.Equal(changes, await ChangeCountAsync(app));
    }

    private async Task CreateAsync(HttpClient client, string municipality, string role, int expected, int changesBefore)
    {
        var settlementsBefore = await SettlementCountAsync(app, municipality);
        var square = await SquareInsideAsync(app, municipality);
        using var response = await Edits.CreateAsync(client, WithGeometry(square, new Dictionary<string, object?> { ["name_latn"] = $"Proba {role}" }));
        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.Equal(settlementsBefore, await SettlementCountAsync(app, municipality));
            Assert.Equal(changesBefore, await ChangeCountAsync(app));
            return;
        }
        var created = await BodyAsync(response);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(Url(id), response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        var properties = created.GetProperty("properties");
        // Without municipality_code, the municipality is the one that holds the outline.
        Assert.Equal(municipality, properties.GetProperty("municipality_code").GetString());
        Assert.Matches(new Regex($"^{municipality.ToUpperInvariant()}-[0-9]{{3}}$"), properties.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(properties.GetProperty("name_cyrl").GetString()));
        var read = await GetAsync(client, id);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(response.Headers.ETag!.Tag, read.ETag);
        var change = Assert.Single(await ChangesAsync(app, id));
        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(UserFor(role), change.ChangedBy);
        Assert.Equal(settlementsBefore + 1, await SettlementCountAsync(app, municipality));
    }

    private async Task UpdateAttributesAsync(HttpClient client, long id, int expected, int changesBefore)
    {
        var before = await GetAsync(client, id);
        var value = OtherWaterSupply(before.Text("water_supply"));
        using var response = await PatchAsync(client, id, Properties("water_supply", value), before.ETag);
        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (response.IsSuccessStatusCode)
        {
            Assert.Equal(value, (await BodyAsync(response)).GetProperty("properties").GetProperty("water_supply").GetString());
            Assert.NotEqual(before.ETag, response.Headers.ETag?.Tag);
            Assert.Equal(value, await WaterSupplyAsync(app, id));
            Assert.Equal(changesBefore + 1, await ChangeCountAsync(app));
        }
        else
        {
            await AssertUnchangedAsync(client, before, changesBefore);
        }
    }

    private async Task UpdateGeometryAsync(HttpClient client, long id, int expected, int changesBefore)
    {
        var before = await GetAsync(client, id);
        using var response = await PatchAsync(client, id, WithGeometry(Scaled(before.Geometry, 0.9)), before.ETag);
        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (response.IsSuccessStatusCode)
        {
            // Scaled by 0.9 each way: 81 % of the area.
            var area = (await BodyAsync(response)).GetProperty("properties").GetProperty("area_m2").GetDouble();
            Assert.InRange(area / before.Properties.GetProperty("area_m2").GetDouble(), 0.79, 0.83);
            Assert.NotEqual(before.ETag, response.Headers.ETag?.Tag);
            Assert.Equal(changesBefore + 1, await ChangeCountAsync(app));
        }
        else
        {
            await AssertUnchangedAsync(client, before, changesBefore);
        }
    }

    private async Task DeleteAsync(HttpClient client, long id, int expected, int changesBefore)
    {
        var before = await GetAsync(client, id);
        using var response = await Edits.DeleteAsync(client, id, before.ETag);
        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (response.IsSuccessStatusCode)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, id)).Status);
            Assert.Null(await RowAsync(app, id));
            Assert.Equal(changesBefore + 1, await ChangeCountAsync(app));
        }
        else
        {
            await AssertUnchangedAsync(client, before, changesBefore);
        }
    }

    /// <summary>An administrator changes the water supply; then this client restores the version before that change.</summary>
    private async Task RestoreAsync(HttpClient client, long id, int expected)
    {
        using var admin = await ClientAsync(app, Admin);
        var original = await GetAsync(admin, id);
        var changed = OtherWaterSupply(original.Text("water_supply"));
        using (var patch = await PatchAsync(admin, id, Properties("water_supply", changed), original.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }
        var changeId = (await HistoryAsync(admin, id))[0].GetProperty("id").GetInt64();
        var before = await GetAsync(admin, id);
        var changesBefore = await ChangeCountAsync(app);

        using var response = await Edits.RestoreAsync(client, id, changeId, before.ETag);

        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (response.IsSuccessStatusCode)
        {
            Assert.Equal(original.Text("water_supply"), await WaterSupplyAsync(app, id));
            Assert.Equal("restore", (await HistoryAsync(admin, id))[0].GetProperty("action").GetString());
            Assert.Equal(changesBefore + 1, await ChangeCountAsync(app));
        }
        else
        {
            Assert.Equal(changed, await WaterSupplyAsync(app, id));
            await AssertUnchangedAsync(admin, before, changesBefore);
        }
    }

    private async Task AssertUnchangedAsync(HttpClient client, SettlementRead before, int changesBefore)
    {
        var after = await GetAsync(client, before.Feature.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.Text("water_supply"), after.Text("water_supply"));
        Assert.Equal(changesBefore, await ChangeCountAsync(app));
    }
}
