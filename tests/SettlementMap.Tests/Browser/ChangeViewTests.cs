using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.History;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// "Compare two dates" in headless Chromium over the history <see cref="ChangeStory"/> writes: the comparison opened
/// from the form and from a permalink, its classes on the map and in the legend with the server's counts, the
/// sortable list whose rows zoom, the CSV link, and the before/after swipe.
/// </summary>
public sealed class ChangeViewTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private sealed record Shown(Dictionary<string, int> Counts, bool Swipe, Dictionary<string, int> Drawn);

    private static async Task<Shown?> ShownAsync(MapPage map)
    {
        // As JSON text: Playwright hands numbers of a JsonElement over as strings.
        using var document = JsonDocument.Parse(await map.Page.EvaluateAsync<string>("() => JSON.stringify(window.settlementMap.changeShown())"));
        var json = document.RootElement;
        if (json.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return new Shown(
            json.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
            json.GetProperty("swipe").GetBoolean(),
            json.GetProperty("drawn").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
    }

    [Fact]
    public async Task The_form_compares_two_dates_and_the_map_list_and_legend_show_each_class()
    {
        var story = await ChangeStory.SetUpAsync(browser.App);
        await using var db = browser.App.CreateContext();
        var inNis = await db.Settlements.CountAsync(s => s.Municipality!.Code == "nis");
        await using var map = await browser.OpenAsync("#municipality=nis");
        await map.IdleAsync();
        await map.Page.Locator("#change-section summary").ClickAsync();
        await map.Page.FillAsync("#change-from", story.A);
        await map.Page.FillAsync("#change-to", story.B);
        await map.Page.SelectOptionAsync("#change-attribute", "water_supply");
        await map.Page.ClickAsync("#change-show");
        await Assertions.Expect(map.Page.Locator("#change-result")).ToBeVisibleAsync();
        Assert.Contains($"compare={story.A},{story.B},water_supply", map.Page.Url, StringComparison.Ordinal);

        var shown = (await ShownAsync(map))!;
        // Niš now, plus the one gone since A (the restored one is counted once).
        Assert.Equal(inNis + 1, shown.Counts.Values.Sum());
        Assert.Equal(1, shown.Counts["improved"]);
        Assert.Equal(1, shown.Counts["worsened"]);
        Assert.Equal(1, shown.Counts["changed"]);
        Assert.Equal(1, shown.Counts["new"]);
        Assert.Equal(1, shown.Counts["gone"]);
        Assert.Equal(inNis + 1, shown.Drawn["change"]);
        // Drawn by class (an outline of its own per class), the ordinary settlements hidden behind it.
        Assert.Equal(1, await map.Page.Locator("path.change-improved").CountAsync());
        Assert.Equal(1, await map.Page.Locator("path.change-gone").CountAsync());
        Assert.Equal("8 4 2 4", await map.Page.Locator("path.change-gone").GetAttributeAsync("stroke-dasharray"));
        await Assertions.Expect(map.Page.Locator("#change-map-legend li[data-class='worsened'] .count")).ToHaveTextAsync("1");
        await Assertions.Expect(map.Page.Locator("#change-legend li[data-class='new'] .count")).ToHaveTextAsync("1");
        Assert.False(await map.Page.Locator("path.settlement, path.settlement-point").First.IsVisibleAsync());

        // The list: one row per settlement that did not stay the same, by class first; sorting by name reorders it, and a row zooms.
        var rows = map.Page.Locator("#change-rows tr");
        Assert.Equal(inNis + 1 - shown.Counts["unchanged"], await rows.CountAsync());
        Assert.Equal(0, await map.Page.Locator("#change-rows tr[data-class='unchanged']").CountAsync());
        Assert.Equal("improved", await rows.First.GetAttributeAsync("data-class"));
        await Assertions.Expect(rows.First).ToContainTextAsync("→");
        await map.Page.ClickAsync("#change-table th[data-column='name'] button");
        Assert.Equal("ascending", await map.Page.GetAttributeAsync("#change-table th[data-column='name']", "aria-sort"));
        var zoomBefore = await map.Page.EvaluateAsync<double>("() => window.settlementMap.view.map ? window.settlementMap.view.map.zoom : 0");
        await map.Page.ClickAsync($"#change-rows tr[data-id='{story.Worsened}'] button");
        await map.Page.WaitForFunctionAsync("z => window.settlementMap.view.map && window.settlementMap.view.map.zoom > z", zoomBefore);

        var csv = await map.Page.GetAttributeAsync("#change-csv", "href");
        Assert.Contains("format=csv", csv, StringComparison.Ordinal);
        Assert.Contains("municipality=nis", csv, StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task A_permalink_opens_the_comparison_and_the_swipe_shows_A_left_and_B_right()
    {
        var story = await ChangeStory.SetUpAsync(browser.App);
        await using var map = await browser.OpenAsync($"#municipality=nis&compare={story.A},{story.B},water_supply");
        await map.IdleAsync();
        await map.Page.WaitForFunctionAsync("() => window.settlementMap.changeShown() !== null");
        var shown = (await ShownAsync(map))!;
        var total = shown.Counts.Values.Sum();

        await map.Page.CheckAsync("#change-swipe");
        shown = (await ShownAsync(map))!;
        Assert.True(shown.Swipe);
        Assert.Equal(0, shown.Drawn["change"]);
        // At A every settlement but the new one; at B every one but the gone one.
        Assert.Equal(total - 1, shown.Drawn["change-before"]);
        Assert.Equal(total - 1, shown.Drawn["change-after"]);
        await Assertions.Expect(map.Page.Locator("#change-swipe-before")).ToHaveTextAsync("A: " + story.A);
        // The fill is now the value: the legend says which colour is which of water_supply's four values.
        Assert.Equal(4, await map.Page.Locator("#change-map-legend [data-legend='change-values'] li").CountAsync());
        var range = map.Page.Locator("#change-swipe-range");
        Assert.False(string.IsNullOrEmpty(await range.GetAttributeAsync("aria-label")));
        var clipAt = () => map.Page.EvaluateAsync<string>("() => document.querySelector('.leaflet-change-before-pane').style.clip");
        var half = await clipAt();
        Assert.StartsWith("rect(", half, StringComparison.Ordinal);
        await range.FillAsync("20");
        var fifth = await clipAt();
        Assert.NotEqual(half, fifth);
        // Closing puts the ordinary map back.
        await map.Page.ClickAsync("#change-close");
        Assert.Null(await ShownAsync(map));
        Assert.DoesNotContain("compare=", map.Page.Url, StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task Dates_in_the_wrong_order_are_refused_in_the_page_s_language()
    {
        await using var map = await browser.OpenAsync("#");
        await map.IdleAsync();
        await map.Page.Locator("#change-section summary").ClickAsync();
        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await map.Page.FillAsync("#change-from", "2024-01-01");
        await map.Page.FillAsync("#change-to", "2019-01-01");
        await map.Page.ClickAsync("#change-show");
        await Assertions.Expect(map.Page.Locator("#change-problem")).ToHaveTextAsync("Датум А не сме бити после датума Б.");
        Assert.Equal("true", await map.Page.GetAttributeAsync("#change-from", "aria-invalid"));
        Assert.Null(await ShownAsync(map));
    }
}
