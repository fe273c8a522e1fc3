using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// Finding one's way on the map (issue 22, orientation): municipality names at city zoom, the way
/// back to all of Serbia, the chosen place outlined, a list that follows the view when asked, and the
/// map's controls in the page's language.
/// </summary>
public sealed class OrientationTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>The list is compared with the database's outlines: every settlement public, none generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(browser.App);

    public Task DisposeAsync() => Task.CompletedTask;

    private const string NisView = "map=10/43.32/21.9";
    private const string VisibleLabels = ".municipality-label:not([hidden])";

    /// <summary>Shows a view through the permalink, as following a link in the open page does, and waits for its settlements.</summary>
    private static async Task GoToAsync(MapPage map, string hash, double zoom)
    {
        await map.Page.EvaluateAsync("hash => { location.hash = hash; }", hash);
        await map.Page.WaitForFunctionAsync("zoom => window.settlementMap.view.map.zoom === zoom", zoom);
        await map.IdleAsync();
    }

    [Fact]
    public async Task Municipality_names_appear_at_city_zoom_not_at_country_zoom_do_not_overlap_or_take_clicks_and_follow_the_language()
    {
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        Assert.True(await map.Page.EvaluateAsync<double>("() => window.settlementMap.view.map.zoom") < 9, "the page opens at country zoom");
        Assert.Equal(0, await map.Page.Locator(VisibleLabels).CountAsync());

        await GoToAsync(map, NisView, 10);
        var nis = map.Page.Locator(".municipality-label[data-code=nis]");
        await Assertions.Expect(nis).ToBeVisibleAsync();
        Assert.Equal("Niš", await nis.TextContentAsync());
        Assert.True(await map.Page.Locator(VisibleLabels).CountAsync() >= 10, "the municipalities around Niš are named");

        // No two names shown overlap.
        var overlaps = await map.Page.EvaluateAsync<string[]>("""
            selector => {
              const boxes = [...document.querySelectorAll(selector)].map(n => ({ code: n.dataset.code, r: n.getBoundingClientRect() }));
              const found = [];
              for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const [a, b] = [boxes[i].r, boxes[j].r];
                if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) found.push(boxes[i].code + '/' + boxes[j].code);
              }
              return found;
            }
            """, VisibleLabels);
        Assert.Empty(overlaps);

        // A click on a name reaches what is under it, not the name.
        var under = await map.Page.EvaluateAsync<string>("""
            () => {
              const r = document.querySelector('.municipality-label[data-code=nis]').getBoundingClientRect();
              const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
              return hit.className.baseVal ?? hit.className;
            }
            """);
        Assert.DoesNotContain("municipality-label", under, StringComparison.Ordinal);

        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await Assertions.Expect(nis).ToHaveTextAsync("Ниш");
        Assert.Contains("Алексинац", await map.Page.Locator(VisibleLabels).AllTextContentsAsync());

        // Back at country zoom the names go away again.
        await GoToAsync(map, "map=7/44.2/20.9", 7);
        Assert.Equal(0, await map.Page.Locator(VisibleLabels).CountAsync());
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task The_whole_country_button_is_labelled_in_three_languages_and_brings_back_all_of_Serbia_from_the_keyboard()
    {
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        var country = await map.Page.EvaluateAsync<double[]>("() => { const v = window.settlementMap.view.map; return [v.zoom, v.lat, v.lon]; }");
        var button = map.Page.GetByRole(AriaRole.Button, new() { Name = "Show the whole country", Exact = true });
        Assert.Equal("Show the whole country", await button.GetAttributeAsync("title"));

        await GoToAsync(map, "map=13/43.32/21.9", 13);
        await button.FocusAsync();
        await map.Page.Keyboard.PressAsync("Enter");
        await map.Page.WaitForFunctionAsync("zoom => window.settlementMap.view.map.zoom === zoom", country[0]);
        var back = await map.Page.EvaluateAsync<double[]>("() => { const v = window.settlementMap.view.map; return [v.zoom, v.lat, v.lon]; }");
        Assert.Equal(country[1], back[1], 3);
        Assert.Equal(country[2], back[2], 3);

        await map.Page.SelectOptionAsync("#language", "sr-Latn");
        Assert.Equal("Prikaži celu zemlju", await map.Page.Locator("#whole-country").GetAttributeAsync("title"));
        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await Assertions.Expect(map.Page.GetByRole(AriaRole.Button, new() { Name = "Прикажи целу земљу", Exact = true })).ToHaveCountAsync(1);
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task A_municipality_found_by_search_is_outlined_without_filtering_and_a_settlement_found_next_clears_it()
    {
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        var outline = map.Page.Locator("path.place-outline");
        var first = map.Page.Locator("#search-results li[data-id]").First;

        await map.Page.FillAsync("#search-input", "Niš");
        await Assertions.Expect(first).ToContainTextAsync("Niš");
        await map.Page.PressAsync("#search-input", "Enter");
        await Assertions.Expect(outline).ToHaveCountAsync(1);
        Assert.Equal("municipality:nis", await map.Page.GetAttributeAsync("#map", "data-outlined"));
        Assert.Equal("", await map.Page.InputValueAsync("#filter-municipality")); // outlined, not filtered

        await map.Page.FillAsync("#search-input", "Stanica Niš");
        await Assertions.Expect(first).ToContainTextAsync("Stanica");
        await map.Page.PressAsync("#search-input", "Enter");
        await Assertions.Expect(outline).ToHaveCountAsync(0);
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task The_chosen_municipality_or_district_is_outlined_and_clearing_the_filter_removes_the_outline()
    {
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        var outline = map.Page.Locator("path.place-outline");
        Assert.Equal(0, await outline.CountAsync());

        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await Assertions.Expect(outline).ToHaveCountAsync(1);
        Assert.Equal("municipality:nis", await map.Page.GetAttributeAsync("#map", "data-outlined"));
        // The outline surrounds Niš on the screen: Niš's name sits inside its box, Aleksinac's outside.
        var box = (await outline.BoundingBoxAsync())!;
        var nis = (await map.Page.Locator(".municipality-label[data-code=nis]").BoundingBoxAsync())!;
        Assert.InRange(nis.X + nis.Width / 2, box.X, box.X + box.Width);
        Assert.InRange(nis.Y + nis.Height / 2, box.Y, box.Y + box.Height);
        Assert.DoesNotContain("leaflet-interactive", await outline.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);

        // A district: one outline around its municipalities, not one per municipality.
        await map.Page.SelectOptionAsync("#filter-municipality", "");
        await map.Page.SelectOptionAsync("#filter-district", "RS.SE.20");
        await map.Page.WaitForFunctionAsync("() => document.getElementById('map').dataset.outlined === 'district:RS.SE.20'");
        await Assertions.Expect(outline).ToHaveCountAsync(1);
        var district = (await outline.BoundingBoxAsync())!;
        Assert.True(district.Width > box.Width && district.Height > box.Height, "the district's outline is larger than Niš's");

        await map.Page.ClickAsync("#filter-reset");
        await Assertions.Expect(outline).ToHaveCountAsync(0);
        Assert.Null(await map.Page.GetAttributeAsync("#map", "data-outlined"));

        // From a permalink too.
        await using var linked = await browser.OpenAsync("#municipality=nis", width: 1366, height: 768);
        await Assertions.Expect(linked.Page.Locator("path.place-outline")).ToHaveCountAsync(1);
        Assert.Empty(map.ConsoleErrors);
        Assert.Empty(linked.ConsoleErrors);
    }

    [Fact]
    public async Task The_list_says_it_ignores_the_view_and_when_asked_follows_it_with_the_count_and_the_download_links()
    {
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        await using var db = browser.App.CreateContext();
        var settlements = await db.Settlements.Select(s => new { s.Id, s.Geom }).ToListAsync();
        var total = settlements.Count;

        // By default the list is every settlement the filters match, and the toggle says the view does not narrow it.
        var toggle = map.Page.GetByLabel("Only settlements in the map view", new() { Exact = false });
        Assert.False(await toggle.IsCheckedAsync());
        Assert.Equal(total, await map.ShownCountAsync());
        await GoToAsync(map, NisView, 10);
        Assert.Equal(total, await map.ShownCountAsync());
        Assert.DoesNotContain("bbox=", await map.Page.GetAttributeAsync("#export-geojson", "href") ?? "", StringComparison.Ordinal);

        await toggle.CheckAsync();
        Assert.Contains("in_view=1", map.Page.Url, StringComparison.Ordinal);
        var aroundNis = await AssertListIsTheViewAsync(map, settlements.Select(s => (s.Id, (Geometry)s.Geom)).ToList());
        Assert.InRange(aroundNis, 1, total - 1);
        Assert.Matches($"^{aroundNis} of {total} settlements in the map view", await map.Page.TextContentAsync("#count"));

        // Panning by hand: the list follows.
        var box = (await map.Page.Locator("#map").BoundingBoxAsync())!;
        var atNis = await map.Page.EvaluateAsync<string>(Position);
        await map.Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await map.Page.Mouse.DownAsync();
        await map.Page.Mouse.MoveAsync(box.X + box.Width / 2 + 500, box.Y + box.Height / 2 - 250, new() { Steps = 10 });
        await map.Page.Mouse.UpAsync();
        await map.Page.WaitForFunctionAsync($"before => ({Position})() !== before", atNis);
        await SettledAsync(map);
        Assert.NotEqual(aroundNis, await map.ShownCountAsync());
        await AssertListIsTheViewAsync(map, settlements.Select(s => (s.Id, (Geometry)s.Geom)).ToList());

        // Unticked: every settlement again, and the links lose the box.
        await toggle.UncheckAsync();
        Assert.Equal(total, await map.ShownCountAsync());
        Assert.DoesNotContain("bbox=", await map.Page.GetAttributeAsync("#export-geojson", "href") ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("in_view", map.Page.Url, StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    /// <summary>The map's position as the permalink's view holds it (written at each moveend).</summary>
    private const string Position = "() => JSON.stringify(window.settlementMap.view.map)";

    /// <summary>Waits until a drag's inertia has stopped: the map's position is the same twice, 300 ms apart.</summary>
    private static async Task SettledAsync(MapPage map)
    {
        var before = await map.Page.EvaluateAsync<string>(Position);
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(300);
            var now = await map.Page.EvaluateAsync<string>(Position);
            if (now == before)
            {
                return;
            }
            before = now;
        }
    }

    /// <summary>
    /// The list and the count are the settlements whose outline meets the box the GeoJSON download
    /// link carries, and that download holds the same settlements. Returns how many.
    /// </summary>
    internal static async Task<int> AssertListIsTheViewAsync(MapPage map, IReadOnlyList<(long Id, Geometry Geom)> settlements, bool listed = true)
    {
        var href = await map.Page.GetAttributeAsync("#export-geojson", "href") ?? "";
        var bbox = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://x/"), href).Query)["bbox"];
        Assert.NotNull(bbox);
        var b = bbox.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var view = new GeometryFactory().ToGeometry(new Envelope(b[0], b[2], b[1], b[3]));
        var expected = settlements.Where(s => s.Geom.Intersects(view)).Select(s => s.Id).Order().ToList();

        Assert.Equal(expected.Count, await map.ShownCountAsync());
        if (listed)
        {
            var ids = await map.Page.EvaluateAsync<long[]>("() => [...document.querySelectorAll('#results button[data-id]')].map(b => Number(b.dataset.id))");
            Assert.Equal(expected.Take(200), ids.Order().Take(200));
        }
        var downloaded = await map.Page.EvaluateAsync<long[]>("async href => (await (await fetch(href)).json()).features.map(f => f.properties.id ?? f.id)", href);
        Assert.Equal(expected, downloaded.Order());
        return expected.Count;
    }

    [Fact]
    public async Task Zoom_buttons_and_drawing_hints_are_in_the_page_language()
    {
        await using var map = await browser.OpenAsync();
        var zoomIn = map.Page.Locator(".leaflet-control-zoom-in");
        var zoomOut = map.Page.Locator(".leaflet-control-zoom-out");
        Assert.Equal("Zoom in", await zoomIn.GetAttributeAsync("title"));

        await map.Page.SelectOptionAsync("#language", "sr-Latn");
        Assert.Equal("Uvećaj", await zoomIn.GetAttributeAsync("title"));
        Assert.Equal("Uvećaj", await zoomIn.GetAttributeAsync("aria-label"));
        Assert.Equal("Umanji", await zoomOut.GetAttributeAsync("title"));

        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        Assert.Equal("Увећај", await zoomIn.GetAttributeAsync("title"));
        Assert.Equal("Умањи", await zoomOut.GetAttributeAsync("aria-label"));
        Assert.Equal("Кликните да поставите прво теме", await map.Page.EvaluateAsync<string>("() => L.PM.Utils.getTranslation('tooltips.firstVertex')"));

        await map.Page.SelectOptionAsync("#language", "en");
        Assert.Equal("Zoom out", await zoomOut.GetAttributeAsync("title"));
        Assert.Equal("Click to place the first corner", await map.Page.EvaluateAsync<string>("() => L.PM.Utils.getTranslation('tooltips.firstVertex')"));
        Assert.Empty(map.ConsoleErrors);
    }
}

/// <summary>At scale (vector tiles) the page holds no list: the count in view comes from the server, for the same box as the links.</summary>
public sealed class OrientationTiledTests(TiledBrowserFixture browser) : IClassFixture<TiledBrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(browser.App);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task With_tiles_the_count_in_the_map_view_is_the_servers_for_the_links_box()
    {
        await using var db = browser.App.CreateContext();
        var settlements = (await db.Settlements.Select(s => new { s.Id, s.Geom }).ToListAsync()).Select(s => (s.Id, (Geometry)s.Geom)).ToList();
        await using var map = await browser.OpenAsync("#map=10/43.32/21.9&in_view=1", width: 1366, height: 768);
        await map.IdleAsync();
        await Assertions.Expect(map.Page.Locator("#count")).ToContainTextAsync("in the map view");
        var inView = await OrientationTests.AssertListIsTheViewAsync(map, settlements, listed: false);
        Assert.InRange(inView, 1, settlements.Count - 1);
        Assert.Empty(map.ConsoleErrors);
    }
}
