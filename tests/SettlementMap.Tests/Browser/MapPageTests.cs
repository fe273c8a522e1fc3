using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Browser;

/// <summary>The default view, and text from the data staying text, in Debian's headless Chromium.</summary>
public sealed class MapPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static string ScreenshotDirectory { get; } = Path.Combine(PostgisServer.Paths.Root, "tests", "SettlementMap.Tests", "artifacts");

    [Fact]
    public async Task The_default_view_draws_every_settlement_and_the_saved_screenshot_is_not_blank()
    {
        await using var map = await browser.OpenAsync();
        var counts = await map.Page.EvaluateAsync<Dictionary<string, int>>("() => window.settlementMap.counts");
        await using var db = browser.App.CreateContext();
        var settlementCount = db.Settlements.Count();

        Assert.Equal(settlementCount, counts["settlements"]);
        Assert.Equal(settlementCount, counts["total"]);
        Assert.Equal(db.Municipalities.Count(), counts["municipalities"]);
        // At country zoom a marker stands in for each settlement (Leaflet draws one SVG path each).
        Assert.Equal(settlementCount, await map.Page.Locator("path.settlement-point").CountAsync());
        Assert.Equal(db.Municipalities.Count(), await map.Page.Locator("path.municipality").CountAsync());
        Assert.Contains("Demo data", await map.Page.Locator("#data-notice").TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);

        Directory.CreateDirectory(ScreenshotDirectory);
        var png = await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, "map-default.png") });
        // Not blank: the browser decodes the PNG and counts the colours on a 40 px grid.
        var colours = await map.Page.EvaluateAsync<int>("""
            async (b64) => {
              // Decoded without fetch: the Content-Security-Policy allows requests to this origin only.
              const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
              const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
              const canvas = new OffscreenCanvas(image.width, image.height);
              const context = canvas.getContext('2d');
              context.drawImage(image, 0, 0);
              const seen = new Set();
              for (let y = 0; y < image.height; y += 40) for (let x = 0; x < image.width; x += 40) seen.add(context.getImageData(x, y, 1, 1).data.join());
              return seen.size;
            }
            """, Convert.ToBase64String(png));
        Assert.True(colours >= 8, $"the screenshot has {colours} distinct colours on the sample grid");
    }

    [Fact]
    public async Task Settlement_names_with_markup_show_as_text_in_the_list_the_details_and_the_search()
    {
        const string hostile = "<img src=x onerror=\"window.__xss = 1\">";
        long id;
        await using (var db = browser.App.CreateContext())
        {
            var settlement = db.Settlements.OrderBy(s => s.Id).First();
            settlement.NameLatn = hostile;
            settlement.NameCyrl = hostile + " ћ";
            settlement.Source = "<script>window.__xss = 2</script>";
            await db.SaveChangesAsync();
            id = settlement.Id;
        }
        await using var map = await browser.OpenAsync();
        var listed = map.Page.Locator($"#results button[data-id='{id}'] .name");
        Assert.Equal(hostile, await listed.TextContentAsync());

        await listed.ClickAsync();
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        Assert.Equal(hostile, await map.Page.TextContentAsync("#details-title"));
        Assert.Equal("<script>window.__xss = 2</script>", await map.Page.TextContentAsync("#details-body [data-field=source]"));

        await map.Page.FillAsync("#search-input", "img src");
        var found = map.Page.Locator($"#search-results li[data-id='{id}'] .name");
        await found.WaitForAsync();
        Assert.Equal(hostile, await found.TextContentAsync());

        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        Assert.Equal(hostile + " ћ", await map.Page.TextContentAsync("#details-title"));

        Assert.Equal(0, await map.Page.Locator("#results img, #details img, #search-results img, #panel script, #details script").CountAsync());
        Assert.Null(await map.Page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        Assert.Empty(map.ConsoleErrors);
    }
}
