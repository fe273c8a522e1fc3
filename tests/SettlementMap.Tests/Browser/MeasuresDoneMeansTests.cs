using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// Issue 26's "done means", as one walk through the pages: coord-nis adds "water network extension" for two Niš
/// settlements lacking the water network, funded by a programme, marks it in progress and later done; the measures layer
/// and its legend, the "lacking water, nothing planned" filter and the Niš report follow each step; an administrator
/// sees the national table of measures by area and status.
/// </summary>
public sealed class MeasuresDoneMeansTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Title = "Proširenje vodovodne mreže";
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    private static string Cell(string area, string status) => $"#report-measures-status tr[data-area='{area}'] td[data-status='{status}']";

    [Fact]
    public async Task Coord_nis_plans_starts_and_finishes_water_for_two_settlements_and_map_filter_report_and_national_table_follow()
    {
        // Two Niš settlements that lack the water network and that no live water measure names: the gap planners look for.
        List<long> gap;
        int doneHousingNational;
        await using (var db = browser.App.CreateContext())
        {
            gap = await db.Settlements.Where(s => s.Municipality!.Code == "nis" && s.WaterSupply != WaterSupply.Network && s.WaterSupply != WaterSupply.Unknown
                    && !db.Measures.Any(m => m.TargetAttribute == "water_supply" && m.Status != MeasureStatus.Dropped && m.Settlements.Any(x => x.Id == s.Id)))
                .OrderBy(s => s.Code).Select(s => s.Id).Take(2).ToListAsync();
            doneHousingNational = await db.Measures.CountAsync(m => m.PriorityArea == PriorityArea.Housing && m.Status == MeasureStatus.Done);
        }
        Assert.Equal(2, gap.Count);

        await using var map = await browser.OpenAsync("#municipality=nis&unplanned=water_supply:network");
        await EditingPageTests.SignInAsync(map, DemoAccounts.CoordinatorPrefix + "nis", DemoAccounts.CoordinatorPassword);
        await map.IdleAsync();
        await map.Page.CheckAsync("#layer-measures");
        await map.Page.Locator(".legend [data-legend='measures'] li").First.WaitForAsync();
        var legendBefore = await map.LegendAsync("measures");
        var lacking = await map.ShownCountAsync();
        foreach (var id in gap)
        {
            await Assertions.Expect(map.Page.Locator($"#results button[data-id='{id}']")).ToHaveCountAsync(1);
        }

        // The measure, from the first settlement's details, with the second one ticked too.
        await map.Page.ClickAsync($"#results button[data-id='{gap[0]}']");
        await map.Page.ClickAsync("#measure-add");
        var form = map.Page.Locator("#measure-form");
        await form.Locator("[name='priority_area']").SelectOptionAsync("housing");
        await form.Locator("[name='title_latn']").PressSequentiallyAsync(Title);
        await form.Locator("[name='title_en']").FillAsync("Water network extension");
        var second = await SettlementCodeAsync(gap[1]);
        await form.Locator($"#measure-settlement-{second}").CheckAsync();
        await form.Locator("[name='target_attribute']").SelectOptionAsync("water_supply");
        await form.Locator("[name='target_value']").SelectOptionAsync("network");
        await form.Locator("[name='funding_source']").SelectOptionAsync("programme");
        await form.Locator("[name='programme_code']").SelectOptionAsync("romacted");
        await map.Page.ClickAsync("#measure-save");
        await map.Page.Locator("#measure-saved", new PageLocatorOptions { HasText = "Saved." }).WaitForAsync();
        var measure = await MeasureAsync();
        Assert.Equal((MeasureStatus.Planned, "romacted"), (measure.Status, measure.Programme!.Code));
        Assert.Equal(gap.Order(), measure.Settlements.Select(s => s.Id).Order());

        // The filter: both settlements leave "lacking water, nothing planned" at once; the layer has two more planned points.
        await Assertions.Expect(map.Page.Locator("#count")).ToHaveAttributeAsync("data-shown", (lacking - 2).ToString(CultureInfo.InvariantCulture));
        foreach (var id in gap)
        {
            await Assertions.Expect(map.Page.Locator($"#results button[data-id='{id}']")).ToHaveCountAsync(0);
        }
        await LegendCountAsync(map, "planned", legendBefore["planned"].Count + 2);

        var item = map.Page.Locator($"#details-measures .measure[data-measure='{measure.Id}']");
        await item.Locator("[data-action='start']").ClickAsync();
        await item.Locator(".measure-step-confirm").ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "in_progress");
        await LegendCountAsync(map, "in_progress", legendBefore["in_progress"].Count + 2);
        await LegendCountAsync(map, "planned", legendBefore["planned"].Count);

        await item.Locator("[data-action='done']").ClickAsync();
        await item.Locator(".measure-step-confirm").ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "done");
        await LegendCountAsync(map, "done", legendBefore["done"].Count + 2);
        await LegendCountAsync(map, "in_progress", legendBefore["in_progress"].Count);
        Assert.Equal((MeasureStatus.Done, DateOnly.FromDateTime(DateTime.UtcNow)), ((await MeasureAsync()).Status, (await MeasureAsync()).DoneOn!.Value));
        // Done, not dropped: still planned for, so still out of the gap.
        await Assertions.Expect(map.Page.Locator("#count")).ToHaveAttributeAsync("data-shown", (lacking - 2).ToString(CultureInfo.InvariantCulture));

        // The Niš report: counted as a done housing measure, its two settlements' outcomes listed, the gap two smaller.
        await map.Page.GotoAsync(new Uri(browser.BaseAddress, "/report.html?municipality=nis").ToString());
        await map.Page.EvaluateAsync("() => window.settlementMap.ready");
        await using (var db = browser.App.CreateContext())
        {
            var doneHousingNis = await db.Measures.CountAsync(m => m.ActionPlan!.Municipality!.Code == "nis" && m.PriorityArea == PriorityArea.Housing && m.Status == MeasureStatus.Done);
            await Assertions.Expect(map.Page.Locator(Cell("housing", "done"))).ToHaveTextAsync(doneHousingNis.ToString(English));
        }
        await Assertions.Expect(map.Page.Locator($"#report-measures-outcomes tr[data-measure='{measure.Id}']")).ToHaveCountAsync(2);
        await Assertions.Expect(map.Page.Locator("#report-measures-gaps tr[data-attribute='water_supply'] td.num"))
            .ToHaveTextAsync((lacking - 2).ToString("#,##0", English));

        // An administrator: the national table of measures by area and status, reached from the admin page.
        await using var admin = await WatchedPage.OpenAsAdministratorAsync(browser.Browser, browser.BaseAddress, "/admin.html");
        await admin.Page.EvaluateAsync("() => window.settlementMap.ready");
        await admin.Page.ClickAsync("#national-measures");
        await Assertions.Expect(admin.Page.Locator("#report-measures[data-area-kind='serbia']")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Page.Locator(Cell("housing", "done"))).ToHaveTextAsync((doneHousingNational + 1).ToString("#,##0", English));
        Assert.Empty(map.ConsoleErrors);
    }

    private async Task<string> SettlementCodeAsync(long id)
    {
        await using var db = browser.App.CreateContext();
        return await db.Settlements.Where(s => s.Id == id).Select(s => s.Code).SingleAsync();
    }

    private async Task<Measure> MeasureAsync()
    {
        await using var db = browser.App.CreateContext();
        return await db.Measures.AsNoTracking().Include(m => m.Settlements).Include(m => m.Programme)
            .Where(m => m.TitleLatn == Title).OrderByDescending(m => m.Id).FirstAsync(); // the demo may have a measure of that title too
    }

    /// <summary>Waits until the measures legend counts <paramref name="expected"/> points of a status.</summary>
    private static async Task LegendCountAsync(MapPage map, string status, int expected) =>
        await Assertions.Expect(map.Page.Locator($".legend [data-legend='measures'] li[data-class='{status}'] .count"))
            .ToHaveTextAsync(expected.ToString("#,##0", English));
}
