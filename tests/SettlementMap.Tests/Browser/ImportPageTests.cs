using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.Import;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Browser;

/// <summary>An administrator imports a file through the page: dry-run report first, then apply, then the map shows it.</summary>
public sealed class ImportPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_dry_run_report_shows_the_bad_row_escaped_and_applying_the_good_rows_puts_them_on_the_map()
    {
        var spots = await ImportSteps.FreeSpotsAsync(browser.App.ConnectionString, "kragujevac", 2);
        var folder = Directory.CreateTempSubdirectory("import-page-");
        var file = Path.Combine(folder.FullName, "mahale.geojson");
        await File.WriteAllTextAsync(file, ImportSteps.FeatureCollection(
            (ImportSteps.Square(spots[0].Lon, spots[0].Lat), new { šifra = "IMPP-001", naziv = "Нова махала", opština = "Крагујевац", vodosnabdevanje = "водовод" }),
            (ImportSteps.Square(spots[1].Lon, spots[1].Lat), new { šifra = "IMPP-002", naziv = "Stara", opština = "kragujevac", vodosnabdevanje = "<img src=x onerror=alert(1)>" })));

        await using var map = await browser.OpenAsync();
        await map.Page.ClickAsync("#sign-in");
        await map.Page.FillAsync("#sign-in-user", DemoAccounts.AdministratorName);
        await map.Page.FillAsync("#sign-in-password", DemoAccounts.AdministratorPassword);
        await map.Page.ClickAsync("#sign-in-submit");
        await map.Page.Locator("#sign-out").WaitForAsync();
        await Assertions.Expect(map.Page.Locator("#import-link")).ToHaveAttributeAsync("href", "import.html");
        await map.Page.GotoAsync(new Uri(browser.BaseAddress, "/import.html").ToString());
        await map.Page.EvaluateAsync("() => window.settlementMap.ready");

        await map.Page.SetInputFilesAsync("#file", file);
        await map.Page.ClickAsync("#check");
        await Assertions.Expect(map.Page.Locator("#report")).ToBeVisibleAsync();
        var problems = map.Page.Locator("#problems tr");
        await Assertions.Expect(problems).ToHaveCountAsync(2); // the header and row 2
        await Assertions.Expect(problems.Nth(1)).ToContainTextAsync("<img src=x onerror=alert(1)>");
        Assert.Equal(0, await map.Page.Locator("#problems img").CountAsync());
        // The field is named by its schema label in the page's language, with the name the file uses.
        var label = SettlementSchema.Find("water_supply")!.Label;
        await Assertions.Expect(problems.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex($"^({label.Latn}|{label.Cyrl}|{label.En}) \\(water_supply\\)$"));
        await Assertions.Expect(map.Page.Locator("#apply")).ToBeHiddenAsync();

        await map.Page.ClickAsync("#apply-skip");
        await Assertions.Expect(map.Page.Locator("#to-map")).ToBeVisibleAsync();
        await Assertions.Expect(map.Page.Locator("#message")).ToContainTextAsync("1 created");

        await using var db = browser.App.CreateContext();
        var created = await db.Settlements.SingleAsync(s => s.Code == "IMPP-001");
        Assert.False(await db.Settlements.AnyAsync(s => s.Code == "IMPP-002"));
        await map.Page.GotoAsync(new Uri(browser.BaseAddress, $"/#selected={created.Id}").ToString());
        await map.ReadyAsync();
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync("Nova mahala");
        Assert.Empty(map.ConsoleErrors);
    }
}
