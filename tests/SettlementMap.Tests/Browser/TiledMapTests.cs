using Microsoft.Playwright;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Browser;

/// <summary>Above the tile threshold the map draws vector tiles with the same styling, counts and click-to-select.</summary>
public sealed class TiledMapTests(TiledBrowserFixture browser) : IClassFixture<TiledBrowserFixture>
{
    private static readonly string[] WaterColours = ["#2c7bb6", "#fdae61", "#d7191c", "#9e9e9e"];

    [Fact]
    public async Task Above_the_threshold_settlements_come_as_tiles_styled_by_theme_with_the_servers_count()
    {
        await using var db = browser.App.CreateContext();
        var nis = await db.Settlements.Where(s => s.Municipality!.Code == "nis").ToListAsync();
        await using var map = await browser.OpenAsync("#map=13/43.321/21.9");
        try
        {
            await map.Page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0");
        }
        catch (TimeoutException)
        {
            var state = await map.Page.EvaluateAsync<string>("() => JSON.stringify({ count: document.getElementById('count').textContent, grids: document.querySelectorAll('.settlement-tiles canvas').length, url: location.href, status: document.getElementById('status').textContent })");
            Assert.Fail($"no tile paths: {state}; console: {string.Join(" | ", map.ConsoleErrors)}");
        }
        Assert.Equal(0, await map.Page.Locator("path.settlement, path.settlement-point").CountAsync());
        Assert.Equal((await db.Settlements.CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture), await map.Page.GetAttributeAsync("#count", "data-shown"));

        // The fills follow the theme: water supply colours, then population colours.
        // The tiles draw on canvas: window.settlementMap.drawnTileFeatures lists what they drew, with its style.
        var waterFills = await map.Page.EvaluateAsync<string[]>("() => window.settlementMap.drawnTileFeatures().map(f => f.fill)");
        Assert.All(waterFills, f => Assert.Contains(f, WaterColours));
        await map.Page.SelectOptionAsync("#theme", "estimated_inhabitants");
        await map.Page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().some(f => ['#edf8fb', '#b3cde3', '#8c96c6', '#88419d'].includes(f.fill))");

        // Filters go to the tiles and the count comes from the server.
        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await map.IdleAsync();
        Assert.Equal(nis.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await map.Page.GetAttributeAsync("#count", "data-shown"));
        Assert.Equal(nis.Sum(s => s.EstimatedInhabitants ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), await map.Page.GetAttributeAsync("#count", "data-inhabitants"));

        // The legend counts come from the server too.
        var legend = await map.LegendAsync("settlements");
        foreach (var (key, from, to) in new[] { ("c0", 0, 100), ("c1", 100, 300), ("c2", 300, 1000), ("c3", 1000, int.MaxValue) })
        {
            Assert.Equal(nis.Count(s => s.EstimatedInhabitants is { } p && (key == "c0" ? p < to : p >= from && p < to)), legend[key].Count);
        }
        Assert.Equal(nis.Count(s => s.EstimatedInhabitants is null), legend["unknown"].Count);

        // Click-to-select works on the centroids of the zoomed-out municipality, and outlines the choice.
        await ClickFirstTileFeatureAsync(map);
        var selected = await SelectedIdAsync(map);
        Assert.Contains(selected, nis.Select(s => s.Id));
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync(nis.Single(s => s.Id == selected).NameLatn);
        // Outlined in every tile it is drawn in (an outline across a tile edge is drawn in both).
        Assert.Equal([selected], await map.Page.EvaluateAsync<int[]>("() => [...new Set(window.settlementMap.drawnTileFeatures().filter(f => f.stroke === '#000').map(f => f.id))]"));
        await Assertions.Expect(map.Page.Locator("#details-note")).ToBeHiddenAsync();
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task Choropleths_and_the_filtered_out_note_work_from_the_servers_figures()
    {
        await using var db = browser.App.CreateContext();
        var perMunicipality = await db.Settlements.GroupBy(s => s.Municipality!.Code).Select(g => g.Count()).ToListAsync();
        var municipalities = await db.Municipalities.CountAsync();
        await using var map = await browser.OpenAsync("#map=13/43.321/21.9&choropleth=settlement_count");
        await map.Page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0");

        // Breaks 1, 3, 6, 11 (themes.js): the same classes as counting the settlements gives.
        var legend = await map.LegendAsync("municipalities");
        Assert.Equal(municipalities - perMunicipality.Count, legend["empty"].Count);
        Assert.Equal(perMunicipality.Count(n => n < 3), legend["c0"].Count);
        Assert.Equal(perMunicipality.Count(n => n >= 11), legend["c3"].Count);

        // A selected settlement that a new filter leaves out says so.
        await ClickFirstTileFeatureAsync(map);
        var selected = await SelectedIdAsync(map);
        var water = await db.Settlements.Where(s => s.Id == selected).Select(s => s.WaterSupply).SingleAsync();
        var other = water == WaterSupply.None ? "network" : "none";
        await map.Page.EvaluateAsync("value => { location.hash = location.hash + '&water_supply=' + value; }", other);
        await map.IdleAsync();
        await Assertions.Expect(map.Page.Locator("#details-note")).ToBeVisibleAsync();
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task A_marker_across_a_tile_edge_is_the_same_settlement_in_both_tiles()
    {
        await using var map = await browser.OpenAsync("#map=9/43.9/20.9");
        await map.Page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0");
        await map.Page.WaitForFunctionAsync("() => !window.settlementMap.tilesLoading()");
        // Each tile keeps one settlement a cell; a marker near the edge (radius 4, plus its stroke) is
        // drawn by both tiles, and must be the same settlement at the same place.
        var result = await map.Page.EvaluateAsync<int[]>("""
            () => {
              const drawn = window.settlementMap.drawnTileFeatures();
              const tiles = new Map();
              for (const f of drawn) { if (!tiles.has(f.tile)) tiles.set(f.tile, []); tiles.get(f.tile).push(f); }
              let straddling = 0, matched = 0;
              for (const f of drawn) {
                const [x, y, z] = f.tile.split(':').map(Number);
                const [lx, ly] = f.local, size = f.size;
                const neighbours = [];
                if (lx >= 0 && lx < 6) neighbours.push([x - 1, y]);
                if (lx <= size && lx > size - 6) neighbours.push([x + 1, y]);
                if (ly >= 0 && ly < 6) neighbours.push([x, y - 1]);
                if (ly <= size && ly > size - 6) neighbours.push([x, y + 1]);
                for (const [nx, ny] of neighbours) {
                  const other = tiles.get(nx + ':' + ny + ':' + z);
                  if (!other) continue;
                  straddling += 1;
                  if (other.some(o => o.id === f.id && Math.abs(o.x - f.x) < 0.5 && Math.abs(o.y - f.y) < 0.5)) matched += 1;
                }
              }
              return [straddling, matched];
            }
            """);
        Assert.True(result[0] > 0, "some markers straddle a tile edge in this view");
        Assert.Equal(result[0], result[1]);
    }

    [Fact]
    public async Task A_tile_the_server_fails_to_send_is_reported_in_the_status_line()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB", ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        // The tile worker's requests go through the context's routes.
        await context.RouteAsync("**/tiles/settlements/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 500, ContentType = "application/problem+json", Body = """{"title":"An unexpected error occurred."}""",
        }));
        await using var map = await browser.OpenAsync("#map=13/43.321/21.9", context: context);
        await Assertions.Expect(map.Page.Locator("#status")).ToContainTextAsync("HTTP 500 for /tiles/settlements/");
        await Assertions.Expect(map.Page.Locator("#status")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("error"));
        Assert.Equal(0, await map.Page.EvaluateAsync<int>("() => window.settlementMap.drawnTileFeatures().length"));
    }

    private static async Task ClickFirstTileFeatureAsync(MapPage map)
    {
        // A drawn settlement clear of the panels, clicked at a point inside it (waited for: after a filter
        // change the new tile layer may not have drawn yet).
        var found = await map.Page.WaitForFunctionAsync("""
            () => {
              const m = document.getElementById('map').getBoundingClientRect();
              const f = window.settlementMap.drawnTileFeatures()
                .find(f => f.inside && f.x > m.left + 60 && f.x < m.right - 400 && f.y > m.top + 60 && f.y < m.bottom - 300);
              return f && [f.x, f.y];
            }
            """);
        var box = await found.JsonValueAsync<float[]>();
        // The canvases take no pointer events: the layer finds the settlement under the pointer itself (and shows a pointer).
        await map.Page.Mouse.MoveAsync(box[0], box[1]);
        await map.Page.WaitForFunctionAsync("() => document.getElementById('map').classList.contains('settlement-hover')");
        await map.Page.Mouse.ClickAsync(box[0], box[1]);
        await map.Page.WaitForFunctionAsync("() => /selected=\\d+/.test(location.hash) && document.getElementById('details-title').textContent !== ''");
    }

    [Fact]
    public async Task Drawing_a_new_outline_over_a_settlement_keeps_the_new_settlements_form()
    {
        // Each vertex is a click: one on a settlement drawn in a tile must not select it, whose
        // details would then replace the form of the settlement being drawn.
        await using var watched = await WatchedPage.OpenAsync(browser.Browser, new Uri(browser.BaseAddress, "/#map=13/43.321/21.9"));
        var page = watched.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await watched.SignInAsync(Web.Data.Demo.DemoAccounts.AdministratorName, Web.Data.Demo.DemoAccounts.AdministratorPassword);
        var start = await (await page.WaitForFunctionAsync("""
            () => {
              const m = document.getElementById('map').getBoundingClientRect();
              const f = window.settlementMap.drawnTileFeatures().find((f) => f.inside && f.x > m.left + 60 && f.x < m.right - 500 && f.y > m.top + 60 && f.y < m.bottom - 200);
              return f && [f.x, f.y];
            }
            """)).JsonValueAsync<float[]>();
        await page.ClickAsync("#draw-settlement");
        foreach (var (dx, dy) in new[] { (0, 0), (60, 0), (60, 50), (0, 50), (0, 0) })
        {
            await page.Mouse.ClickAsync(start[0] + dx, start[1] + dy);
        }
        await page.Locator("#new-form").WaitForAsync();
        await page.WaitForTimeoutAsync(1500); // a selection's details would have arrived by now
        Assert.Equal(1, await page.Locator("#new-form").CountAsync());
        Assert.DoesNotContain("selected=", await page.EvaluateAsync<string>("() => location.hash"), StringComparison.Ordinal);
    }

    private static async Task<int> SelectedIdAsync(MapPage map) =>
        int.Parse(await map.Page.EvaluateAsync<string>("() => location.hash.match(/selected=(\\d+)/)[1]"), System.Globalization.CultureInfo.InvariantCulture);
}
