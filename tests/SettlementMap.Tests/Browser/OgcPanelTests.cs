using System.Text.Json;

namespace SettlementMap.Tests.Browser;

/// <summary>The map's "Use in QGIS / GDAL" section: the OGC API's absolute address and how to open it, in each language.</summary>
public sealed class OgcPanelTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("en", "Use in QGIS / GDAL", "then paste this address")]
    [InlineData("sr-Latn", "Koristi u QGIS / GDAL", "pa nalepite ovu adresu")]
    [InlineData("sr-Cyrl", "Користи у QGIS / GDAL", "па налепите ову адресу")]
    public async Task The_panel_shows_the_absolute_OGC_API_address_and_a_two_line_how_to(string language, string title, string pasteWords)
    {
        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "en-GB" });
        await context.AddInitScriptAsync($"localStorage.setItem('settlementmap.language', '{language}')");
        var page = await context.NewPageAsync();
        await page.GotoAsync(browser.BaseAddress.ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");

        var expected = new Uri(browser.BaseAddress, "/ogc").ToString();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#ogc-panel")).ToBeVisibleAsync();
        Assert.Equal(title, await page.TextContentAsync("#ogc-title"));
        Assert.Equal(expected, await page.InputValueAsync("#ogc-url"));
        Assert.True(Uri.IsWellFormedUriString(expected, UriKind.Absolute));
        Assert.Contains("QGIS: Layer → Add Layer → Add WFS / OGC API – Features Layer…", await page.TextContentAsync("#ogc-qgis"), StringComparison.Ordinal);
        Assert.Contains(pasteWords, await page.TextContentAsync("#ogc-qgis"), StringComparison.Ordinal);
        Assert.Equal($"ogr2ogr -f GPKG out.gpkg \"OAPIF:{expected}\"", await page.TextContentAsync("#ogc-gdal"));
        Assert.True(await page.IsVisibleAsync("#ogc-url"));

        // The address is the service's landing page, which links its collections.
        using var client = browser.App.Factory.CreateClient();
        using var landing = JsonDocument.Parse(await client.GetStringAsync(new Uri(new Uri(expected).PathAndQuery, UriKind.Relative)));
        Assert.Contains(landing.RootElement.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "data");
    }
}
