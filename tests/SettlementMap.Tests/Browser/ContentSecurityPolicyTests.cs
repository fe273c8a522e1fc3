using Microsoft.Playwright;
using SettlementMap.Tests.Import;
using SettlementMap.Web.Data.Demo;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Browser;

/// <summary>The map at scale (vector tiles drawn by a worker) with the default base map configured (unreachable offline).</summary>
public sealed class PolicyBrowserFixture(IMessageSink messageSink) : BrowserFixture(messageSink, new Dictionary<string, string>
{
    ["Map:TileThreshold"] = "100",
    ["Map:BaseLayer:Url"] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    ["Map:BaseLayer:Attribution"] = "© OpenStreetMap contributors",
});

/// <summary>
/// Every page used under the strict Content-Security-Policy with no violation: the map drawing
/// vector tiles in its worker with a base map asked for, selection, overlays, languages, drawing
/// with Leaflet-Geoman, the report, the import page and the coverage editor. (The GeoJSON map,
/// outline editing and every tooltip are used under the policy by HostileTextTests.)
/// </summary>
public sealed class ContentSecurityPolicyTests(PolicyBrowserFixture browser) : IClassFixture<PolicyBrowserFixture>
{
    private Uri At(string path) => new(browser.BaseAddress, path);

    [Fact]
    public async Task Using_every_page_violates_nothing()
    {
        await using var watched = await WatchedPage.OpenAsync(browser.Browser, At("/#map=13/43.321/21.9"));
        var page = watched.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        Assert.StartsWith("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org;",
            await page.EvaluateAsync<string>("async () => (await fetch(location.href)).headers.get('content-security-policy')"), StringComparison.Ordinal);
        await page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0");
        await Assertions.Expect(page.Locator(".leaflet-control-attribution")).ToHaveTextAsync("© OpenStreetMap contributors");
        // The base map was asked for (and allowed: its tiles fail offline, they are not refused).
        await page.WaitForFunctionAsync("() => document.querySelectorAll('img.leaflet-tile').length > 0");
        await watched.AssertNothingRanAsync("the tiled map");

        // A settlement selected on a tile, an overlay, a choropleth, the other script.
        var feature = await (await page.WaitForFunctionAsync("""
            () => {
              const m = document.getElementById('map').getBoundingClientRect();
              const f = window.settlementMap.drawnTileFeatures().find((f) => f.inside && f.x > m.left + 60 && f.x < m.right - 400 && f.y > m.top + 60 && f.y < m.bottom - 300);
              return f && [f.x, f.y];
            }
            """)).JsonValueAsync<float[]>();
        await page.Mouse.ClickAsync(feature[0], feature[1]);
        await page.Locator("#details-body dl").First.WaitForAsync();
        await page.CheckAsync("#overlay-gap");
        await page.SelectOptionAsync("#choropleth", "settlement_count");
        await page.SelectOptionAsync("#language", "sr-Cyrl");
        await page.SelectOptionAsync("#language", "en");
        await page.FillAsync("#search-input", "Niš");
        await page.Locator("#search-results li").First.WaitForAsync();
        await page.Keyboard.PressAsync("Escape");
        await watched.AssertNothingRanAsync("selecting, overlays, languages and search");

        // An administrator draws an outline with Leaflet-Geoman.
        await watched.SignInAsync(DemoAccounts.AdministratorName, DemoAccounts.AdministratorPassword);
        await page.ClickAsync("#details-close");
        await page.ClickAsync("#draw-settlement");
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        float x = box.X + (box.Width / 3), y = box.Y + (box.Height / 2);
        foreach (var (dx, dy) in new[] { (0, 0), (60, 0), (60, 50), (0, 50), (0, 0) })
        {
            await page.Mouse.ClickAsync(x + dx, y + dy);
        }
        await page.Locator("#new-form").WaitForAsync();
        await page.ClickAsync("#new-cancel");
        await watched.AssertNothingRanAsync("drawing");

        await page.GotoAsync(At("/report.html?municipality=nis").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        await watched.AssertNothingRanAsync("the report");

        var spot = (await ImportSteps.FreeSpotsAsync(browser.App.ConnectionString, "nis", 1))[0];
        var file = Path.Combine(Directory.CreateTempSubdirectory("policy-import-").FullName, "one.geojson");
        await File.WriteAllTextAsync(file, ImportSteps.FeatureCollection((ImportSteps.Square(spot.Lon, spot.Lat), new { šifra = "CSP-001", naziv = "Jedna", opština = "nis" })));
        await page.GotoAsync(At("/import.html").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.SetInputFilesAsync("#file", file);
        await page.ClickAsync("#check");
        await Assertions.Expect(page.Locator("#report")).ToBeVisibleAsync();
        await watched.AssertNothingRanAsync("the import page");

        await page.GotoAsync(At("/coverage.html?municipality=nis").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.FillAsync("#f-count", "2");
        await page.FillAsync("#f-source", "CSP test");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#message")).ToHaveClassAsync("");
        await Assertions.Expect(page.Locator("#records td", new PageLocatorOptions { HasText = "CSP test" })).ToHaveCountAsync(1);
        await watched.AssertNothingRanAsync("the coverage editor");
    }

    [Fact]
    public async Task The_watch_sees_what_the_policy_refuses()
    {
        await using var watched = await WatchedPage.OpenAsync(browser.Browser, At("/report.html?municipality=nis"));
        await watched.Page.EvaluateAsync("() => window.settlementMap.ready");
        await watched.AssertNothingRanAsync("the report");
        // Markup the pages never write, written here: its handler and its style attribute are refused.
        await watched.Page.EvaluateAsync("""
            () => {
              const box = document.createElement('div');
              box.setAttribute('style', 'color: red');
              document.body.append(box);
              document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="__xss.push(1)">');
            }
            """);
        await watched.Page.WaitForTimeoutAsync(500); // the reports come back to the test asynchronously
        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => watched.AssertNothingRanAsync("markup written"));
        Assert.Contains("CSP violation: style-src-attr", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CSP violation: script-src-attr", failure.Message, StringComparison.Ordinal);
    }
}
