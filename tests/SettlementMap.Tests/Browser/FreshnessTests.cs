using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Npgsql;
using SettlementMap.Tests.History;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>The data-freshness overlay, its legend and threshold, and coord-nis's list of stale settlements, in headless Chromium.</summary>
public sealed class FreshnessTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // About freshness, not who sees what: the database is "everything public, generalisation off".
    private readonly BrowserFixture browser = EverythingPublicIn(browser);

    private static BrowserFixture EverythingPublicIn(BrowserFixture fixture)
    {
        EverythingPublic.Of(fixture.App);
        return fixture;
    }

    [Fact]
    public async Task The_overlay_colours_every_municipality_with_settlements_and_its_legend_states_the_threshold_and_the_base()
    {
        await using var db = browser.App.CreateContext();
        var municipalities = await db.Municipalities.CountAsync(m => db.Settlements.Any(s => s.MunicipalityId == m.Id));
        await using var map = await browser.OpenAsync();
        await map.Page.Locator("#overlay-freshness").WaitForAsync();
        Assert.Equal(0, await map.Page.Locator("path.freshness").CountAsync());

        await map.Page.CheckAsync("#overlay-freshness");
        // The overlay's data is fetched when it is first shown; its legend block comes with it.
        await map.Page.Locator(".legend [data-legend='overlay-freshness']").WaitForAsync();
        var legend = await map.LegendAsync("overlay-freshness");
        Assert.Equal(["y1", "y2", "y5", "old", "none"], legend.Keys);
        Assert.Equal(municipalities, legend.Values.Sum(v => v.Count));
        Assert.Equal(municipalities, await map.Page.Locator("path.freshness").CountAsync());
        var note = await map.Page.Locator(".legend [data-legend='overlay-freshness'] .hint").TextContentAsync();
        Assert.Contains($"the {municipalities} municipalities with at least one settlement", note, StringComparison.Ordinal);
        Assert.Contains("Not updated for more than 730 days", note, StringComparison.Ordinal);
        Assert.Contains("overlays=freshness", map.Page.Url, StringComparison.Ordinal);

        // A threshold out of bounds is refused in the page's words, next to the field, and nothing is asked of the server.
        await map.Page.FillAsync("#freshness-threshold", "0");
        await map.Page.DispatchEventAsync("#freshness-threshold", "change");
        await Assertions.Expect(map.Page.Locator("#freshness-threshold-problem")).ToHaveTextAsync("Stale after (days) must be from 1 to 36,500; got 0.");
        await map.Page.FillAsync("#freshness-threshold", "100");
        await map.Page.DispatchEventAsync("#freshness-threshold", "change");
        await Assertions.Expect(map.Page.Locator(".legend [data-legend='overlay-freshness'] .hint")).ToContainTextAsync("Not updated for more than 100 days");
        await Assertions.Expect(map.Page.Locator("#freshness-threshold-problem")).ToHaveTextAsync("");

        await map.Page.UncheckAsync("#overlay-freshness");
        Assert.Equal(0, await map.Page.Locator("path.freshness").CountAsync());
        Assert.Equal(0, await map.Page.Locator(".legend [data-legend='overlay-freshness']").CountAsync());
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task Coord_nis_lists_only_their_own_stale_settlements_sorts_them_and_opens_one()
    {
        // Two settlements of Niš last changed years ago, one of Leskovac (not coord-nis's).
        long oldest, older, elsewhere;
        await using (var db = browser.App.CreateContext())
        {
            var seed = new HistorySeed(db);
            var nis = await db.Municipalities.SingleAsync(m => m.Code == "nis");
            var leskovac = await db.Municipalities.SingleAsync(m => m.Code == "leskovac");
            oldest = (await seed.CreateAsync(nis, HistorySeed.At(2017, 3, 1), DemoAccounts.AdministratorName, 40)).Id;
            older = (await seed.CreateAsync(nis, HistorySeed.At(2021, 5, 1), DemoAccounts.AdministratorName, 60)).Id;
            elsewhere = (await seed.CreateAsync(leskovac, HistorySeed.At(2016, 1, 1), DemoAccounts.AdministratorName, 80)).Id;
        }
        // Every settlement of coord-nis's municipalities whose current state began more than 730 days ago (the demo data may add some).
        var expected = await StaleOfAsync(DemoAccounts.CoordinatorPrefix + "nis");
        Assert.Contains(oldest, expected);
        Assert.Contains(older, expected);
        Assert.DoesNotContain(elsewhere, expected);

        await using var map = await browser.OpenAsync();
        Assert.Equal(0, await map.Page.Locator("#freshness-mine table").CountAsync());
        await map.Page.ClickAsync("#sign-in");
        await map.Page.FillAsync("#sign-in-user", DemoAccounts.CoordinatorPrefix + "nis");
        await map.Page.FillAsync("#sign-in-password", DemoAccounts.CoordinatorPassword);
        await map.Page.ClickAsync("#sign-in-submit");
        await map.Page.Locator("#sign-out").WaitForAsync();

        var rows = map.Page.Locator("#freshness-mine-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(expected.Count);
        await Assertions.Expect(map.Page.Locator("#freshness-mine h3")).ToHaveTextAsync("My settlements not updated for more than 730 days");
        var ids = await IdsAsync(map);
        Assert.Equal(expected.OrderBy(id => id), ids.OrderBy(id => id));
        // The oldest first: the 2017 one before the 2021 one.
        Assert.True(ids.IndexOf(oldest) < ids.IndexOf(older));
        Assert.Equal("1 Mar 2017", await map.Page.Locator($"#freshness-mine-table tr[data-id='{oldest}'] td[data-day]").TextContentAsync());

        // Sorting by the date again turns the order round.
        await map.Page.ClickAsync("#freshness-mine-table th[data-column='last_updated'] button");
        await Assertions.Expect(map.Page.Locator("#freshness-mine-table th[data-column='last_updated']")).ToHaveAttributeAsync("aria-sort", "descending");
        ids = await IdsAsync(map);
        Assert.True(ids.IndexOf(oldest) > ids.IndexOf(older));

        // A row opens the settlement's details, where the coordinator edits it.
        await map.Page.ClickAsync($"#freshness-mine-table tr[data-id='{older}'] button.link");
        await Assertions.Expect(map.Page.Locator("#details")).ToBeVisibleAsync();
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        Assert.Contains($"\"selected\":{older}", await map.Page.EvaluateAsync<string>("() => JSON.stringify(window.settlementMap.view)"), StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    private static async Task<List<long>> IdsAsync(MapPage map) =>
        [.. (await map.Page.Locator("#freshness-mine-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map((r) => r.dataset.id)")).Select(long.Parse)];

    private async Task<List<long>> StaleOfAsync(string userName)
    {
        await using var connection = new NpgsqlConnection(browser.App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT s.id FROM settlements s
            JOIN settlement_versions v ON v.id = s.id AND upper_inf(v.valid)
            JOIN user_municipalities um ON um.municipality_id = s.municipality_id
            JOIN users u ON u.id = um.user_id AND u.user_name = @user
            WHERE lower(v.valid) < now() - interval '730 days'
            """, connection);
        command.Parameters.AddWithValue("user", userName);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }
}
