using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// Search beyond its first page and with a municipality in the text; the map's states: loading (never
/// "0 of N"), nothing matching (said on the map), focus back where the details were opened from, and
/// every settlement of the list reachable from the keyboard.
/// </summary>
public sealed class SearchAndStatesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(browser.App);

    public Task DisposeAsync() => Task.CompletedTask;

    public static string ShotDirectory { get; } = Path.Combine(Path.GetTempPath(), "shots-search");

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ShotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ShotDirectory, name + ".png") });
    }

    private static async Task TypeSearchAsync(MapPage map, string text)
    {
        await map.Page.FocusAsync("#search-input");
        await map.Page.Keyboard.TypeAsync(text);
    }

    [Fact]
    public async Task Show_more_in_the_search_list_reaches_every_Stanica_from_the_keyboard()
    {
        await using var db = browser.App.CreateContext();
        var total = await db.Settlements.CountAsync(s => EF.Functions.Like(s.SearchKey, "%stanica%"));
        var nis = await db.Settlements.SingleAsync(s => s.Code == "DEMO-NIS-004");
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        await TypeSearchAsync(map, "Stanica");
        var more = map.Page.Locator("#search-results li[data-more]");
        await Assertions.Expect(more).ToHaveTextAsync(new Regex($"12 of {total}"));
        Assert.Equal(12, await map.Page.Locator("#search-results li[data-id]").CountAsync());
        await ShotAsync(map.Page, "search-show-more-1366");

        // The arrows reach "show more" after the twelve results; Enter loads the next page and goes on at its first.
        for (var i = 0; i < 13; i++)
        {
            await map.Page.Keyboard.PressAsync("ArrowDown");
        }
        Assert.Equal("true", await more.GetAttributeAsync("aria-selected"));
        Assert.Equal("search-more", await map.Page.GetAttributeAsync("#search-input", "aria-activedescendant"));
        await map.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(map.Page.Locator("#search-results li[data-id]")).ToHaveCountAsync(total);
        await Assertions.Expect(more).ToHaveCountAsync(0);
        Assert.Equal("search-result-12", await map.Page.GetAttributeAsync("#search-input", "aria-activedescendant"));
        Assert.Equal("listbox", await map.Page.GetAttributeAsync("#search-results", "role"));
        Assert.Equal("true", await map.Page.GetAttributeAsync("#search-input", "aria-expanded"));

        var nisResult = map.Page.Locator($"#search-results li[data-id='{nis.Id}']");
        await Assertions.Expect(nisResult.Locator(".meta")).ToHaveTextAsync("Niš");
        await nisResult.ClickAsync();
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync("Stanica");
        await Assertions.Expect(map.Page.Locator("#details-subtitle")).ToContainTextAsync("Niš");
        Assert.Empty(map.ConsoleErrors);
    }

    [Theory]
    [InlineData("stanica nis", 1366, 768)]
    [InlineData("станица ниш", 390, 844)]
    public async Task A_name_with_its_municipality_finds_the_one_settlement_there(string query, int width, int height)
    {
        await using var db = browser.App.CreateContext();
        var nis = await db.Settlements.SingleAsync(s => s.Code == "DEMO-NIS-004");
        await using var map = await browser.OpenAsync(width: width, height: height);
        if (width < 600)
        {
            // On a phone the search sits in the header too; the panel stays closed.
            await Assertions.Expect(map.Page.Locator("#search-input")).ToBeVisibleAsync();
        }
        await TypeSearchAsync(map, query);
        var results = map.Page.Locator("#search-results li[data-id]");
        await Assertions.Expect(results).ToHaveCountAsync(1);
        Assert.Equal(nis.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), await results.First.GetAttributeAsync("data-id"));
        await Assertions.Expect(map.Page.Locator("#search-results li.within")).ToHaveTextAsync("Only in: Niš");
        await ShotAsync(map.Page, $"search-combined-{width}");
        await map.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync("Stanica");
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task While_the_settlements_load_the_count_says_loading_never_0_of_N()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 }, Locale = "en-GB" });
        // Every text the count shows, from the first, is kept (the page's own scripts set no globals).
        await context.AddInitScriptAsync("""
            window.__countTexts = [];
            new MutationObserver(() => {
              const count = document.getElementById('count');
              const text = count ? count.textContent : '';
              if (text && window.__countTexts[window.__countTexts.length - 1] !== text) window.__countTexts.push(text);
            }).observe(document, { subtree: true, childList: true, characterData: true });
            """);
        var release = new TaskCompletionSource();
        await context.RouteAsync(new Regex("/api/layers/settlements(\\?|$)"), async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        var page = await context.NewPageAsync();
        await using var map = new MapPage(page, context);
        await page.GotoAsync(new Uri(browser.BaseAddress, "/").ToString());
        await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync("Loading settlements…");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Loading settlements…");
        await ShotAsync(page, "loading-1366");
        release.SetResult();
        await map.ReadyAsync();
        await map.IdleAsync();
        await using var db = browser.App.CreateContext();
        var total = await db.Settlements.CountAsync();
        await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync(new Regex($"^{total} of {total} settlements shown"));

        // The next load (a filter) says so too, then the new figures.
        var next = new TaskCompletionSource();
        await context.UnrouteAllAsync();
        await context.RouteAsync(new Regex("/api/layers/settlements\\?"), async route =>
        {
            await next.Task;
            await route.ContinueAsync();
        });
        await page.SelectOptionAsync("#filter-municipality", "nis");
        await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync("Loading settlements…");
        next.SetResult();
        await map.IdleAsync();
        var inNis = await db.Settlements.CountAsync(s => s.Municipality!.Code == "nis");
        await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync(new Regex($"^{inNis} of {total} settlements shown"));

        var seen = await page.EvaluateAsync<string[]>("() => window.__countTexts");
        Assert.DoesNotContain(seen, t => t.StartsWith($"0 of {total}", StringComparison.Ordinal));
        Assert.Empty(map.ConsoleErrors);
    }

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(390, 844)]
    public async Task Filters_that_match_nothing_say_so_on_the_map_with_a_way_to_clear_them(int width, int height)
    {
        await using var map = await browser.OpenAsync("#min_inhabitants=900000000", width, height);
        await map.IdleAsync();
        var empty = map.Page.Locator("#map-empty");
        await Assertions.Expect(empty).ToBeVisibleAsync();
        await Assertions.Expect(empty.Locator("p")).ToHaveTextAsync("No settlement matches the filters.");
        // On the map, not in the panel.
        var box = await empty.BoundingBoxAsync();
        var mapBox = await map.Page.Locator("#map").BoundingBoxAsync();
        Assert.True(box!.X >= mapBox!.X && box.X + box.Width <= mapBox.X + mapBox.Width && box.Y >= mapBox.Y && box.Y + box.Height <= mapBox.Y + mapBox.Height,
            $"the message ({box.X},{box.Y} {box.Width}×{box.Height}) lies on the map ({mapBox.X},{mapBox.Y} {mapBox.Width}×{mapBox.Height})");
        Assert.Equal(0, await map.ShownCountAsync());
        await ShotAsync(map.Page, $"map-empty-{width}");

        await empty.Locator("button").ClickAsync();
        await map.IdleAsync();
        await Assertions.Expect(empty).ToBeHiddenAsync();
        await using var db = browser.App.CreateContext();
        Assert.Equal(await db.Settlements.CountAsync(), await map.ShownCountAsync());
        Assert.DoesNotContain("min_inhabitants", map.Page.Url, StringComparison.Ordinal);
        Assert.Equal("map", await map.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task Escape_from_the_details_returns_focus_to_what_opened_them()
    {
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        async Task<string> FocusedAsync() => await map.Page.EvaluateAsync<string>("() => { const a = document.activeElement; return a.id || (a.dataset.id ? 'list:' + a.dataset.id : a.tagName); }");

        // From the map (markers at country zoom), closed with ×.
        await map.Page.Locator("path.settlement-point").Nth(10).ClickAsync(new LocatorClickOptions { Force = true });
        await Assertions.Expect(map.Page.Locator("#details")).ToBeVisibleAsync();
        await map.Page.ClickAsync("#details-close");
        await Assertions.Expect(map.Page.Locator("#details")).ToBeHiddenAsync();
        // The marker clicked (Leaflet makes it focusable), in the map.
        Assert.True(await map.Page.EvaluateAsync<bool>("() => document.activeElement !== document.body && document.getElementById('map').contains(document.activeElement)"),
            await FocusedAsync());

        // From the list.
        var button = map.Page.Locator("#results button[data-id]").Nth(3);
        var id = await button.GetAttributeAsync("data-id");
        await button.FocusAsync();
        await map.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(map.Page.Locator("#details")).ToBeVisibleAsync();
        Assert.Equal("details", await FocusedAsync());
        await map.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(map.Page.Locator("#details")).ToBeHiddenAsync();
        Assert.Equal("list:" + id, await FocusedAsync());

        // From the search box.
        await TypeSearchAsync(map, "Stanica nis");
        await Assertions.Expect(map.Page.Locator("#search-results li[data-id]")).ToHaveCountAsync(1);
        await map.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync("Stanica");
        await map.Page.FocusAsync("#details");
        await map.Page.Keyboard.PressAsync("Escape");
        Assert.Equal("search-input", await FocusedAsync());

        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task Every_settlement_of_the_list_is_reached_with_the_keyboard_and_opens_with_Enter()
    {
        await using var db = browser.App.CreateContext();
        var total = await db.Settlements.CountAsync();
        await using var map = await browser.OpenAsync(width: 1366, height: 768);
        var buttons = map.Page.Locator("#results button[data-id]");
        var listed = await buttons.CountAsync();
        Assert.True(listed < total, $"the list starts with {listed} of {total}");

        // Tab from the last listed settlement reaches "list more"; Enter lists them, focus on the first new one.
        while (listed < total)
        {
            await buttons.Nth(listed - 1).FocusAsync();
            await map.Page.Keyboard.PressAsync("Tab");
            Assert.Equal("results-show-more", await map.Page.EvaluateAsync<string>("() => document.activeElement.id"));
            await map.Page.Keyboard.PressAsync("Enter");
            Assert.Equal(listed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                await map.Page.EvaluateAsync<string>("() => String([...document.querySelectorAll('#results button[data-id]')].indexOf(document.activeElement))"));
            var now = await buttons.CountAsync();
            Assert.True(now > listed, $"listed {now} after {listed}");
            listed = now;
        }
        Assert.Equal(total, listed);
        await Assertions.Expect(map.Page.Locator("#results-more")).ToBeHiddenAsync();

        // The arrows move along the list; Enter on the last settlement opens its details.
        await buttons.Nth(total - 2).FocusAsync();
        await map.Page.Keyboard.PressAsync("ArrowDown");
        var last = buttons.Nth(total - 1);
        Assert.True(await last.EvaluateAsync<bool>("b => b === document.activeElement"));
        var name = await last.Locator(".name").TextContentAsync();
        await map.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(map.Page.Locator("#details-title")).ToHaveTextAsync(name!);
        Assert.Empty(map.ConsoleErrors);
    }
}
