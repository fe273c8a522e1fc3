using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Browser;

/// <summary>The page in Debian's headless Chromium, driven by Microsoft.Playwright (no browser download).</summary>
public sealed class MapPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static string ScreenshotDirectory { get; } = Path.Combine(PostgisServer.Paths.Root, "tests", "SettlementMap.Tests", "artifacts");

    [Fact]
    public async Task The_map_draws_every_settlement_polygon_without_console_errors_and_a_screenshot_is_saved()
    {
        var baseAddress = app.Factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(ChromiumOptions());
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);

        await page.GotoAsync(baseAddress.ToString());
        var counts = await page.EvaluateAsync<Dictionary<string, int>>("() => window.settlementMap.ready");
        await using var db = app.CreateContext();
        var settlementCount = db.Settlements.Count();

        Assert.Equal(settlementCount, counts["settlements"]);
        Assert.Equal(db.Municipalities.Count(), counts["municipalities"]);
        // Leaflet's SVG renderer draws one <path class="settlement"> per polygon layer.
        Assert.Equal(settlementCount, await page.Locator("path.settlement").CountAsync());
        Assert.True(await page.Locator("path.settlement-point").CountAsync() > 0, "markers stand in for settlements at country zoom");
        Assert.Contains("Demo data", await page.Locator("#data-notice").TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty(consoleErrors);

        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, "map-default.png");
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(png.Length > 20_000, $"a drawn map is not a near-empty PNG ({png.Length} bytes)");
    }

    [Fact]
    public async Task A_popup_shows_settlement_text_as_text()
    {
        const string hostile = "<img src=x onerror=\"window.__xss = 1\">";
        await using (var db = app.CreateContext())
        {
            var settlement = db.Settlements.OrderBy(s => s.Id).First();
            settlement.NameLatn = hostile;
            await db.SaveChangesAsync();
        }
        var baseAddress = app.Factory.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(ChromiumOptions());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseAddress.ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        // Markers are added in layer order (by id), so the first one is the renamed settlement.
        await page.Locator("path.settlement-point").First.DispatchEventAsync("click");
        var title = page.Locator(".popup h2").First;
        await title.WaitForAsync();
        Assert.Equal(hostile, await title.TextContentAsync());
        Assert.Equal(0, await page.Locator(".popup img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
    }

    internal static BrowserTypeLaunchOptions ChromiumOptions() => new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    };
}
