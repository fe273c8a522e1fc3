using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Web;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>Niš's coordinator imports the sample measures through the page: per-row report in the page's language, then apply.</summary>
public sealed class MeasureImportPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_coordinator_dry_runs_the_sample_measures_sees_each_row_and_applies_the_good_ones()
    {
        var sample = Path.Combine(browser.App.Factory.Services.GetRequiredService<ProjectPaths>().Data, "samples", "measures_nis.csv");
        await using var map = await browser.OpenAsync();
        await map.Page.ClickAsync("#sign-in");
        await map.Page.FillAsync("#sign-in-user", DemoAccounts.CoordinatorPrefix + "nis");
        await map.Page.FillAsync("#sign-in-password", DemoAccounts.CoordinatorPassword);
        await map.Page.ClickAsync("#sign-in-submit");
        await map.Page.Locator("#sign-out").WaitForAsync();
        foreach (var lang in new[] { "en", "sr-Cyrl", "sr-Latn" })
        {
            await map.Page.EvaluateAsync("lang => localStorage.setItem('settlementmap.language', lang)", lang);
            await map.Page.GotoAsync(new Uri(browser.BaseAddress, "/import.html").ToString());
            await map.Page.EvaluateAsync("() => window.settlementMap.ready");
            await map.Page.SelectOptionAsync("#kind", "measures");
            await Assertions.Expect(map.Page.Locator("#kind-hint")).ToContainTextAsync("settlement_codes");
            await map.Page.SetInputFilesAsync("#file", sample);
            await map.Page.ClickAsync("#check");
            await Assertions.Expect(map.Page.Locator("#report")).ToBeVisibleAsync();
            await Assertions.Expect(map.Page.Locator("#placements tr")).ToHaveCountAsync(4); // the header and three rows
            await Assertions.Expect(map.Page.Locator("#problems")).ToContainTextAsync("DEMO-ZVEZDARA-001");
            await Assertions.Expect(map.Page.Locator("#placements")).ToContainTextAsync("Proširenje vodovodne mreže (uzorak)");
            await map.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"measure-import-{lang}.png"), FullPage = true });
        }
        await Assertions.Expect(map.Page.Locator("#placements")).ToContainTextAsync("stvara meru");
        await map.Page.ClickAsync("#apply-skip");
        await Assertions.Expect(map.Page.Locator("#to-map")).ToBeVisibleAsync();
        await using var db = browser.App.CreateContext();
        Assert.True(await db.Measures.AnyAsync(m => m.TitleLatn == "Proširenje vodovodne mreže (uzorak)" && m.UpdatedBy == "coord-nis"));
        Assert.Empty(map.ConsoleErrors);
    }
}
