using Microsoft.EntityFrameworkCore;
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

    /// <summary>The OGC API's HTML pages (no language of their own).</summary>
    private static readonly string[] OgcPages =
    [
        "/ogc?f=html", "/ogc/conformance?f=html", "/ogc/api?f=html", "/ogc/collections?f=html", "/ogc/collections/settlements?f=html",
        "/ogc/collections/settlements/queryables?f=html", "/ogc/collections/settlements/items?f=html&limit=5", "/ogc/collections/municipalities/items?f=html&limit=2",
    ];

    /// <summary>
    /// Every page in each language, anonymous and signed in as the administrator with a settlement's edit
    /// form open, and the OGC API's pages: no policy violation, no console error, no warning about a
    /// header (an unknown Permissions-Policy feature), nothing injected.
    /// </summary>
    [Theory]
    [InlineData("sr-Latn")]
    [InlineData("sr-Cyrl")]
    [InlineData("en")]
    public async Task Every_page_in_each_language_signed_in_or_not_violates_nothing(string language)
    {
        await using var db = browser.App.CreateContext();
        var settlement = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        await using var watched = await WatchedPage.OpenAsync(browser.Browser, At("/"));
        var page = watched.Page;
        // Chromium only warns of a header it cannot use (an unknown Permissions-Policy feature, say).
        var headerWarnings = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Policy", StringComparison.Ordinal) || message.Text.Contains("header", StringComparison.OrdinalIgnoreCase))
            {
                headerWarnings.Add(message.Type + ": " + message.Text);
            }
        };
        await page.ReloadAsync();
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.EvaluateAsync("lang => localStorage.setItem('settlementmap.language', lang)", language);

        async Task VisitAsync(string path, string step)
        {
            await page.GotoAsync(At(path).ToString());
            if (path.StartsWith("/#", StringComparison.Ordinal))
            {
                await page.ReloadAsync(); // from the map's own address a new hash alone would not load the page again
            }
            await page.EvaluateAsync("() => window.settlementMap.ready");
            Assert.Equal(language, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            await watched.AssertNothingRanAsync($"{step} in {language}");
        }

        await VisitAsync("/#map=13/43.321/21.9", "the map");
        await page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0");
        await VisitAsync("/report.html?municipality=nis", "the report");
        await VisitAsync("/import.html", "the import page, signed out");
        await VisitAsync("/coverage.html?municipality=nis", "the coverage page, signed out");

        await page.GotoAsync(At("/").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await watched.SignInAsync(DemoAccounts.AdministratorName, DemoAccounts.AdministratorPassword);
        await VisitAsync($"/#map=15/43.321/21.9&selected={settlement}", "the map, signed in");
        await page.Locator("#details-body dl").First.WaitForAsync();
        await page.ClickAsync("#edit-attributes");
        await page.Locator("#edit-form").WaitForAsync();
        await watched.AssertNothingRanAsync($"the edit form in {language}");
        await VisitAsync("/import.html", "the import page, signed in");
        await VisitAsync("/coverage.html?municipality=nis", "the coverage editor");

        foreach (var path in OgcPages)
        {
            var response = await page.GotoAsync(At(path).ToString());
            Assert.True(response?.Status == 200, $"{path}: {response?.Status}");
            await watched.AssertNothingRanAsync(path);
        }
        Assert.Empty(headerWarnings);
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
