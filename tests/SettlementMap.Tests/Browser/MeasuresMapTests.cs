using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// Measures on the map (issue 26, item 3): the filter "lacking … with no measure planned" in the panel and the permalink,
/// the measures layer by status and priority area with its legend and a click to the settlement's details, and the
/// municipality choropleth of measure coverage.
/// </summary>
public sealed class MeasuresMapTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>The measure coverage classes' lower bounds, in percent (themes.js).</summary>
    private static readonly int[] ShareBreaks = [0, 1, 26, 51, 76];

    private async Task<JsonElement> ApiAsync(string url)
    {
        using var client = browser.App.Factory.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative))).RootElement.Clone();
    }

    [Fact]
    public async Task Lacking_water_with_nothing_planned_narrows_the_count_and_the_list_and_the_permalink_restores_it()
    {
        var all = (await ApiAsync("/api/layers/settlements/summary")).GetProperty("matched").GetInt32();
        var expected = (await ApiAsync("/api/layers/settlements/summary?unplanned=water_supply:network")).GetProperty("matched").GetInt32();
        Assert.InRange(expected, 1, all - 1);
        await using var map = await browser.OpenAsync();
        await map.IdleAsync();
        Assert.Equal(all, await map.ShownCountAsync());

        await map.Page.SelectOptionAsync("#filter-unplanned-attribute", "water_supply");
        await map.IdleAsync();
        await Assertions.Expect(map.Page.Locator("#filter-unplanned-target")).ToHaveValueAsync("network");
        Assert.Equal(expected, await map.ShownCountAsync());
        var listed = map.Page.Locator("#results button[data-id]");
        var ids = (await listed.EvaluateAllAsync<long[]>("buttons => buttons.map(b => Number(b.dataset.id))")).ToHashSet();
        Assert.InRange(ids.Count, 1, expected);
        // Every settlement listed lacks the network and no live water measure names it.
        await using (var db = browser.App.CreateContext())
        {
            var wrong = await db.Settlements.Where(s => ids.Contains(s.Id) && (s.WaterSupply == Web.Data.WaterSupply.Network || s.WaterSupply == Web.Data.WaterSupply.Unknown
                || db.Measures.Any(m => m.TargetAttribute == "water_supply" && m.Status != Web.Data.MeasureStatus.Dropped && m.Settlements.Any(x => x.Id == s.Id))))
                .Select(s => s.Code).ToListAsync();
            Assert.Empty(wrong);
        }
        Assert.Contains("unplanned=water_supply:network", map.Page.Url, StringComparison.Ordinal);

        await using var linked = await browser.OpenAsync(new Uri(map.Page.Url).Fragment);
        await linked.IdleAsync();
        Assert.Equal(expected, await linked.ShownCountAsync());
        await Assertions.Expect(linked.Page.Locator("#filter-unplanned-attribute")).ToHaveValueAsync("water_supply");
        await Assertions.Expect(linked.Page.Locator("#filter-unplanned-target")).ToHaveValueAsync("network");

        await linked.Page.SelectOptionAsync("#filter-unplanned-attribute", "");
        await linked.IdleAsync();
        Assert.Equal(all, await linked.ShownCountAsync());
        Assert.DoesNotContain("unplanned=", linked.Page.Url, StringComparison.Ordinal);

        // The Cyrillic attribute names are longer: the control stays inside the panel (a fieldset grows with its widest option).
        await linked.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await Assertions.Expect(linked.Page.Locator("fieldset.unplanned legend")).ToHaveTextAsync("Недостаје … а мера није планирана");
        var overflow = await linked.Page.EvaluateAsync<double>(
            "() => document.querySelector('#filter-unplanned-attribute').getBoundingClientRect().right - document.querySelector('fieldset.unplanned').parentElement.getBoundingClientRect().right");
        Assert.True(overflow <= 0.5, $"the unplanned control overflows the panel by {overflow} px");
    }

    [Fact]
    public async Task The_measures_layer_draws_every_point_coloured_by_status_or_area_with_its_legend_and_opens_a_settlement()
    {
        var layer = (await ApiAsync("/api/measures/layer?municipality=nis")).GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        Assert.NotEmpty(layer);
        var byStatus = layer.GroupBy(p => p.GetProperty("status").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        var lists = (await ApiAsync("/api/measures/lists")).GetProperty("lists");
        await using var map = await browser.OpenAsync("#municipality=nis");
        await map.IdleAsync();

        await map.Page.CheckAsync("#layer-measures");
        var points = map.Page.Locator("path.measure-point");
        await Assertions.Expect(points).ToHaveCountAsync(layer.Count);
        await Assertions.Expect(map.Page.Locator(".legend [data-legend='measures'] li")).ToHaveCountAsync(lists.GetProperty("measure_status").GetArrayLength());
        var legend = await map.LegendAsync("measures");
        foreach (var status in lists.GetProperty("measure_status").EnumerateArray())
        {
            var value = status.GetProperty("value").GetString()!;
            Assert.Equal(byStatus.GetValueOrDefault(value), legend[value].Count);
            await Assertions.Expect(map.Page.Locator($".legend [data-legend='measures'] li[data-class='{value}'] .label")).ToHaveTextAsync(status.GetProperty("label").GetProperty("en").GetString()!);
        }
        var fills = await points.EvaluateAllAsync<string[]>("paths => paths.map(p => p.getAttribute('fill'))");
        Assert.Equal(byStatus.Select(s => (legend[s.Key].Colour, s.Value)).OrderBy(p => p.Colour), fills.GroupBy(f => f).Select(g => (g.Key, g.Count())).OrderBy(p => p.Key));
        Assert.Contains("measures=status", map.Page.Url, StringComparison.Ordinal);

        await map.Page.SelectOptionAsync("#measures-colouring", "priority_area");
        await Assertions.Expect(map.Page.Locator(".legend [data-legend='measures'] li")).ToHaveCountAsync(lists.GetProperty("priority_area").GetArrayLength());
        var areas = await map.LegendAsync("measures");
        Assert.Equal(layer.Count(p => p.GetProperty("priority_area").GetString() == "housing"), areas["housing"].Count);
        Assert.Contains("measures=priority_area", map.Page.Url, StringComparison.Ordinal);

        // A click on a measure's point opens its settlement's details.
        var onSettlement = map.Page.Locator("path.measure-point:not(.measure-on-municipality)").First;
        await onSettlement.DispatchEventAsync("click");
        await Assertions.Expect(map.Page.Locator("#details")).ToBeVisibleAsync();
        var selected = await map.Page.EvaluateAsync<long?>("() => window.settlementMap.view.selected");
        Assert.Contains(selected, layer.Where(p => p.GetProperty("settlement_id").ValueKind == JsonValueKind.Number).Select(p => (long?)p.GetProperty("settlement_id").GetInt64()));

        await map.Page.UncheckAsync("#layer-measures");
        await Assertions.Expect(points).ToHaveCountAsync(0);
        Assert.DoesNotContain("measures=", map.Page.Url, StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task The_measure_coverage_choropleth_colours_nis_by_the_share_of_its_settlements_a_measure_names()
    {
        var nis = (await ApiAsync("/api/measures/coverage")).GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "nis");
        var settlements = nis.GetProperty("settlements").GetInt32();
        var named = nis.GetProperty("settlements_with_measure").GetInt32();
        var share = (int)Math.Round(100.0 * named / settlements, MidpointRounding.AwayFromZero);
        var expectedClass = "c" + (ShareBreaks.Count(b => share >= b) - 1).ToString(CultureInfo.InvariantCulture);
        await using var db = browser.App.CreateContext();
        var seat = await db.Municipalities.Where(m => m.Code == "nis").Select(m => m.Seat).SingleAsync();
        var hash = FormattableString.Invariant($"#map=10/{seat!.Y:0.#####}/{seat.X:0.#####}&hide=settlements&choropleth=measure_coverage");
        await using var map = await browser.OpenAsync(hash);
        await map.IdleAsync();
        await Assertions.Expect(map.Page.Locator("#choropleth")).ToHaveValueAsync("measure_coverage");
        await map.Page.WaitForFunctionAsync("() => [...document.querySelectorAll(\".legend [data-legend='municipalities'] li\")].some(li => li.dataset.class !== 'empty' && li.querySelector('.count').textContent !== '0')");
        var legend = await map.LegendAsync("municipalities");
        Assert.True(legend[expectedClass].Count >= 1);

        // The municipality at the map's centre is Niš: its fill is its class's colour, its tooltip says its figures.
        var box = (await map.Page.Locator("#map").BoundingBoxAsync())!;
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        var fill = await map.Page.EvaluateAsync<string>("(p) => document.elementFromPoint(p.x, p.y).getAttribute('fill')", new { x = (double)x, y = (double)y });
        Assert.Equal(legend[expectedClass].Colour, fill);
        await map.Page.Mouse.MoveAsync(x, y);
        var tooltip = map.Page.Locator(".leaflet-tooltip");
        await Assertions.Expect(tooltip).ToContainTextAsync("Niš — Share of settlements with a measure: " + share.ToString(CultureInfo.InvariantCulture) + " %");
        await Assertions.Expect(tooltip).ToContainTextAsync($"({named} of {settlements})");
        Assert.Empty(map.ConsoleErrors);
    }
}

/// <summary>The same filter at scale: the summary counts it and the vector tiles draw only the settlements it keeps.</summary>
public sealed class MeasuresMapTiledTests(TiledBrowserFixture browser) : IClassFixture<TiledBrowserFixture>
{
    [Fact]
    public async Task Lacking_water_with_nothing_planned_reaches_the_tiles_and_the_count()
    {
        using var client = browser.App.Factory.CreateClient();
        var expected = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/settlements/summary?unplanned=water_supply:network", UriKind.Relative)))
            .RootElement.GetProperty("matched").GetInt32();
        await using var map = await browser.OpenAsync("#map=8/44.0/20.9"); // most of Serbia
        await map.Page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0");
        await map.Page.SelectOptionAsync("#filter-unplanned-attribute", "water_supply");
        await map.IdleAsync();
        Assert.Equal(expected, await map.ShownCountAsync());
        await map.Page.WaitForFunctionAsync("() => !window.settlementMap.tilesLoading()");
        await map.Page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0");
        var drawn = (await map.Page.EvaluateAsync<long[]>("() => window.settlementMap.drawnTileFeatures().map(f => f.id)")).ToHashSet();
        await using var db = browser.App.CreateContext();
        var wrong = await db.Settlements.Where(s => drawn.Contains(s.Id) && (s.WaterSupply == Web.Data.WaterSupply.Network || s.WaterSupply == Web.Data.WaterSupply.Unknown
                || db.Measures.Any(m => m.TargetAttribute == "water_supply" && m.Status != Web.Data.MeasureStatus.Dropped && m.Settlements.Any(x => x.Id == s.Id))))
            .Select(s => s.Code).ToListAsync();
        Assert.Empty(wrong);
        Assert.Empty(map.ConsoleErrors);
    }
}
