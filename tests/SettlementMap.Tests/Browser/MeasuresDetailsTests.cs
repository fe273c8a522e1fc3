using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// A settlement's details list the measures of the local action plans that name it (issue 26): titles, area, status
/// with its day and funding in the page's language; the amounts only for those who may see them.
/// </summary>
public sealed class MeasuresDetailsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private sealed record Named(long SettlementId, string Municipality, List<Measure> Measures);

    /// <summary>A settlement the demo plans name in a measure funded by a programme with a budget, with its measures.</summary>
    private async Task<Named> NamedAsync()
    {
        await using var db = browser.App.CreateContext();
        var settlement = await db.Settlements
            .Where(s => db.Measures.Any(m => m.Settlements.Contains(s) && m.FundingSource == FundingSource.Programme && m.BudgetAmount != null))
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.Municipality!.Code }).FirstAsync();
        var measures = await db.Measures.AsNoTracking().Include(m => m.Programme)
            .Where(m => m.Settlements.Any(s => s.Id == settlement.Id)).OrderBy(m => m.Id).ToListAsync();
        return new Named(settlement.Id, settlement.Code, measures);
    }

    private static async Task OpenAsync(MapPage map, Named named) => await OpenAsync(map, named.Municipality, named.SettlementId);

    private static async Task OpenAsync(MapPage map, string municipality, long id)
    {
        await map.Page.SelectOptionAsync("#filter-municipality", municipality);
        await map.IdleAsync();
        await map.Page.ClickAsync($"#results button[data-id='{id}']");
        await map.Page.Locator("#details-measures .measure-list, #details-measures p.hint").First.WaitForAsync();
    }

    [Fact]
    public async Task The_public_sees_a_settlements_measures_in_its_language_without_their_amounts()
    {
        var named = await NamedAsync();
        await using var map = await browser.OpenAsync();
        await OpenAsync(map, named);

        var items = map.Page.Locator("#details-measures .measure");
        await Assertions.Expect(items).ToHaveCountAsync(named.Measures.Count);
        var funded = named.Measures.First(m => m.FundingSource == FundingSource.Programme);
        var item = map.Page.Locator($"#details-measures .measure[data-measure='{funded.Id}']");
        await Assertions.Expect(item.Locator(".measure-title")).ToHaveTextAsync(funded.TitleEn ?? funded.TitleLatn);
        var funding = item.Locator("[data-measure-field='measures.funding']");
        await Assertions.Expect(funding).ToContainTextAsync(funded.Programme!.NameEn);
        Assert.DoesNotContain(funded.Programme.Code, await funding.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await map.Page.Locator("#details-measures [data-measure-field='measures.budget']").CountAsync()); // below the budgets' level

        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await Assertions.Expect(map.Page.Locator("#details-measures h3")).ToHaveTextAsync("Мере");
        await Assertions.Expect(map.Page.Locator($"#details-measures .measure[data-measure='{funded.Id}'] .measure-title")).ToHaveTextAsync(funded.TitleCyrl);
        await Assertions.Expect(map.Page.Locator($"#details-measures .measure[data-measure='{funded.Id}'] [data-measure-field='measures.funding']")).ToContainTextAsync(funded.Programme.NameSrCyrl);
    }

    [Fact]
    public async Task The_municipalitys_coordinator_sees_the_amounts_and_a_settlement_no_plan_names_says_so()
    {
        var named = await NamedAsync();
        await using var map = await browser.OpenAsync();
        await EditingPageTests.SignInAsync(map, DemoAccounts.CoordinatorPrefix + named.Municipality, DemoAccounts.CoordinatorPassword);
        await OpenAsync(map, named);
        var budgeted = named.Measures.First(m => m.BudgetAmount != null);
        await Assertions.Expect(map.Page.Locator($"#details-measures .measure[data-measure='{budgeted.Id}'] [data-measure-field='measures.budget']"))
            .ToContainTextAsync(budgeted.Currency!);

        await using var db = browser.App.CreateContext();
        var unnamed = await db.Settlements.Where(s => !db.Measures.Any(m => m.Settlements.Contains(s)))
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.Municipality!.Code }).FirstAsync();
        await OpenAsync(map, unnamed.Code, unnamed.Id);
        await Assertions.Expect(map.Page.Locator("#details-measures p.hint")).ToHaveTextAsync("No measures name this settlement.");
    }
}
