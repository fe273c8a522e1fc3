using SettlementMap.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Browser;

/// <summary>Coverage overlays, their legends and figures, and the printable summary report, in headless Chromium.</summary>
public sealed class CoveragePageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // About the coverage overlays, not who sees what: the database is "everything public, generalisation off".
    private readonly BrowserFixture browser = EverythingPublicIn(browser);

    private static BrowserFixture EverythingPublicIn(BrowserFixture fixture)
    {
        EverythingPublic.Of(fixture.App);
        return fixture;
    }

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Toggling_the_coordinator_and_gap_overlays_draws_them_and_their_legends_count_the_municipalities()
    {
        await using var db = browser.App.CreateContext();
        // The legends count on the figures' base: the municipalities with at least one settlement.
        var municipalities = await db.Municipalities.CountAsync(m => db.Settlements.Any(s => s.MunicipalityId == m.Id));
        var withCoordinator = await db.Coverage
            .Where(c => c.Kind == CoverageKind.Coordinator && (c.ValidFrom == null || c.ValidFrom <= Today) && (c.ValidTo == null || c.ValidTo >= Today) && (c.Count == null || c.Count > 0))
            .Where(c => db.Settlements.Any(s => s.MunicipalityId == c.MunicipalityId))
            .Select(c => c.MunicipalityId).Distinct().CountAsync();
        await using var map = await browser.OpenAsync();
        await map.Page.Locator("#overlay-coordinator").WaitForAsync();
        Assert.Equal(0, await map.Page.Locator("path.coverage-coordinator").CountAsync());

        await map.Page.CheckAsync("#overlay-coordinator");
        var legend = await map.LegendAsync("overlay-coordinator");
        Assert.Equal(withCoordinator, legend["present"].Count);
        Assert.Equal(municipalities - withCoordinator, legend["absent"].Count);
        Assert.Equal(withCoordinator, await map.Page.Locator("path.coverage-coordinator").CountAsync());

        await map.Page.CheckAsync("#overlay-gap");
        var gap = await map.LegendAsync("overlay-gap");
        Assert.Equal(municipalities, gap.Values.Sum(v => v.Count));
        var gapDrawn = gap.Where(g => g.Key != "none").Sum(g => g.Value.Count);
        Assert.True(gapDrawn > 0, "the demo data has municipalities without a coordinator or a health mediator");
        Assert.Equal(gapDrawn, await map.Page.Locator("path.coverage-gap").CountAsync());
        Assert.Contains("overlays=coordinator,gap", map.Page.Url, StringComparison.Ordinal);

        await map.Page.UncheckAsync("#overlay-coordinator");
        Assert.Equal(0, await map.Page.Locator("path.coverage-coordinator").CountAsync());
        Assert.Equal(0, await map.Page.Locator(".legend [data-legend='overlay-coordinator']").CountAsync());
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task The_coverage_figures_in_the_panel_are_the_servers_and_follow_the_as_of_day()
    {
        await using var map = await browser.OpenAsync();
        using var client = browser.App.Factory.CreateClient();
        using var figures = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/coverage/figures", UriKind.Relative)));
        var coordinator = figures.RootElement.GetProperty("national").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "coordinator");
        var cell = map.Page.Locator("#coverage-figures tr[data-kind='coordinator'] td[data-figure='settlements']").First;
        var english = System.Globalization.CultureInfo.GetCultureInfo("en-GB");
        await Assertions.Expect(cell).ToHaveTextAsync(
            coordinator.GetProperty("settlements_covered").GetInt32().ToString("N0", english) + " / " + coordinator.GetProperty("settlements_not_covered").GetInt32().ToString("N0", english));

        // ROMACTED's period ended on 2020-04-30: on that day it covers, the day after it does not.
        await map.Page.FillAsync("#coverage-as-of", "2020-04-30");
        await map.Page.DispatchEventAsync("#coverage-as-of", "change");
        // The day's coverage has arrived when the figures' heading names it.
        await Assertions.Expect(map.Page.Locator("#coverage-figures h3")).ToContainTextAsync("2020-04-30");
        await map.Page.CheckAsync("#overlay-programme-romacted");
        Assert.Equal(11, (await map.LegendAsync("overlay-programme:romacted"))["present"].Count);
        await map.Page.FillAsync("#coverage-as-of", "2020-05-01");
        await map.Page.DispatchEventAsync("#coverage-as-of", "change");
        await Assertions.Expect(map.Page.Locator(".legend [data-legend='overlay-programme:romacted'] [data-class='present'] .count")).ToHaveTextAsync("0");
        Assert.Contains("as_of=2020-05-01", map.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_printable_report_for_Nis_matches_the_database_and_hides_its_controls_in_print()
    {
        await using var db = browser.App.CreateContext();
        var nis = await db.Settlements.Where(s => s.Municipality!.Code == "nis").ToListAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(browser.BaseAddress, "/report.html?municipality=nis").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        Assert.Equal("Summary report: Niš", await page.TextContentAsync("#report-title"));
        Assert.Equal(nis.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.TextContentAsync("[data-total='settlements'] td.num"));
        Assert.Equal(nis.Sum(s => s.EstimatedInhabitants ?? 0).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-GB")),
            await page.TextContentAsync("[data-total='estimated_inhabitants'] td.num"));
        Assert.Equal(nis.Count, await page.Locator("tr[data-id]").CountAsync());
        Assert.Equal(nis.Count(s => s.WaterSupply is WaterSupply.Wells or WaterSupply.None).ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.TextContentAsync("[data-total='without_water_network'] td.num"));
        Assert.Contains("Demo data", await page.TextContentAsync("#report-notice"), StringComparison.Ordinal);

        Assert.True(await page.IsVisibleAsync("#report-controls"));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.False(await page.IsVisibleAsync("#report-controls"));
        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        await page.PdfAsync(new PagePdfOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, "report-nis.pdf") });
        await context.DisposeAsync();
    }
}
