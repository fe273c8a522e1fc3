using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data.Demo;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// Issue 25, item 1: a coordinator takes their municipality offline (offline.js), the browser loses its
/// network, and the page still starts from the service worker (sw.js) with the map, the settlements and their details.
/// </summary>
public sealed partial class OfflineTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static async Task<MapPage> SignedInAsNisAsync(BrowserFixture browser)
    {
        var map = await browser.OpenAsync();
        // Only a signed-in coordinator may take a copy.
        Assert.True(await map.Page.Locator("#offline-copy").IsHiddenAsync());
        await EditingPageTests.SignInAsync(map, DemoAccounts.CoordinatorPrefix + "nis", DemoAccounts.CoordinatorPassword);
        await map.ReadyAsync();
        await map.Page.Locator("#offline-take").WaitForAsync();
        return map;
    }

    private const string CopyName = "settlementmap-offline";

    /// <summary>A stored answer of the offline copy as text (null when absent).</summary>
    private static Task<string?> StoredAsync(MapPage map, string path) => map.Page.EvaluateAsync<string?>(
        "async ([name, path]) => { const r = await (await caches.open(name)).match(new URL(path, document.baseURI).href); return r ? r.text() : null; }",
        new[] { CopyName, path });

    [Fact]
    public async Task A_coordinator_takes_Nis_offline_and_after_a_reload_without_network_sees_the_map_the_settlements_and_their_details()
    {
        await using var db = browser.App.CreateContext();
        var nis = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Select(s => new { s.Id, s.NameLatn }).ToListAsync();
        Assert.NotEmpty(nis);
        await using var map = await SignedInAsNisAsync(browser);
        var page = map.Page;
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        Assert.Equal("Take Niš offline", await page.TextContentAsync("#offline-take"));
        Assert.True(await page.Locator("#offline-remove").IsHiddenAsync());

        // Every value the progress bar announces, in order.
        await page.EvaluateAsync("""
            () => { window.progressSeen = []; const bar = document.getElementById('offline-progress');
              new MutationObserver(() => { if (!bar.hidden) window.progressSeen.push(Number(bar.getAttribute('aria-valuenow'))); })
                .observe(bar, { attributes: true, attributeFilter: ['aria-valuenow', 'hidden'] }); }
            """);
        var clock = Stopwatch.StartNew();
        await page.ClickAsync("#offline-take");
        var taken = page.Locator("#offline-taken");
        await taken.WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        clock.Stop();
        var takenText = await taken.TextContentAsync() ?? "";
        Assert.Matches(TakenPattern(), takenText);
        Assert.Equal("progressbar", await page.GetAttributeAsync("#offline-progress", "role"));
        var progress = await page.EvaluateAsync<int[]>("() => window.progressSeen");
        Assert.Contains(100, progress);
        Assert.Equal(progress.Order().ToArray(), progress);
        Assert.True(await page.Locator("#offline-progress").IsHiddenAsync());
        Assert.True(await page.Locator("#offline-remove").IsVisibleAsync());

        var figures = await page.EvaluateAsync<JsonElement>("() => window.settlementMap.offlineTaken");
        var storedBytes = await page.EvaluateAsync<long>(
            "async (name) => { const c = await caches.open(name); let n = 0; for (const k of await c.keys()) n += (await (await c.match(k)).arrayBuffer()).byteLength; return n; }", CopyName);
        var tileCount = await page.EvaluateAsync<int>("async (name) => (await (await caches.open(name)).keys()).filter((r) => r.url.includes('/tiles/settlements/')).length", CopyName);
        output.WriteLine($"Offline copy of Niš: {figures.GetProperty("bytes").GetInt64()} bytes of answers ({storedBytes} bytes in the cache with its description), " +
            $"{figures.GetProperty("tiles").GetInt32()} tiles (z12–17), {figures.GetProperty("settlements").GetInt32()} settlements, " +
            $"taken in {figures.GetProperty("seconds").GetDouble():F1} s (click to date shown: {clock.Elapsed.TotalSeconds:F1} s)");
        Assert.Equal(figures.GetProperty("tiles").GetInt32(), tileCount);
        Assert.True(tileCount > 0);

        // What is stored is what the API answers this viewer now, and nothing of other municipalities' settlements.
        var layer = JsonDocument.Parse((await StoredAsync(map, "api/layers/settlements"))!).RootElement;
        var storedIds = layer.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetInt64()).Order().ToList();
        Assert.Equal(nis.Select(s => s.Id).ToList(), storedIds);
        var one = nis[nis.Count / 2];
        var live = await page.EvaluateAsync<string>("async (id) => (await fetch('api/settlements/' + id)).text()", one.Id);
        Assert.Equal(live, await StoredAsync(map, "api/settlements/" + one.Id));
        var me = JsonDocument.Parse((await StoredAsync(map, "api/auth/me"))!).RootElement;
        Assert.Equal("coord-nis", me.GetProperty("user_name").GetString());
        Assert.Equal("", me.GetProperty("csrf_token").GetString());

        await map.Context.SetOfflineAsync(true);
        // Really offline, also for the worker: an answer the copy lacks fails.
        Assert.True(await page.EvaluateAsync<bool>("() => fetch('api/layers/settlements/summary').then(() => false, () => true)"));
        await page.ReloadAsync();
        await map.ReadyAsync();
        await map.IdleAsync();

        Assert.True(await page.EvaluateAsync<bool>("() => navigator.serviceWorker.controller !== null"));
        Assert.Contains("coord-nis", await page.TextContentAsync("#account") ?? "", StringComparison.Ordinal);
        var counts = await page.EvaluateAsync<JsonElement>("() => window.settlementMap.counts");
        Assert.Equal(nis.Count, counts.GetProperty("settlements").GetInt32());
        Assert.True(counts.GetProperty("municipalities").GetInt32() > 100);
        Assert.True(await page.Locator("#map path.settlement, #map path.settlement-point").CountAsync() >= nis.Count);
        Assert.Equal(takenText, await taken.TextContentAsync());

        await page.ClickAsync($"#results button[data-id='{one.Id}']");
        await page.Locator("#details-body dl").First.WaitForAsync();
        Assert.Equal(one.NameLatn, await page.TextContentAsync("#details-title"));

        // Removing the copy takes it out of the Cache Storage.
        await map.Context.SetOfflineAsync(false);
        await page.ClickAsync("#offline-remove");
        await page.Locator("#offline-taken").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
        Assert.False(await page.EvaluateAsync<bool>("(name) => caches.has(name)", CopyName));
    }

    [Fact]
    public async Task A_copy_larger_than_the_limit_is_refused_with_a_message_before_anything_is_stored()
    {
        await using var map = await SignedInAsNisAsync(browser);
        var page = map.Page;
        await page.EvaluateAsync("() => { window.settlementMap.offlineLimit = 10240; }");
        await page.ClickAsync("#offline-take");
        var message = page.Locator("#offline-message.error");
        await message.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Matches(TooLargePattern(), await message.TextContentAsync() ?? "");
        Assert.False(await page.EvaluateAsync<bool>("(name) => caches.has(name)", CopyName));
        Assert.True(await page.Locator("#offline-taken").IsHiddenAsync());
        Assert.True(await page.Locator("#offline-progress").IsHiddenAsync());
        // The section speaks the page's language, the message included; Cyrillic keeps the place's own spelling.
        await page.SelectOptionAsync("#language", "sr-Cyrl");
        Assert.Equal("Преузми Ниш за рад без мреже", await page.TextContentAsync("#offline-take"));
        Assert.StartsWith("Копија за рад без мреже заузела би око ", await message.TextContentAsync() ?? "", StringComparison.Ordinal);
        await page.SelectOptionAsync("#language", "sr-Latn");
        Assert.StartsWith("Kopija za rad bez mreže zauzela bi oko ", await message.TextContentAsync() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_removes_the_copy_a_signed_in_viewer_took()
    {
        await using var map = await SignedInAsNisAsync(browser);
        var page = map.Page;
        await page.ClickAsync("#offline-take");
        await page.Locator("#offline-taken").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        Assert.True(await page.EvaluateAsync<bool>("(name) => caches.has(name)", CopyName));
        await page.ClickAsync("#sign-out");
        await page.Locator("#sign-in").WaitForAsync();
        await map.ReadyAsync();
        var removed = false;
        for (var i = 0; i < 50 && !removed; i++)
        {
            removed = !await page.EvaluateAsync<bool>("(name) => caches.has(name)", CopyName);
            if (!removed)
            {
                await Task.Delay(100);
            }
        }
        Assert.True(removed, "the copy is still stored after signing out");
        Assert.True(await page.Locator("#offline-copy").IsHiddenAsync());
    }

    [GeneratedRegex(@"^Offline copy of Niš taken \d{4}-\d{2}-\d{2} \d{2}:\d{2}$")]
    private static partial Regex TakenPattern();

    [GeneratedRegex(@"^The offline copy would take about \d+\.\d\d MB, more than the limit of 0\.01 MB: nothing was stored\.$")]
    private static partial Regex TooLargePattern();
}

/// <summary>The same at scale: the map draws vector tiles, and offline the worker serves them from the copy.</summary>
public sealed class OfflineTiledTests(TiledBrowserFixture browser) : IClassFixture<TiledBrowserFixture>
{
    [Fact]
    public async Task Offline_the_tiles_of_the_copy_draw_the_coordinators_settlements()
    {
        await using var db = browser.App.CreateContext();
        var nis = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).ToListAsync();
        var ids = nis.Select(s => s.Id).ToHashSet();
        var centre = nis[0].Geom.Centroid;
        var hash = FormattableString.Invariant($"#map=15/{centre.Y:F5}/{centre.X:F5}");
        await using var map = await browser.OpenAsync(hash);
        var page = map.Page;
        await EditingPageTests.SignInAsync(map, DemoAccounts.CoordinatorPrefix + "nis", DemoAccounts.CoordinatorPassword);
        await map.ReadyAsync();
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await page.ClickAsync("#offline-take");
        await page.Locator("#offline-taken").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });

        await map.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await map.ReadyAsync();
        await page.WaitForFunctionAsync("(ids) => window.settlementMap.drawnTileFeatures().some(f => ids.includes(f.id))", ids.ToArray());
        await page.WaitForFunctionAsync("() => !window.settlementMap.tilesLoading()");
        var drawn = await page.EvaluateAsync<long[]>("() => window.settlementMap.drawnTileFeatures().map(f => f.id)");
        Assert.Contains(nis[0].Id, drawn);
        // Every tile in view came from the worker: drawn from the copy, or empty where the copy has none (never an error).
        Assert.DoesNotContain("Could not load the map data", await page.TextContentAsync("#status") ?? "", StringComparison.Ordinal);
    }
}
