using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// "Which municipalities with settlements have no health mediator?" answered as a table in the map's coverage
/// section, counted on the one base the legend and the figures use; and the coverage tooltips, in headless Chromium.
/// </summary>
public sealed class CoverageTablesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>About the tables, not who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(browser.App);

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Rows = "#coverage-table tbody tr";

    private static async Task<string[]> ColumnAsync(IPage page, int index) =>
        await page.EvaluateAsync<string[]>($"() => [...document.querySelectorAll('{Rows}')].map(tr => tr.cells[{index}].querySelector('button')?.textContent ?? tr.cells[{index}].textContent)");

    [Fact]
    public async Task The_health_mediator_table_has_the_legends_absent_count_sorts_by_keyboard_shows_a_row_on_the_map_and_downloads_as_csv()
    {
        await using var map = await browser.OpenAsync("#overlays=health_mediator", 1366, 768);
        var page = map.Page;
        var legend = await map.LegendAsync("overlay-health_mediator");
        await page.SelectOptionAsync("#coverage-table-kind", "health_mediator");
        await page.Locator(Rows).First.WaitForAsync();

        var rows = await page.Locator(Rows).CountAsync();
        Assert.Equal(legend["absent"].Count, rows);
        Assert.Equal(rows.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#coverage-table-count", "data-rows"));
        using var client = browser.App.Factory.CreateClient();
        using var figures = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/coverage/figures", UriKind.Relative)));
        var figure = figures.RootElement.GetProperty("national").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "health_mediator");
        Assert.Equal(figure.GetProperty("municipalities_not_covered").GetInt32(), rows);
        Assert.Equal(figure.GetProperty("municipalities_covered").GetInt32(), legend["present"].Count);
        Assert.Equal($"{rows} of the {legend["present"].Count + rows} municipalities with at least one settlement.", await page.TextContentAsync("#coverage-table-count"));

        // Names, never codes; the default order is the most inhabitants first.
        await using var db = browser.App.CreateContext();
        var places = await db.Municipalities.Select(m => new { m.Code, m.NameLatn }).ToListAsync();
        var names = places.Select(m => m.NameLatn).ToList();
        var codes = places.Where(m => !string.Equals(m.NameLatn, m.Code, StringComparison.OrdinalIgnoreCase)).Select(m => m.Code).ToList();
        var shownNames = await ColumnAsync(page, 0);
        Assert.All(shownNames, n => Assert.Contains(n, names));
        Assert.DoesNotContain(shownNames, codes.Contains);
        Assert.Equal("descending", await page.GetAttributeAsync("#coverage-table th[data-column='estimated_inhabitants']", "aria-sort"));
        var people = (await ColumnAsync(page, 3)).Select(p => long.Parse(p.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(people.OrderDescending(), people);

        // Sorting from the keyboard: Enter on the municipality header sorts A–Z, again Z–A.
        await page.FocusAsync("#coverage-table th[data-column='name'] button");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("ascending", await page.GetAttributeAsync("#coverage-table th[data-column='name']", "aria-sort"));
        Assert.Null(await page.GetAttributeAsync("#coverage-table th[data-column='estimated_inhabitants']", "aria-sort"));
        var collator = StringComparer.Create(CultureInfo.GetCultureInfo("en-GB"), CompareOptions.None);
        var ascending = await ColumnAsync(page, 0);
        Assert.Equal(ascending.Order(collator), ascending);
        Assert.Equal("coverage-table-sort", await page.EvaluateAsync<string>("() => document.activeElement.closest('th') ? 'coverage-table-sort' : document.activeElement.tagName"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("descending", await page.GetAttributeAsync("#coverage-table th[data-column='name']", "aria-sort"));
        Assert.Equal(ascending.Reverse(), await ColumnAsync(page, 0));

        // Enter on a row's name shows that municipality on the map.
        var last = page.Locator(Rows).Last;
        var code = await last.GetAttributeAsync("data-code");
        var municipality = await db.Municipalities.SingleAsync(m => m.Code == code);
        await last.Locator("button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => window.settlementMap.view.map.zoom >= 9");
        var view = await page.EvaluateAsync<double[]>("() => { const v = window.settlementMap.view.map; return [v.lat, v.lon]; }");
        var box = municipality.Geom.EnvelopeInternal;
        Assert.InRange(view[1], box.MinX, box.MaxX);
        Assert.InRange(view[0], box.MinY, box.MaxY);

        // The CSV: the same rows, labelled in the page's language.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#coverage-table-csv"));
        Assert.StartsWith("coverage-without-health_mediator-", download.SuggestedFilename, StringComparison.Ordinal);
        var file = await download.PathAsync();
        var lines = (await File.ReadAllTextAsync(file)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Municipality,District,Settlements,Estimated inhabitants,Missing,Municipality code", lines[0]);
        Assert.Equal(rows, lines.Length - 1);
        Assert.Empty(map.ConsoleErrors);
        await Screenshot(page, "coverage-table-desktop-en.png");
    }

    [Fact]
    public async Task Legend_figures_and_table_state_their_one_base_in_words_in_Cyrillic_too()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "en-GB" });
        await context.AddInitScriptAsync("localStorage.setItem('settlementmap.language', 'sr-Cyrl')");
        await using var map = await browser.OpenAsync("#overlays=coordinator,gap", context: context);
        var page = map.Page;
        await using var db = browser.App.CreateContext();
        var withSettlements = await db.Municipalities.CountAsync(m => db.Settlements.Any(s => s.MunicipalityId == m.Id));
        Assert.True(withSettlements < await db.Municipalities.CountAsync(), "the demo has municipalities without settlements, which the base leaves out");
        var words = $"Рачунато на {withSettlements} општина са бар једним насељем.";

        var coordinator = await map.LegendAsync("overlay-coordinator");
        Assert.Equal(withSettlements, coordinator["present"].Count + coordinator["absent"].Count);
        Assert.Equal(coordinator["present"].Count, await page.Locator("path.coverage-coordinator").CountAsync());
        Assert.Equal(words, await page.TextContentAsync(".legend [data-legend='overlay-coordinator'] .hint"));
        var gap = await map.LegendAsync("overlay-gap");
        Assert.Equal(withSettlements, gap.Values.Sum(v => v.Count));
        Assert.Equal(words, await page.TextContentAsync(".legend [data-legend='overlay-gap'] .hint"));
        Assert.Equal(words, await page.TextContentAsync("#coverage-figures [data-base]"));

        await page.ClickAsync("#panel-toggle");
        await page.SelectOptionAsync("#coverage-table-kind", "gap");
        await page.Locator(Rows).First.WaitForAsync();
        Assert.Equal(gap.Where(g => g.Key != "none").Sum(g => g.Value.Count), await page.Locator(Rows).CountAsync());
        Assert.EndsWith($"од {withSettlements} општина са бар једним насељем.", await page.TextContentAsync("#coverage-table-count"), StringComparison.Ordinal);
        Assert.Equal("Општина", await page.TextContentAsync("#coverage-table th[data-column='name'] button"));
        await page.Locator("#coverage-tables").ScrollIntoViewIfNeededAsync();
        await Screenshot(page, "coverage-table-phone-sr-Cyrl.png");
    }

    [Fact]
    public async Task Coverage_tooltips_near_the_right_edge_stay_inside_the_map()
    {
        await using var map = await browser.OpenAsync("#overlays=gap", 1366, 768);
        var page = map.Page;
        await page.Locator("path.coverage-gap").First.WaitForAsync();
        var mapBox = (await page.Locator("#map").BoundingBoxAsync())!;
        // Sweep the pointer over the right half of the map: every tooltip shown must fit.
        var shown = 0;
        for (var x = mapBox.X + mapBox.Width * 0.45; x < mapBox.X + mapBox.Width - 5; x += 12)
        {
            foreach (var y in new[] { 0.35, 0.5, 0.65 })
            {
                await page.Mouse.MoveAsync((float)x, (float)(mapBox.Y + mapBox.Height * y));
                var boxes = await page.EvaluateAsync<double[][]>(
                    "() => [...document.querySelectorAll('.leaflet-tooltip')].filter(t => getComputedStyle(t).opacity > 0.1).map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })");
                Assert.True(boxes.Length <= 1, $"{boxes.Length} tooltips at once");
                foreach (var b in boxes)
                {
                    shown++;
                    Assert.InRange(b[0], mapBox.X - 0.5, mapBox.X + mapBox.Width + 0.5);
                    Assert.InRange(b[1], mapBox.X - 0.5, mapBox.X + mapBox.Width + 0.5);
                }
            }
        }
        Assert.True(shown > 10, $"the sweep showed {shown} tooltips");
    }

    [Fact]
    public async Task The_coverage_editor_names_programmes_and_municipalities_in_the_pages_script()
    {
        await using var db = browser.App.CreateContext();
        var youth = await db.Programmes.SingleAsync(p => p.Code == "undp_youth");
        var member = await db.Coverage.Where(c => c.ProgrammeId == youth.Id).Select(c => c.Municipality!).OrderBy(m => m.Code).FirstAsync();
        await using var watched = await WatchedPage.OpenAsAdministratorAsync(browser.Browser, browser.BaseAddress, "/");
        var page = watched.Page;
        await page.EvaluateAsync("() => localStorage.setItem('settlementmap.language', 'sr-Cyrl')");
        await page.GotoAsync(new Uri(browser.BaseAddress, "/coverage.html?municipality=" + member.Code).ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");

        var kinds = await page.Locator("#records td:first-child").AllTextContentsAsync();
        Assert.Contains(youth.NameSrCyrl, kinds);
        Assert.DoesNotContain(kinds, k => k.Contains(youth.Code, StringComparison.OrdinalIgnoreCase) || k.Contains(youth.NameSrLatn, StringComparison.Ordinal));
        var programmes = await page.Locator("#f-programme_code option").AllTextContentsAsync();
        Assert.Contains(youth.NameSrCyrl, programmes);
        Assert.Equal(member.NameCyrl, await page.EvaluateAsync<string>("() => { const s = document.getElementById('municipality'); return s.options[s.selectedIndex].textContent; }"));
        var municipalities = await page.Locator("#municipality option").AllTextContentsAsync();
        Assert.Equal(municipalities.Order(StringComparer.Create(CultureInfo.GetCultureInfo("sr-Cyrl-RS"), CompareOptions.None)), municipalities);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, name) });
    }
}
