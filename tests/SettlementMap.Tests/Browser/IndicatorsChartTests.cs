using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The "Indicators over time" section of the map and of the report, in headless Chromium under the page's strict
/// Content-Security-Policy: uPlot draws the chart (pixels on its canvas, no console error), the table beside it holds
/// the API's figures as text in the page's locale, and the language switch redraws it.
/// </summary>
public sealed class IndicatorsChartTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(browser.App);

    public Task DisposeAsync() => Task.CompletedTask;

    private const string PaintedPixels = """
        (selector) => {
          const canvas = document.querySelector(selector + ' canvas');
          if (!canvas) return 0;
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
          return painted;
        }
        """;

    private async Task<JsonElement> SeriesAsync(string query)
    {
        using var client = browser.App.Factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/history/indicators?" + query, UriKind.Relative)));
        return document.RootElement.Clone();
    }

    private static double LastValue(JsonElement answer, string id) =>
        answer.GetProperty("indicators").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id).GetProperty("values").EnumerateArray().Last().GetDouble();

    private static Task<string?> CellAsync(IPage page, string container, string id) =>
        page.EvaluateAsync<string?>($"() => [...document.querySelectorAll('{container} tr[data-indicator=\"{id}\"] td')].pop()?.textContent");

    [Fact]
    public async Task The_map_draws_Serbias_chart_and_a_table_of_the_apis_figures_and_redraws_them_in_serbian()
    {
        await using var map = await browser.OpenAsync("", 1366, 900);
        var page = map.Page;
        await page.EvaluateAsync("() => window.settlementMap.indicatorsLoaded");
        await page.Locator("#indicators canvas").WaitForAsync();
        Assert.Equal("serbia", await page.GetAttributeAsync("#indicators .indicator-chart", "data-area"));
        Assert.True(await page.EvaluateAsync<int>(PaintedPixels, "#indicators") > 500, "the chart's canvas is blank");

        var answer = await SeriesAsync("");
        Assert.Equal(answer.GetProperty("indicators").GetArrayLength(), await page.Locator("#indicators tbody tr").CountAsync());
        Assert.Equal(answer.GetProperty("dates").GetArrayLength() + 1, await page.Locator("#indicators thead th").CountAsync());
        Assert.Equal("Settlements with a water network", await page.TextContentAsync("#indicators tr[data-indicator='water_network_settlements'] th"));
        var english = CultureInfo.GetCultureInfo("en-GB");
        Assert.Equal(LastValue(answer, "water_network_settlements").ToString("#,##0.#", english) + " %", await CellAsync(page, "#indicators", "water_network_settlements"));
        Assert.Equal(LastValue(answer, "estimated_inhabitants").ToString("#,##0", english), await CellAsync(page, "#indicators", "estimated_inhabitants"));
        // The legend names the chart's lines in words; the canvas is labelled and points to the table.
        Assert.Contains("Settlements with a water network", await page.TextContentAsync("#indicators .indicator-legend"), StringComparison.Ordinal);
        Assert.Contains("table below", await page.GetAttributeAsync("#indicators .indicator-canvas", "aria-label"), StringComparison.Ordinal);
        var csv = await page.GetAttributeAsync("#indicators-csv", "href");
        Assert.Contains("format=csv", csv, StringComparison.Ordinal);
        Assert.Contains("lang=en", csv, StringComparison.Ordinal);

        // Another group of series: a new chart, still painted.
        await page.SelectOptionAsync("#indicators-group", "coverage");
        Assert.Equal("coverage", await page.GetAttributeAsync("#indicators", "data-group"));
        Assert.True(await page.EvaluateAsync<int>(PaintedPixels, "#indicators") > 500);

        await page.SelectOptionAsync("#language", "sr-Latn");
        await page.WaitForFunctionAsync("() => document.querySelector('#indicators tr[data-indicator=\"water_network_settlements\"] th').textContent === 'Naselja sa vodovodom'");
        var serbian = CultureInfo.GetCultureInfo("sr-Latn-RS");
        Assert.Equal(LastValue(answer, "water_network_settlements").ToString("#,##0.#", serbian) + " %", await CellAsync(page, "#indicators", "water_network_settlements"));
        Assert.Equal("Pokazatelji kroz vreme", (await page.TextContentAsync("[data-i18n='indicator.title']"))?.Trim());
        Assert.Contains("lang=sr-Latn", await page.GetAttributeAsync("#indicators-csv", "href"), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<int>(PaintedPixels, "#indicators") > 500);

        await page.SelectOptionAsync("#language", "sr-Cyrl");
        await page.WaitForFunctionAsync("() => document.querySelector('#indicators tr[data-indicator=\"water_network_settlements\"] th').textContent === 'Насеља са водоводом'");
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task A_district_chosen_in_the_filters_gets_its_own_series()
    {
        await using var map = await browser.OpenAsync("#district=RS.SE.20", 1366, 900);
        var page = map.Page;
        await page.WaitForFunctionAsync("() => document.querySelector('#indicators .indicator-chart')?.dataset.area === 'RS.SE.20'");
        var answer = await SeriesAsync("district=RS.SE.20");
        Assert.Equal(LastValue(answer, "settlements").ToString("#,##0", CultureInfo.GetCultureInfo("en-GB")), await CellAsync(page, "#indicators", "settlements"));
        Assert.Contains("district=RS.SE.20", await page.GetAttributeAsync("#indicators-csv", "href"), StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task The_report_shows_its_areas_series_as_a_chart_and_a_table()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB", ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await using var map = new MapPage(await context.NewPageAsync(), context);
        var page = map.Page;
        await page.GotoAsync(new Uri(browser.BaseAddress, "/report.html?municipality=nis").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.Locator("#report-indicators canvas").WaitForAsync();
        Assert.True(await page.EvaluateAsync<int>(PaintedPixels, "#report-indicators") > 500);
        var answer = await SeriesAsync("municipality=nis");
        Assert.Equal(LastValue(answer, "settlements").ToString("#,##0", CultureInfo.GetCultureInfo("en-GB")), await CellAsync(page, "#report-indicators", "settlements"));
        Assert.Equal("Indicators over time", await page.TextContentAsync("#report-indicators-title"));
        Assert.Empty(map.ConsoleErrors);
    }
}
