using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Browser;

/// <summary>The planners' map in headless Chromium: theme, search, filters, languages, permalink, small screens.</summary>
public sealed class PlannerMapTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(browser.App);

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Nisava = "RS.SE.20";

    [Fact]
    public async Task Switching_the_theme_recolours_the_settlements_and_recounts_the_legend()
    {
        await using var map = await browser.OpenAsync();
        await using var db = browser.App.CreateContext();
        var byWater = await db.Settlements.GroupBy(s => s.WaterSupply).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();

        var water = await map.LegendAsync("settlements");
        Assert.Equal(["network", "wells", "none", "unknown"], water.Keys);
        foreach (var group in byWater)
        {
            Assert.Equal(group.Count, water[EnumText.ToText(group.Key)].Count);
        }
        AssertMapMatchesLegend(water, await map.MarkerFillsAsync());

        await map.Page.SelectOptionAsync("#theme", "estimated_inhabitants");
        var population = await map.LegendAsync("settlements");
        Assert.Equal(["c0", "c1", "c2", "c3", "unknown"], population.Keys);
        var inhabitants = await db.Settlements.Select(s => s.EstimatedInhabitants).ToListAsync();
        Assert.Equal(inhabitants.Count(i => i is < 100), population["c0"].Count);
        Assert.Equal(inhabitants.Count(i => i is >= 100 and < 300), population["c1"].Count);
        Assert.Equal(inhabitants.Count(i => i is >= 300 and < 1000), population["c2"].Count);
        Assert.Equal(inhabitants.Count(i => i >= 1000), population["c3"].Count);
        Assert.Equal(inhabitants.Count(i => i is null), population["unknown"].Count);
        var fills = await map.MarkerFillsAsync();
        AssertMapMatchesLegend(population, fills);
        Assert.NotEqual(water.Values.Select(v => v.Colour).Order(), fills.Keys.Order());
        Assert.Contains("theme=estimated_inhabitants", map.Page.Url, StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    private static void AssertMapMatchesLegend(Dictionary<string, (string Colour, int Count)> legend, Dictionary<string, int> fills)
    {
        var expected = legend.Values.Where(v => v.Count > 0).ToDictionary(v => v.Colour, v => v.Count);
        Assert.Equal(expected.OrderBy(e => e.Key), fills.OrderBy(f => f.Key));
    }

    [Theory]
    [InlineData("Крагујевац")]
    [InlineData("kragujevac")]
    [InlineData("KRAGUJEVAC")]
    public async Task Search_in_either_script_finds_Kragujevac_and_the_keyboard_choice_zooms_to_it(string query)
    {
        await using var map = await browser.OpenAsync();
        var zoomBefore = await map.Page.EvaluateAsync<double>("() => window.settlementMap.view.map.zoom");
        await map.Page.FocusAsync("#search-input");
        await map.Page.Keyboard.TypeAsync(query);
        var first = map.Page.Locator("#search-results li[data-id]").First;
        // Typing searches as it goes: wait for the answer to the whole name, not to its first letters.
        await Assertions.Expect(first.Locator(".name")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Kragujevac"));
        Assert.Equal("municipality", await first.GetAttributeAsync("data-kind"));

        await map.Page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("true", await first.GetAttributeAsync("aria-selected"));
        await map.Page.Keyboard.PressAsync("Enter");
        await map.Page.Locator("#search-results").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });

        await using var db = browser.App.CreateContext();
        var kragujevac = await db.Municipalities.SingleAsync(m => m.Code == "kragujevac");
        var view = await map.Page.EvaluateAsync<double[]>("() => { const v = window.settlementMap.view.map; return [v.zoom, v.lat, v.lon]; }");
        Assert.True(view[0] > zoomBefore + 1, $"zoomed in from {zoomBefore} to {view[0]}");
        var box = kragujevac.Geom.EnvelopeInternal;
        Assert.InRange(view[2], box.MinX, box.MaxX);
        Assert.InRange(view[1], box.MinY, box.MaxY);
    }

    [Fact]
    public async Task Cukarica_without_diacritics_finds_Cukarica_and_choosing_a_settlement_opens_its_details()
    {
        await using var map = await browser.OpenAsync();
        await map.Page.FillAsync("#search-input", "Cukarica");
        var municipality = map.Page.Locator("#search-results li[data-kind=municipality]").First;
        await municipality.WaitForAsync();
        Assert.Equal("Čukarica", await municipality.Locator(".name").TextContentAsync());

        await using var db = browser.App.CreateContext();
        var settlement = await db.Settlements.OrderBy(s => s.Id).FirstAsync();
        await map.Page.FillAsync("#search-input", settlement.NameCyrl);
        var result = map.Page.Locator($"#search-results li[data-id='{settlement.Id}']");
        await result.ClickAsync();
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        Assert.Equal(settlement.NameLatn, await map.Page.TextContentAsync("#details-title"));
        Assert.Equal(settlement.Code, await map.Page.TextContentAsync("#details-body [data-field=code]"));
        Assert.Contains($"selected={settlement.Id}", map.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_combine_and_the_count_legend_list_and_markers_agree_with_the_database()
    {
        await using var map = await browser.OpenAsync();
        await using var db = browser.App.CreateContext();
        var total = await db.Settlements.CountAsync();
        Assert.Equal(total, await map.ShownCountAsync());

        // "Which settlements in the Nišava district lack a water network, and how many people live there?"
        await map.Page.SelectOptionAsync("#filter-district", Nisava);
        await map.IdleAsync();
        await map.Page.CheckAsync("#filter-water_supply-wells");
        await map.IdleAsync();
        await map.Page.CheckAsync("#filter-water_supply-none");
        await map.IdleAsync();

        var expected = await db.Settlements
            .Where(s => s.Municipality!.District!.Code == Nisava && (s.WaterSupply == WaterSupply.Wells || s.WaterSupply == WaterSupply.None))
            .Select(s => new { s.Id, s.EstimatedInhabitants }).ToListAsync();
        Assert.InRange(expected.Count, 1, total - 1);
        Assert.Equal(expected.Count, await map.ShownCountAsync());
        var people = expected.Sum(s => s.EstimatedInhabitants ?? 0);
        Assert.Equal(people.ToString(CultureInfo.InvariantCulture), await map.Page.GetAttributeAsync("#count", "data-inhabitants"));
        Assert.Equal(
            $"{expected.Count} of {total} settlements shown · {people.ToString("N0", CultureInfo.GetCultureInfo("en-GB"))} estimated inhabitants",
            await map.Page.TextContentAsync("#count"));
        Assert.Equal(expected.Count, (await map.LegendAsync("settlements")).Values.Sum(v => v.Count));
        Assert.Equal(expected.Count, await map.Page.Locator("path.settlement-point").CountAsync());
        var listed = await map.Page.EvaluateAsync<long[]>("() => [...document.querySelectorAll('#results button[data-id]')].map(b => Number(b.dataset.id))");
        Assert.Equal(expected.Select(s => s.Id).Order(), listed.Order());
        Assert.Contains("district=RS.SE.20", map.Page.Url, StringComparison.Ordinal);
        Assert.Contains("water_supply=wells,none", map.Page.Url, StringComparison.Ordinal);

        // A risk flag narrows further; clearing brings everything back.
        await map.Page.SelectOptionAsync("#filter-flood_zone", "yes");
        await map.IdleAsync();
        Assert.Equal(
            await db.Settlements.CountAsync(s => s.Municipality!.District!.Code == Nisava && (s.WaterSupply == WaterSupply.Wells || s.WaterSupply == WaterSupply.None) && s.FloodZone == YesNo.Yes),
            await map.ShownCountAsync());
        await map.Page.ClickAsync("#filter-reset");
        await map.IdleAsync();
        Assert.Equal(total, await map.ShownCountAsync());
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task A_population_range_filters_and_an_inverted_range_is_refused_next_to_the_field()
    {
        await using var map = await browser.OpenAsync();
        await map.Page.FillAsync("#filter-min_inhabitants", "500");
        await map.Page.DispatchEventAsync("#filter-min_inhabitants", "change");
        await map.IdleAsync();
        await using var db = browser.App.CreateContext();
        Assert.Equal(await db.Settlements.CountAsync(s => s.EstimatedInhabitants >= 500), await map.ShownCountAsync());

        await map.Page.FillAsync("#filter-max_inhabitants", "100");
        await map.Page.DispatchEventAsync("#filter-max_inhabitants", "change");
        Assert.Equal("true", await map.Page.GetAttributeAsync("#filter-max_inhabitants", "aria-invalid"));
        Assert.Contains("greater than", await map.Page.TextContentAsync("#filter-range-error"), StringComparison.Ordinal);
        Assert.Equal(await db.Settlements.CountAsync(s => s.EstimatedInhabitants >= 500), await map.ShownCountAsync());
    }

    [Fact]
    public async Task The_language_switch_translates_labels_and_values_and_is_remembered()
    {
        await using var map = await browser.OpenAsync();
        Assert.Equal("en", await map.Page.EvaluateAsync<string>("() => document.documentElement.lang"));
        Assert.Empty(await map.Page.EvaluateAsync<string[]>("() => window.settlementMap.missingLabels()"));

        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        Assert.Equal("sr-Cyrl", await map.Page.EvaluateAsync<string>("() => document.documentElement.lang"));
        Assert.Equal("Слојеви", await map.Page.TextContentAsync("details summary >> nth=0"));
        Assert.Equal("водовод", await map.Page.TextContentAsync(".legend [data-class=network] .label"));
        Assert.Equal("Снабдевање водом", await map.Page.TextContentAsync(".legend h2"));
        Assert.StartsWith("Демо подаци", await map.Page.TextContentAsync("#data-notice"), StringComparison.Ordinal);
        Assert.Matches("^Приказано [0-9.]+ од [0-9.]+ насеља", await map.Page.TextContentAsync("#count"));

        await map.Page.ReloadAsync();
        await map.ReadyAsync();
        Assert.Equal("sr-Cyrl", await map.Page.EvaluateAsync<string>("() => window.settlementMap.lang"));
        Assert.Equal("Претрага: насеље или општина", await map.Page.GetAttributeAsync("#search-input", "placeholder"));

        await map.Page.SelectOptionAsync("#language", "sr-Latn");
        Assert.Equal("Slojevi", await map.Page.TextContentAsync("details summary >> nth=0"));
        Assert.Equal("bunari", await map.Page.TextContentAsync(".legend [data-class=wells] .label"));
    }

    [Fact]
    public async Task A_permalink_restores_position_theme_filters_layers_and_selection_in_a_new_browser()
    {
        await using var map = await browser.OpenAsync();
        await map.Page.SelectOptionAsync("#theme", "distance_to_health_centre_m");
        await map.Page.SelectOptionAsync("#choropleth", "share_without_water");
        await map.Page.SelectOptionAsync("#filter-district", Nisava);
        await map.IdleAsync();
        await map.Page.CheckAsync("#filter-sewerage-none");
        await map.IdleAsync();
        await map.Page.UncheckAsync("#layer-municipalities");
        var firstResult = map.Page.Locator("#results button[data-id]").First;
        var id = await firstResult.GetAttributeAsync("data-id");
        await firstResult.ClickAsync();
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        var url = map.Page.Url;
        var original = await ViewAsync(map.Page);
        var title = await map.Page.TextContentAsync("#details-title");
        var shown = await map.ShownCountAsync();

        await using var restored = await browser.OpenAsync(new Uri(url).Fragment);
        await restored.IdleAsync();
        await restored.Page.Locator("#details-body dl").First.WaitForAsync();
        var again = await ViewAsync(restored.Page);
        Assert.Equal(original, again);
        Assert.Contains($"selected={id}", url, StringComparison.Ordinal);
        Assert.Equal(title, await restored.Page.TextContentAsync("#details-title"));
        Assert.Equal(shown, await restored.ShownCountAsync());
        Assert.Equal("distance_to_health_centre_m", await restored.Page.InputValueAsync("#theme"));
        Assert.Equal(Nisava, await restored.Page.InputValueAsync("#filter-district"));
        Assert.True(await restored.Page.IsCheckedAsync("#filter-sewerage-none"));
        Assert.False(await restored.Page.IsCheckedAsync("#layer-municipalities"));
        Assert.Equal(0, await restored.Page.Locator("path.municipality").CountAsync());
        Assert.Empty(restored.ConsoleErrors);
    }

    private static Task<string> ViewAsync(IPage page) =>
        page.EvaluateAsync<string>("() => { const v = window.settlementMap.view; v.map = [v.map.zoom, v.map.lat.toFixed(4), v.map.lon.toFixed(4)]; return JSON.stringify(v); }");

    [Fact]
    public async Task A_bad_permalink_falls_back_to_defaults_without_an_error()
    {
        await using var map = await browser.OpenAsync("#theme=nonsense&water_supply=lake&municipality=%3Cimg%20src%3Dx%3E&map=99/0/0");
        await map.IdleAsync();
        await using var db = browser.App.CreateContext();
        Assert.Equal(await db.Settlements.CountAsync(), await map.ShownCountAsync());
        Assert.Equal("water_supply", await map.Page.InputValueAsync("#theme"));
        Assert.Equal("", await map.Page.TextContentAsync("#status"));
        Assert.Equal(0, await map.Page.Locator("#filters img, #status img").CountAsync());
    }

    [Fact]
    public async Task On_a_phone_sized_screen_nothing_overflows_and_the_panel_opens_from_a_button()
    {
        await using var map = await browser.OpenAsync(width: 360, height: 740);
        Assert.True(await map.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), "no horizontal scrolling at 360 px");
        var panel = map.Page.Locator("#panel");
        Assert.True((await panel.BoundingBoxAsync())!.X < 0, "the panel starts off screen");

        // Keyboard only: Tab reaches the panel button first, Enter opens the panel.
        await map.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("panel-toggle", await map.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        await map.Page.Keyboard.PressAsync("Enter");
        await map.Page.WaitForFunctionAsync("() => document.getElementById('panel').getBoundingClientRect().x >= 0");
        Assert.Equal("true", await map.Page.GetAttributeAsync("#panel-toggle", "aria-expanded"));
        await map.Page.ClickAsync("#results button[data-id] >> nth=0");
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        // Choosing from the list closes the panel so the map and the details are visible.
        Assert.Equal("false", await map.Page.GetAttributeAsync("#panel-toggle", "aria-expanded"));
        await map.Page.WaitForFunctionAsync("() => document.getElementById('panel').getBoundingClientRect().right <= 0");
        var sheet = (await map.Page.Locator("#details").BoundingBoxAsync())!;
        Assert.True(sheet.Width <= 360 && sheet.Y > 200, $"details are a bottom sheet ({sheet.Width}×{sheet.Height} at y {sheet.Y})");

        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, "map-phone.png") });
        Assert.Empty(map.ConsoleErrors);
    }
}
