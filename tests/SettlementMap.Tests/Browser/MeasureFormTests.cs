using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;
using static SettlementMap.Tests.Editing.Edits;
using SettlementMap.Tests.Measures;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// A coordinator edits the measures of their municipality in a settlement's details (issue 26): adds one for two
/// settlements funded by a programme, changes it, starts it, marks it done, reads its history and deletes it; a change
/// made meanwhile keeps the input; a coordinator elsewhere gets no buttons; the form reads in Cyrillic.
/// </summary>
public sealed class MeasureFormTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Opens a settlement's details from the list of its municipality and waits for its measures.</summary>
    private static async Task OpenAsync(MapPage map, string municipality, long id)
    {
        await map.Page.SelectOptionAsync("#filter-municipality", municipality);
        await map.IdleAsync();
        await map.Page.ClickAsync($"#results button[data-id='{id}']");
        await map.Page.Locator("#details-measures .measure-list, #details-measures p.hint:not(#measure-saved)").First.WaitForAsync();
    }

    private async Task<List<(long Id, string Code)>> SettlementsAsync(string municipality, int count)
    {
        await using var db = browser.App.CreateContext();
        var rows = await db.Settlements.Where(s => s.Municipality!.Code == municipality).OrderBy(s => s.Code).Take(count)
            .Select(s => new { s.Id, s.Code }).ToListAsync();
        return [.. rows.Select(r => (r.Id, r.Code))];
    }

    private async Task<Measure?> MeasureAsync(string title)
    {
        await using var db = browser.App.CreateContext();
        return await db.Measures.AsNoTracking().Include(m => m.Settlements).Include(m => m.Programme).SingleOrDefaultAsync(m => m.TitleLatn == title);
    }

    /// <summary>A measure of the demo's Niš plan for one settlement, made through the API by its coordinator.</summary>
    private async Task<Answer> MeasureOfAsync(HttpClient api, string settlementCode)
    {
        var created = await CreateMeasureAsync(api, WaterMeasure(await PlanOfAsync(browser.App, "nis"), [settlementCode]));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created;
    }

    /// <summary>The map, signed in as the coordinator of a municipality, with a settlement's details open.</summary>
    private async Task<MapPage> SignedInAsync(string coordinatorOf, string municipality, long settlementId)
    {
        var map = await browser.OpenAsync();
        await EditingPageTests.SignInAsync(map, DemoAccounts.CoordinatorPrefix + coordinatorOf, DemoAccounts.CoordinatorPassword);
        await OpenAsync(map, municipality, settlementId);
        return map;
    }

    /// <summary>The form closed and the list says "Saved.".</summary>
    private static async Task SavedAsync(MapPage map)
    {
        await Assertions.Expect(map.Page.Locator("#measure-form")).ToHaveCountAsync(0);
        await map.Page.Locator("#measure-saved", new PageLocatorOptions { HasText = "Saved." }).WaitForAsync();
    }

    [Fact]
    public async Task A_coordinator_adds_a_measure_for_two_settlements_changes_starts_finishes_and_deletes_it()
    {
        const string title = "Proširenje vodovodne mreže (obrazac)";
        var places = await SettlementsAsync("nis", 2);
        await using var map = await SignedInAsync("nis", "nis", places[0].Id);

        await map.Page.ClickAsync("#measure-add");
        var form = map.Page.Locator("#measure-form");
        await form.WaitForAsync();
        Assert.True(await form.Locator($"#measure-settlement-{places[0].Code}").IsCheckedAsync(), "the settlement at hand is preselected");
        // Nothing filled in: the server's refusals at their fields, in the page's language.
        await map.Page.ClickAsync("#measure-save");
        await Assertions.Expect(form.Locator("[data-error-for='title_latn']")).ToHaveTextAsync("Title (Latin) is required.");
        await Assertions.Expect(form.Locator("[name='title_latn']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(form.Locator("[data-error-for='priority_area']")).Not.ToBeEmptyAsync();
        await form.Locator("[name='priority_area']").SelectOptionAsync("housing");
        await form.Locator("[name='title_latn']").PressSequentiallyAsync(title);
        await Assertions.Expect(form.Locator("[name='title_cyrl']")).ToHaveValueAsync("Проширење водоводне мреже (образац)");
        await form.Locator("[name='title_en']").FillAsync("Water network extension");
        await form.Locator($"#measure-settlement-{places[1].Code}").CheckAsync();
        await form.Locator("[name='target_attribute']").SelectOptionAsync("water_supply");
        await form.Locator("[name='target_value']").SelectOptionAsync("network");
        await form.Locator("[name='funding_source']").SelectOptionAsync("programme");
        await form.Locator("[name='programme_code']").SelectOptionAsync("romacted");
        await form.Locator("[name='budget.currency']").SelectOptionAsync("RSD");
        await form.Locator("[name='budget.amount']").FillAsync("2500000");
        await map.Page.ClickAsync("#measure-add-indicator");
        await form.Locator("[name='indicators[0].name']").FillAsync("Priključena domaćinstva");
        await form.Locator("[name='indicators[0].target']").FillAsync("40");

        var violations = await Axe.RunAsync(map.Page);
        Assert.True(Axe.Blocking(violations).Count == 0, string.Join("; ", Axe.Blocking(violations)));

        await map.Page.ClickAsync("#measure-save");
        await SavedAsync(map);
        var measure = await MeasureAsync(title);
        Assert.NotNull(measure);
        Assert.Equal(places.Select(p => p.Code).Order(), measure.Settlements.Select(s => s.Code).Order());
        Assert.Equal("romacted", measure.Programme!.Code);
        Assert.Equal((MeasureStatus.Planned, "Проширење водоводне мреже (образац)", 2_500_000m), (measure.Status, measure.TitleCyrl, measure.BudgetAmount!.Value));
        var item = map.Page.Locator($"#details-measures .measure[data-measure='{measure.Id}']");
        await Assertions.Expect(item.Locator(".measure-title")).ToHaveTextAsync("Water network extension");

        // Edit: a field changed, the rest as it was.
        await item.Locator("[data-action='edit']").ClickAsync();
        await Assertions.Expect(form.Locator("[name='title_latn']")).ToHaveValueAsync(title);
        Assert.True(await form.Locator($"#measure-settlement-{places[1].Code}").IsCheckedAsync());
        await form.Locator("[name='responsible_body']").FillAsync("Gradska uprava Niš");
        await map.Page.ClickAsync("#measure-save");
        await SavedAsync(map);
        Assert.Equal("Gradska uprava Niš", (await MeasureAsync(title))!.ResponsibleBody);

        // Start, on a day of the person's choosing.
        var startDay = DateTime.UtcNow.AddDays(-10);
        await item.Locator("[data-action='start']").ClickAsync();
        await item.Locator("input[name='started_on']").FillAsync(Day(startDay));
        await item.Locator(".measure-step-confirm").ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "in_progress");
        measure = await MeasureAsync(title);
        Assert.Equal((MeasureStatus.InProgress, DateOnly.FromDateTime(startDay)), (measure!.Status, measure.StartedOn!.Value));

        // Done, today (the default).
        await item.Locator("[data-action='done']").ClickAsync();
        await item.Locator(".measure-step-confirm").ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "done");
        measure = await MeasureAsync(title);
        Assert.Equal((MeasureStatus.Done, DateOnly.FromDateTime(DateTime.UtcNow)), (measure!.Status, measure.DoneOn!.Value));
        await Assertions.Expect(item.Locator("[data-action='start'], [data-action='done']")).ToHaveCountAsync(0);

        // The history: created, then three changes, latest first.
        await item.Locator("[data-action='history']").ClickAsync();
        var entries = item.Locator(".measure-history > li");
        await Assertions.Expect(entries).ToHaveCountAsync(4);
        await Assertions.Expect(entries.First).ToContainTextAsync("coord-nis");
        await Assertions.Expect(entries.First.Locator("[data-field='status']")).ToContainTextAsync("in progress → done");

        map.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await item.Locator("[data-action='delete']").ClickAsync();
        await Assertions.Expect(item).ToHaveCountAsync(0);
        Assert.Null(await MeasureAsync(title));
    }

    [Fact]
    public async Task A_change_made_meanwhile_is_shown_beside_the_input_which_saving_again_applies()
    {
        var place = (await SettlementsAsync("nis", 3))[2];
        using var api = await ClientAsync(browser.App, CoordinatorNis);
        var created = await MeasureOfAsync(api, place.Code);
        await using var map = await SignedInAsync("nis", "nis", place.Id);

        await map.Page.Locator($"#details-measures .measure[data-measure='{created.Id}'] [data-action='edit']").ClickAsync();
        var form = map.Page.Locator("#measure-form");
        await form.Locator("[name='title_en']").FillAsync("Water network extension, phase 2");
        var meanwhile = await PatchMeasureAsync(api, created.Id, new { responsible_body = "JKP Naissus" }, created.ETag);
        Assert.Equal(HttpStatusCode.OK, meanwhile.Status);

        await map.Page.ClickAsync("#measure-save");
        await Assertions.Expect(map.Page.Locator("#measure-message")).ToContainTextAsync("Someone changed this measure");
        await Assertions.Expect(form.Locator("[data-now-for='responsible_body']")).ToHaveTextAsync("Now: JKP Naissus");
        await Assertions.Expect(form.Locator("[name='title_en']")).ToHaveValueAsync("Water network extension, phase 2");

        await map.Page.ClickAsync("#measure-save");
        await SavedAsync(map);
        var now = await ReadAsync(api, $"/api/measures/{created.Id}");
        Assert.Equal("Water network extension, phase 2", now.Body.GetProperty("title_en").GetString());
        Assert.Equal("JKP Naissus", now.Body.GetProperty("responsible_body").GetString());
    }

    [Fact]
    public async Task Switching_the_language_keeps_what_is_typed_in_an_open_form_and_the_details_follow_once_it_closes()
    {
        var place = (await SettlementsAsync("nis", 4))[3];
        await using var map = await SignedInAsync("nis", "nis", place.Id);

        // A measure's form: what is typed stays; saved, the details read in the new language.
        await map.Page.ClickAsync("#measure-add");
        var form = map.Page.Locator("#measure-form");
        await form.Locator("[name='priority_area']").SelectOptionAsync("health");
        await form.Locator("[name='title_latn']").FillAsync("Patronažne posete (jezik)");
        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await Assertions.Expect(form.Locator("[name='title_latn']")).ToHaveValueAsync("Patronažne posete (jezik)");
        await map.Page.ClickAsync("#measure-save");
        await Assertions.Expect(map.Page.Locator("#measure-form")).ToHaveCountAsync(0);
        await Assertions.Expect(map.Page.Locator("#details-measures h3")).ToHaveTextAsync("Мере");
        var saved = await MeasureAsync("Patronažne posete (jezik)");
        Assert.NotNull(saved);
        await Assertions.Expect(map.Page.Locator($"#details-measures .measure[data-measure='{saved.Id}'] .measure-title")).ToHaveTextAsync("Патронажне посете (језик)");

        // The settlement's own form: the same; cancelled, the details read in the language chosen meanwhile.
        await map.Page.ClickAsync("#edit-attributes");
        var households = map.Page.Locator("#edit-form [name='households']");
        await households.FillAsync("123");
        await map.Page.SelectOptionAsync("#language", "en");
        await Assertions.Expect(households).ToHaveValueAsync("123");
        await map.Page.ClickAsync("#edit-cancel");
        await Assertions.Expect(map.Page.Locator("#details-measures h3")).ToHaveTextAsync("Measures");
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task A_coordinator_elsewhere_gets_no_buttons_and_the_form_reads_in_Cyrillic()
    {
        var nis = (await SettlementsAsync("nis", 1))[0];
        using var api = await ClientAsync(browser.App, CoordinatorNis);
        var created = await MeasureOfAsync(api, nis.Code);
        await using var map = await SignedInAsync("kragujevac", "nis", nis.Id);
        await Assertions.Expect(map.Page.Locator($"#details-measures .measure[data-measure='{created.Id}']")).ToHaveCountAsync(1);
        Assert.Equal(0, await map.Page.Locator("#measure-add, #details-measures [data-measure-actions]").CountAsync());

        var own = (await SettlementsAsync("kragujevac", 1))[0];
        Assert.True(await PlanOfAsync(browser.App, "kragujevac") > 0); // the form, not "no plan yet"
        await OpenAsync(map, "kragujevac", own.Id);
        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await map.Page.ClickAsync("#measure-add");
        await map.Page.Locator("#measure-form").WaitForAsync();
        await Assertions.Expect(map.Page.Locator("#measure-form-title")).ToHaveTextAsync("Нова мера");
        await Assertions.Expect(map.Page.Locator("[data-field='title_latn'] .caption")).ToContainTextAsync("Назив (латиница)");
        await Assertions.Expect(map.Page.Locator("[data-field='settlement_codes'] legend")).ToHaveTextAsync("Насеља");
        await Assertions.Expect(map.Page.Locator("[name='priority_area'] option[value='housing']")).ToHaveTextAsync("становање");
        await Assertions.Expect(map.Page.Locator("#measure-save")).ToHaveTextAsync("Сачувај");
    }
}
