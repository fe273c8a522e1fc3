using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// A coordinator edits with the browser offline (issue 25): the change waits on the device, is sent when the browser
/// is online again, and a colleague's change to the same field meanwhile is shown beside it for a decision.
/// </summary>
public sealed class OfflineEditTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<(MapPage Map, Settlement Own)> OpenOwnAsync(int skip)
    {
        await using var db = browser.App.CreateContext();
        var own = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Skip(skip).FirstAsync();
        var map = await browser.OpenAsync();
        await EditingPageTests.SignInAsync(map, DemoAccounts.CoordinatorPrefix + "nis", DemoAccounts.CoordinatorPassword);
        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await map.IdleAsync();
        await map.Page.ClickAsync($"#results button[data-id='{own.Id}']");
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        await map.Page.ClickAsync("#edit-attributes");
        return (map, own);
    }

    private async Task<(string? Water, int Changes)> StoredAsync(long id)
    {
        await using var db = browser.App.CreateContext();
        var water = await db.Settlements.Where(s => s.Id == id).Select(s => s.WaterSupply).SingleAsync();
        return (EnumText.ToText(water), await db.SettlementChanges.CountAsync(c => c.SettlementId == id));
    }

    [Fact]
    public async Task An_edit_saved_offline_waits_on_the_device_and_is_sent_once_when_the_browser_is_online()
    {
        var (map, own) = await OpenOwnAsync(4);
        await using var _ = map;
        var (waterBefore, changesBefore) = await StoredAsync(own.Id);
        var newWater = OtherWaterSupply(waterBefore);

        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.SelectOptionAsync("#edit-water_supply", newWater);
        await map.Page.ClickAsync("#edit-save");
        await Assertions.Expect(map.Page.Locator("#edit-message")).ToContainTextAsync("No network");
        await Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync("Changes waiting to be sent: 1");
        Assert.Equal((waterBefore, changesBefore), await StoredAsync(own.Id));

        await map.Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        Assert.Equal(0, await map.Page.Locator("#offline-waiting").CountAsync());
        Assert.Equal((newWater, changesBefore + 1), await StoredAsync(own.Id));
    }

    [Fact]
    public async Task The_waiting_change_survives_a_reload_and_is_sent_once_the_server_is_reachable()
    {
        var (map, own) = await OpenOwnAsync(6);
        await using var _ = map;
        var (waterBefore, changesBefore) = await StoredAsync(own.Id);
        var newWater = OtherWaterSupply(waterBefore);
        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.SelectOptionAsync("#edit-water_supply", newWater);
        await map.Page.ClickAsync("#edit-save");
        await Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync("Changes waiting to be sent: 1");

        // The page comes back (online), but the server's writes are still out of reach: the change is read back from
        // the device and waits on.
        var url = $"**/api/settlements/{own.Id}";
        await map.Page.RouteAsync(url, route => route.Request.Method == "PATCH" ? route.AbortAsync() : route.ContinueAsync());
        await map.Page.Context.SetOfflineAsync(false);
        await map.Page.ReloadAsync();
        await Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync("Changes waiting to be sent: 1");
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToContainTextAsync("Still no network");
        Assert.Equal((waterBefore, changesBefore), await StoredAsync(own.Id));

        await map.Page.UnrouteAsync(url);
        await map.Page.ClickAsync("#offline-send");
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        Assert.Equal((newWater, changesBefore + 1), await StoredAsync(own.Id));
    }

    [Fact]
    public async Task Taken_offline_edited_without_network_reloaded_from_the_device_then_sent_when_online()
    {
        var (map, own) = await OpenOwnAsync(7);
        await using var _ = map;
        var (waterBefore, changesBefore) = await StoredAsync(own.Id);
        var newWater = OtherWaterSupply(waterBefore);
        await map.Page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await map.Page.ClickAsync("#offline-take");
        await map.Page.Locator("#offline-taken").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });

        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.SelectOptionAsync("#edit-water_supply", newWater);
        await map.Page.ClickAsync("#edit-save");
        await Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync("Changes waiting to be sent: 1");
        await map.Page.ReloadAsync(); // from the service worker and the offline copy
        await map.ReadyAsync();
        await Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync("Changes waiting to be sent: 1");
        Assert.Equal((waterBefore, changesBefore), await StoredAsync(own.Id));

        await map.Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        Assert.Equal((newWater, changesBefore + 1), await StoredAsync(own.Id));
        await map.Page.ClickAsync("#offline-remove");
    }

    [Fact]
    public async Task A_settlement_drawn_without_network_is_created_once_when_online()
    {
        await using var db = browser.App.CreateContext();
        var seat = (await db.Municipalities.SingleAsync(m => m.Code == "kragujevac")).Seat;
        var at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"#map=16/{seat.Y}/{seat.X}");
        await using var map = await browser.OpenAsync(at);
        await EditingPageTests.SignInAsync(map, DemoAccounts.CoordinatorPrefix + "kragujevac", DemoAccounts.CoordinatorPassword);

        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.ClickAsync("#draw-settlement");
        var box = (await map.Page.Locator("#map").BoundingBoxAsync())!;
        float x = box.X + (box.Width / 3), y = box.Y + (box.Height / 2);
        foreach (var (dx, dy) in new[] { (0, 0), (80, 0), (80, 70), (0, 70), (0, 0) })
        {
            await map.Page.Mouse.ClickAsync(x + dx, y + dy);
        }
        await map.Page.Locator("#new-form").WaitForAsync();
        await map.Page.FillAsync("#new-name_latn", "Kolonija bez mreže");
        await map.Page.ClickAsync("#new-save");
        await Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync("Changes waiting to be sent: 1");
        Assert.Equal(0, await db.Settlements.CountAsync(s => s.NameLatn == "Kolonija bez mreže"));

        await map.Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        var created = await db.Settlements.Where(s => s.NameLatn == "Kolonija bez mreže").Select(s => s.Id).ToListAsync();
        Assert.Single(created);
        Assert.Equal(1, await db.SettlementChanges.CountAsync(c => c.SettlementId == created[0]));
    }

    [Fact]
    public async Task A_colleague_changed_the_same_field_meanwhile_both_values_are_shown_and_the_choice_is_saved_as_a_new_version()
    {
        var (map, own) = await OpenOwnAsync(5);
        await using var _ = map;
        var (waterBefore, changesBefore) = await StoredAsync(own.Id);
        var mine = OtherWaterSupply(waterBefore);
        var theirs = OtherWaterSupply(mine) == waterBefore ? WaterSupplies.First(w => w != mine && w != waterBefore) : OtherWaterSupply(mine);

        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.SelectOptionAsync("#edit-water_supply", mine);
        await map.Page.ClickAsync("#edit-save");
        await Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync("Changes waiting to be sent: 1");

        // Meanwhile an administrator sets the same field to something else.
        using (var administrator = await ClientAsync(browser.App, Admin))
        {
            var read = await GetAsync(administrator, own.Id);
            using var theirsSaved = await PatchAsync(administrator, own.Id, Properties("water_supply", theirs), read.ETag);
            Assert.True(theirsSaved.IsSuccessStatusCode, theirsSaved.StatusCode.ToString());
        }

        await map.Page.Context.SetOfflineAsync(false);
        var conflict = map.Page.Locator(".offline-conflict [data-field=water_supply]");
        await conflict.WaitForAsync();
        Assert.Equal(theirs, (await StoredAsync(own.Id)).Water); // nothing overwritten
        var text = await conflict.TextContentAsync();
        Assert.Contains("Yours:", text, StringComparison.Ordinal);
        Assert.Contains("(admin,", text, StringComparison.Ordinal);

        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, "offline-conflict.png") });
        Assert.True(await map.Page.Locator(".offline-decide").IsVisibleAsync() && await map.Page.Locator(".offline-decide").EvaluateAsync<bool>(
            "b => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"), "the decision is in view");
        await map.Page.ClickAsync(".offline-decide"); // "mine" is chosen by default
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        Assert.Equal(0, await map.Page.Locator(".offline-conflict").CountAsync());
        // Theirs and mine, each a version of its own in the history.
        Assert.Equal((mine, changesBefore + 2), await StoredAsync(own.Id));
    }
}
