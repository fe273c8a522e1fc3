using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>A coordinator and an administrator at work in the page, against the real API and database.</summary>
public sealed class EditingPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    internal static async Task SignInAsync(MapPage map, string userName, string password)
    {
        await map.Page.ClickAsync("#sign-in");
        await map.Page.FillAsync("#sign-in-user", userName);
        await map.Page.FillAsync("#sign-in-password", password);
        await map.Page.ClickAsync("#sign-in-submit");
        await map.Page.Locator("#sign-out").WaitForAsync();
    }

    private static async Task OpenAsync(MapPage map, long id)
    {
        await map.Page.ClickAsync($"#results button[data-id='{id}']");
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
    }

    private static Task SavedAsync(MapPage map) => map.Page.Locator("#edit-message", new PageLocatorOptions { HasText = "Saved." }).WaitForAsync();

    [Fact]
    public async Task A_coordinator_fixes_the_water_supply_redraws_the_outline_sees_both_in_the_history_and_cannot_edit_elsewhere()
    {
        await using var db = browser.App.CreateContext();
        var own = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Skip(2).FirstAsync();
        var other = await db.Settlements.Where(s => s.Municipality!.Code == "zvezdara").OrderBy(s => s.Id).FirstAsync();
        var newWater = own.WaterSupply == WaterSupply.None ? "wells" : "none";
        // The demo's seeded history (DemoHistory) is already in the list; this test's two edits come on top, newest first.
        var earlier = await db.SettlementChanges.CountAsync(c => c.SettlementId == own.Id);
        var earlierByCoordinator = await db.SettlementChanges.CountAsync(c => c.SettlementId == own.Id && c.ChangedBy == "coord-nis");
        await using var map = await browser.OpenAsync();
        await SignInAsync(map, DemoAccounts.CoordinatorPrefix + "nis", DemoAccounts.CoordinatorPassword);
        Assert.Contains("coord-nis", await map.Page.TextContentAsync("#account"), StringComparison.Ordinal);

        // A wrong value is refused next to its field, and nothing is saved.
        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await map.IdleAsync();
        await OpenAsync(map, own.Id);
        await map.Page.ClickAsync("#edit-attributes");
        await map.Page.FillAsync("#edit-substandard_share_pct", "150");
        await map.Page.ClickAsync("#edit-save");
        var error = map.Page.Locator("[data-error-for=substandard_share_pct]");
        await Assertions.Expect(error).ToContainTextAsync("from 0 to 100");
        Assert.Equal("true", await map.Page.GetAttributeAsync("#edit-substandard_share_pct", "aria-invalid"));

        await map.Page.FillAsync("#edit-substandard_share_pct", own.SubstandardSharePct?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        await map.Page.SelectOptionAsync("#edit-water_supply", newWater);
        await map.Page.ClickAsync("#edit-save");
        await SavedAsync(map);
        Assert.Equal(newWater == "none" ? "no water supply" : "wells", await map.Page.TextContentAsync("#details-body [data-field=water_supply]"));

        // Reshape: drag one vertex of the outline outwards, then save.
        await map.Page.ClickAsync("#edit-outline");
        var vertex = map.Page.Locator(".marker-icon").First;
        await vertex.WaitForAsync();
        var box = (await vertex.BoundingBoxAsync())!;
        await map.Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await map.Page.Mouse.DownAsync();
        await map.Page.Mouse.MoveAsync(box.X + 25, box.Y + 20, new MouseMoveOptions { Steps = 5 });
        await map.Page.Mouse.UpAsync();
        await map.Page.ClickAsync("#outline-save");
        await SavedAsync(map);

        var history = map.Page.Locator("#history li[data-change]");
        await Assertions.Expect(history).ToHaveCountAsync(earlier + 2);
        Assert.Contains("outline changed", await history.Nth(0).TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Water supply", await history.Nth(1).TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await map.Page.Locator("#history button.restore").CountAsync()); // restoring is for administrators
        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        await map.Page.Locator("#history").ScrollIntoViewIfNeededAsync();
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, "map-editing.png") });

        await using (var check = browser.App.CreateContext())
        {
            var saved = await check.Settlements.SingleAsync(s => s.Id == own.Id);
            Assert.Equal(newWater, EnumText.ToText(saved.WaterSupply));
            Assert.False(saved.Geom.EqualsExact(own.Geom), "the outline changed");
            Assert.True(saved.Geom.IsValid);
            Assert.Equal(earlierByCoordinator + 2, await check.SettlementChanges.CountAsync(c => c.SettlementId == own.Id && c.ChangedBy == "coord-nis"));
        }

        // Another municipality's settlement: no edit buttons, and a note why.
        await map.Page.SelectOptionAsync("#filter-municipality", "zvezdara");
        await map.IdleAsync();
        await OpenAsync(map, other.Id);
        Assert.Equal(0, await map.Page.Locator("#edit-attributes, #edit-outline, #delete-settlement").CountAsync());
        Assert.Contains("own municipalities", await map.Page.TextContentAsync("#details .edit-actions"), StringComparison.Ordinal);
        Assert.DoesNotContain(map.ConsoleErrors, e => !e.Contains("400", StringComparison.Ordinal)); // the refused edit logs its 400
    }

    [Fact]
    public async Task A_coordinator_draws_a_new_settlement_and_an_administrator_restores_an_earlier_version()
    {
        await using var db = browser.App.CreateContext();
        var seat = (await db.Municipalities.SingleAsync(m => m.Code == "kragujevac")).Seat;
        var before = await db.Settlements.CountAsync();
        await using var map = await browser.OpenAsync($"#map=16/{seat.Y.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{seat.X.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        await SignInAsync(map, DemoAccounts.CoordinatorPrefix + "kragujevac", DemoAccounts.CoordinatorPassword);

        await map.Page.ClickAsync("#draw-settlement");
        var centre = (await map.Page.Locator("#map").BoundingBoxAsync())!;
        float x = centre.X + (centre.Width / 3), y = centre.Y + (centre.Height / 2);
        foreach (var (dx, dy) in new[] { (0, 0), (80, 0), (80, 70), (0, 70) })
        {
            await map.Page.Mouse.ClickAsync(x + dx, y + dy);
        }
        await map.Page.Mouse.ClickAsync(x, y); // the first corner again closes the ring
        await map.Page.Locator("#new-form").WaitForAsync();
        await map.Page.FillAsync("#new-name_latn", "Nova Kolonija");
        await map.Page.FillAsync("#new-estimated_inhabitants", "120");
        await map.Page.ClickAsync("#new-save");
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync("Nova Kolonija");
        Assert.Equal("Нова Колонија", await map.Page.TextContentAsync("#details-body [data-field=name_cyrl]"));
        Assert.Equal(before + 1, await db.Settlements.CountAsync());
        var created = await db.Settlements.Include(s => s.Municipality).SingleAsync(s => s.NameLatn == "Nova Kolonija");
        Assert.Equal("kragujevac", created.Municipality!.Code);
        Assert.StartsWith("KRAGUJEVAC-", created.Code, StringComparison.Ordinal);

        // The coordinator renames it; the administrator brings the first name back.
        await map.Page.ClickAsync("#edit-attributes");
        await map.Page.FillAsync("#edit-name_latn", "Kolonija");
        await map.Page.ClickAsync("#edit-save");
        await SavedAsync(map);
        await map.Page.ClickAsync("#sign-out");
        await map.Page.Locator("#sign-in").WaitForAsync();
        await SignInAsync(map, DemoAccounts.AdministratorName, DemoAccounts.AdministratorPassword);
        var restore = map.Page.Locator("#history li[data-action=update] button.restore");
        await restore.WaitForAsync();
        await restore.ClickAsync();
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync("Nova Kolonija");
        await Assertions.Expect(map.Page.Locator("#history li[data-change]")).ToHaveCountAsync(3);
        Assert.Equal("restore", await map.Page.Locator("#history li[data-change]").First.GetAttributeAsync("data-action"));
    }
}
