using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The report page's Measures section (issue 26): the Niš report shows the measures by area and status, the CSV link, the
/// outcomes and the gaps in English and in Cyrillic; a measure coord-nis adds and finishes shows in it; an administrator
/// reaches the national table from the admin page and sees the budgets, a planner signed out sees the counts but not them.
/// </summary>
public sealed class MeasureReportTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Statuses = ["planned", "in_progress", "done", "dropped"];

    private async Task<(IPage Page, IBrowserContext Context)> OpenAsync(string query, string locale)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(browser.BaseAddress, "/report.html?" + query).ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        return (page, context);
    }

    private async Task<JsonElement> ApiAsync(string query)
    {
        using var client = browser.App.Factory.CreateClient();
        return (await ReadAsync(client, "/api/reports/measures?" + query)).Body;
    }

    private static int CountOf(JsonElement report, string area, string status) =>
        report.GetProperty("by_status").EnumerateArray().Where(c => c.GetProperty("priority_area").GetString() == area && c.GetProperty("status").GetString() == status)
            .Sum(c => c.GetProperty("count").GetInt32());

    private static string Cell(string area, string status) =>
        $"#report-measures-status tr[data-area='{area}'] td[data-status='{status}']";

    [Fact]
    public async Task The_nis_report_shows_its_measures_in_english_and_in_cyrillic()
    {
        var report = await ApiAsync("municipality=nis");
        var (page, context) = await OpenAsync("municipality=nis", "en-GB");
        await using (context)
        {
            await Assertions.Expect(page.Locator("#report-measures-title")).ToHaveTextAsync("Measures");
            foreach (var status in Statuses)
            {
                await Assertions.Expect(page.Locator(Cell("housing", status))).ToHaveTextAsync(CountOf(report, "housing", status).ToString(CultureInfo.InvariantCulture));
            }
            await Assertions.Expect(page.Locator("#report-measures-status tr[data-area='total'] td").Last)
                .ToHaveTextAsync(report.GetProperty("measures").GetInt32().ToString("#,##0", CultureInfo.GetCultureInfo("en-GB")));
            await Assertions.Expect(page.Locator("#report-measures-status tr[data-area='housing'] td").First).ToHaveTextAsync("housing");
            Assert.Equal(report.GetProperty("over_time").GetArrayLength(), await page.Locator("#report-measures-time tr[data-day]").CountAsync());
            Assert.Equal(report.GetProperty("outcomes").GetArrayLength(), await page.Locator("#report-measures-outcomes tr[data-outcome]").CountAsync());
            // Signed out: counts, but budgets are restricted.
            await Assertions.Expect(page.Locator("#report-measures-budgets-restricted")).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("#report-measures-budgets").CountAsync());
            var water = page.Locator("#report-measures-gaps a[data-gap-link='water_supply']");
            Assert.Equal("index.html#municipality=nis&unplanned=water_supply:network", await water.GetAttributeAsync("href"));
            Assert.Equal("api/reports/measures?municipality=nis&format=csv&lang=en", await page.GetAttributeAsync("#report-measures-csv", "href"));
        }

        var (cyrillic, cyrillicContext) = await OpenAsync("municipality=nis", "sr-RS");
        await using (cyrillicContext)
        {
            await Assertions.Expect(cyrillic.Locator("#report-measures-title")).ToHaveTextAsync("Мере");
            await Assertions.Expect(cyrillic.Locator("#report-measures-status tr[data-area='housing'] td").First).ToHaveTextAsync("становање");
            await Assertions.Expect(cyrillic.Locator("#report-measures-status th").Nth(1)).ToHaveTextAsync("планирано");
            await Assertions.Expect(cyrillic.Locator("#report-measures-budgets-restricted")).ToContainTextAsync("Буџети");
            Assert.EndsWith("lang=sr-Cyrl", await cyrillic.GetAttributeAsync("#report-measures-csv", "href"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_measure_coord_nis_adds_and_finishes_shows_in_the_nis_report()
    {
        var before = await ApiAsync("municipality=nis");
        using var coordinator = await ClientAsync(browser.App, CoordinatorNis);
        var created = await CreateMeasureAsync(coordinator, WaterMeasure(await PlanOfAsync(browser.App, "nis"), await SettlementsOfAsync(browser.App, "nis", 2)));
        var started = await PatchMeasureAsync(coordinator, created.Id, new { status = "in_progress" }, created.ETag);
        var (page, context) = await OpenAsync("municipality=nis", "en-GB");
        await using (context)
        {
            await Assertions.Expect(page.Locator(Cell("housing", "in_progress")))
                .ToHaveTextAsync((CountOf(before, "housing", "in_progress") + 1).ToString(CultureInfo.InvariantCulture));
        }
        await PatchMeasureAsync(coordinator, created.Id, new { status = "done" }, started.ETag);
        (page, context) = await OpenAsync("municipality=nis", "en-GB");
        await using (context)
        {
            await Assertions.Expect(page.Locator(Cell("housing", "done")))
                .ToHaveTextAsync((CountOf(before, "housing", "done") + 1).ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(page.Locator(Cell("housing", "in_progress")))
                .ToHaveTextAsync(CountOf(before, "housing", "in_progress").ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(page.Locator($"#report-measures-outcomes tr[data-measure='{created.Id}']")).ToHaveCountAsync(2);
        }
    }

    [Fact]
    public async Task An_administrator_reaches_the_national_table_from_the_admin_page_and_sees_the_budgets()
    {
        await using var admin = await WatchedPage.OpenAsAdministratorAsync(browser.Browser, browser.BaseAddress, "/admin.html");
        var page = admin.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.ClickAsync("#national-measures");
        // The URL, then the section: not the load event, which a report's pending requests can hold back.
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(browser.BaseAddress, "/report.html?place=serbia").ToString());
        await Assertions.Expect(page.Locator("#report-measures[data-area-kind='serbia']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#report-title")).ToHaveTextAsync("Measures: Serbia");
        await using (var db = browser.App.CreateContext())
        {
            var total = await db.Measures.CountAsync();
            await Assertions.Expect(page.Locator("#report-measures-status tr[data-area='total'] td").Last).ToHaveTextAsync(total.ToString("#,##0", CultureInfo.GetCultureInfo("en-GB")));
            var currencies = await db.Measures.Where(m => m.Currency != null).Select(m => m.Currency).Distinct().CountAsync();
            Assert.True(currencies > 0);
        }
        await Assertions.Expect(page.Locator("#report-measures-budgets tr[data-currency]").First).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#report-measures-budgets-restricted").CountAsync());
        await Assertions.Expect(page.Locator("#place-serbia")).ToBeHiddenAsync();

        // A planner signed out: the same national counts, budgets restricted.
        var (anonymous, context) = await OpenAsync("place=serbia", "en-GB");
        await using (context)
        {
            await Assertions.Expect(anonymous.Locator("#report-measures-status tr[data-area='total'] td").Last)
                .ToHaveTextAsync(await page.Locator("#report-measures-status tr[data-area='total'] td").Last.TextContentAsync() ?? "");
            await Assertions.Expect(anonymous.Locator("#report-measures-budgets-restricted")).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task The_place_choice_leads_from_a_municipalitys_report_to_serbias()
    {
        var (page, context) = await OpenAsync("municipality=nis", "en-GB");
        await using (context)
        {
            await Assertions.Expect(page.Locator("#place-serbia")).ToHaveTextAsync("Serbia (all municipalities)");
            await page.ClickAsync("#place-serbia");
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(browser.BaseAddress, "/report.html?place=serbia").ToString());
            await Assertions.Expect(page.Locator("#report-measures[data-area-kind='serbia']")).ToBeVisibleAsync();
        }
    }
}
