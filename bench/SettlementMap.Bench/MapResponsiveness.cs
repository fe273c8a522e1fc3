using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Npgsql;

namespace SettlementMap.Bench;

/// <summary>
/// The map at 100k settlements (vector tiles) in Debian's headless Chromium, driven by
/// Microsoft.Playwright as a person would: open it at zoom 8 over Serbia, wait for the first tile
/// outlines, then pan by mouse drags and zoom with the zoom buttons from z8 to z14 and back, while a
/// requestAnimationFrame loop records every frame. A long frame is the main thread busy (parsing
/// and drawing tiles); the figures are the frame intervals and the tile responses seen by the page.
/// </summary>
public static class MapResponsiveness
{
    private const string FrameRecorder = """
        window.__bench = { frames: [], recording: false, longTasks: [] };
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
        (function tick(t) {
          if (window.__bench.recording) window.__bench.frames.push(t);
          requestAnimationFrame(tick);
        })(0);
        """;

    public static async Task<int> RunAsync(Uri baseAddress, string directory, string? connection)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "en-GB" });
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        page.PageError += (_, error) => errors.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Enqueue(message.Text);
            }
        };
        var tileTimes = new ConcurrentQueue<double>();
        page.RequestFinished += (_, request) =>
        {
            if (request.Url.Contains("/tiles/settlements/", StringComparison.Ordinal))
            {
                tileTimes.Enqueue(request.Timing.ResponseEnd);
            }
        };
        await page.AddInitScriptAsync(FrameRecorder);

        var watch = Stopwatch.StartNew();
        await page.GotoAsync(new Uri(baseAddress, OpeningView).ToString());
        await WaitForFirstSettlementAsync(page);
        Figures.Add(directory, "map.first_paths_ms", watch.Elapsed.TotalMilliseconds);
        await WaitForTilesAsync(page);
        Figures.Add(directory, "map.first_idle_ms", watch.Elapsed.TotalMilliseconds);
        tileTimes.Clear();
        await InteractAsync(page, directory, "map", tileTimes, errors);

        // The same again after a reload at the opening view: the tiles now come from the server's response
        // cache (304s to the browser's revalidation), as they do for every user after the first since the
        // last edit.
        await ReloadAndInteractAsync(page, directory, "map.warm", tileTimes, errors);

        if (connection is not null)
        {
            // The first visit after an edit: one settlement in the opening view changed (as a coordinator's
            // save does), then the same pans and zooms. Only the tiles the edit reaches are built again.
            await using (var database = new NpgsqlConnection(connection))
            {
                await database.OpenAsync();
                await using var edit = new NpgsqlCommand(
                    "UPDATE settlements SET households = COALESCE(households, 0) + 1 WHERE id = (SELECT id FROM settlements ORDER BY geom <-> ST_SetSRID(ST_MakePoint(20.9, 44.0), 4326) LIMIT 1)",
                    database);
                if (await edit.ExecuteNonQueryAsync() != 1)
                {
                    throw new BenchException("The edit before the map's last pass changed no settlement.");
                }
            }
            await page.WaitForTimeoutAsync(500); // the app hears of it by PostgreSQL's notification
            await ReloadAndInteractAsync(page, directory, "map.edited", tileTimes, errors);
        }
        return 0;
    }

    /// <summary>Where every pass starts: zoom 8 over central Serbia.</summary>
    private const string OpeningView = "/#map=8/44.0/20.9";

    /// <summary>
    /// Another pass: a reload at the opening view, then the same pans and zooms. The page writes its
    /// position into the address as it moves, so a plain reload would start where the last pass ended
    /// and pan over other tiles.
    /// </summary>
    private static async Task ReloadAndInteractAsync(IPage page, string directory, string prefix, ConcurrentQueue<double> tileTimes, ConcurrentQueue<string> errors)
    {
        await page.EvaluateAsync("view => history.replaceState(null, '', view)", OpeningView);
        await page.ReloadAsync();
        await WaitForFirstSettlementAsync(page);
        await WaitForTilesAsync(page);
        tileTimes.Clear();
        await InteractAsync(page, directory, prefix, tileTimes, errors);
    }

    /// <summary>Until the page is ready and the tiles have drawn a settlement.</summary>
    private static async Task WaitForFirstSettlementAsync(IPage page)
    {
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.WaitForFunctionAsync("() => window.settlementMap.drawnTileFeatures().length > 0", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 50 });
    }

    /// <summary>
    /// Until every tile in view is drawn. Not Playwright's "network idle": the tiles' requests come from
    /// the page's worker, and a worker's request can keep that state from ever arriving.
    /// </summary>
    private static async Task WaitForTilesAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => !window.settlementMap.tilesLoading()", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 50 });

    /// <summary>The pans and zooms, with the frame, long-task and tile figures under <paramref name="prefix"/>.</summary>
    private static async Task InteractAsync(IPage page, string directory, string prefix, ConcurrentQueue<double> tileTimes, ConcurrentQueue<string> errors)
    {
        var box = await page.Locator("#map").BoundingBoxAsync() ?? throw new BenchException("The page has no #map.");
        // Right of the middle: clear of the panel on the left.
        var (x, y) = (box.X + (box.Width * 0.65), box.Y + (box.Height * 0.5));
        Figures.Add(directory, prefix + ".longtasks_load_ms", await page.EvaluateAsync<double>("() => window.__bench.longTasks.reduce((sum, t) => sum + t.duration, 0)"));
        await page.EvaluateAsync("() => { window.__bench.frames = []; window.__bench.longTasks = []; window.__bench.recording = true; }");
        var interaction = Stopwatch.StartNew();
        (int Dx, int Dy)[] drags = [(300, 0), (0, 200), (-300, 0), (0, -200), (200, 150)];
        foreach (var (dx, dy) in drags)
        {
            await DragAsync(page, x, y, dx, dy);
        }
        foreach (var (zoomIns, moves) in new[] { (4, 3), (2, 2) }) // z8 → z12, three drags; z12 → z14, two drags
        {
            for (var i = 0; i < zoomIns; i++)
            {
                await ZoomAsync(page, "in");
            }
            foreach (var (dx, dy) in drags.Take(moves))
            {
                await DragAsync(page, x, y, dx, dy);
            }
        }
        for (var i = 0; i < 6; i++)
        {
            await ZoomAsync(page, "out");
        }
        await WaitForTilesAsync(page);
        await page.WaitForTimeoutAsync(300);
        interaction.Stop();
        var frames = await page.EvaluateAsync<double[]>("() => { window.__bench.recording = false; return window.__bench.frames; }");
        Figures.Add(directory, prefix + ".longtasks_interaction_ms", await page.EvaluateAsync<double>("() => window.__bench.longTasks.reduce((sum, t) => sum + t.duration, 0)"));
        var view = await page.EvaluateAsync<string>("() => JSON.stringify(window.settlementMap.view.map)");
        var paths = await page.EvaluateAsync<int>("() => window.settlementMap.drawnTileFeatures().length");

        var intervals = frames.Zip(frames.Skip(1), (a, b) => b - a).ToList();
        if (intervals.Count < 10)
        {
            throw new BenchException($"Only {frames.Length} frames were recorded.");
        }
        Figures.Add(directory, prefix + ".interaction_s", interaction.Elapsed.TotalSeconds);
        Figures.Add(directory, prefix + ".frames", frames.Length);
        Figures.Add(directory, prefix + ".frame_median_ms", Stats.Median(intervals));
        Figures.Add(directory, prefix + ".frame_p95_ms", Stats.Quantile(intervals, 0.95));
        Figures.Add(directory, prefix + ".frame_max_ms", intervals.Max());
        Figures.Add(directory, prefix + ".frames_over_50ms", intervals.Count(i => i > 50));
        Figures.Add(directory, prefix + ".tiles_loaded", tileTimes.Count);
        Figures.Add(directory, prefix + ".tile_median_ms", Stats.Median(tileTimes));
        Figures.Add(directory, prefix + ".tile_p95_ms", Stats.Quantile(tileTimes, 0.95));
        Figures.Add(directory, prefix + ".final_view", view);
        Figures.Add(directory, prefix + ".paths_drawn", paths);
        Figures.Add(directory, prefix + ".errors", errors.IsEmpty ? "none" : string.Join(" | ", errors.Distinct()));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}: {frames.Length} frames in {interaction.Elapsed.TotalSeconds:0.0} s, median {Stats.Median(intervals):0.0} ms, p95 {Stats.Quantile(intervals, 0.95):0.0} ms, max {intervals.Max():0} ms; {tileTimes.Count} tiles; view {view}"));
    }

    /// <summary>A mouse drag of (dx, dy) pixels in 15 steps a frame apart, then a pause as a person would make.</summary>
    private static async Task DragAsync(IPage page, double x, double y, int dx, int dy)
    {
        await page.Mouse.MoveAsync((float)x, (float)y);
        await page.Mouse.DownAsync();
        const int Steps = 15;
        for (var step = 1; step <= Steps; step++)
        {
            await page.Mouse.MoveAsync((float)(x + (dx * step / (double)Steps)), (float)(y + (dy * step / (double)Steps)));
            await page.WaitForTimeoutAsync(16);
        }
        await page.Mouse.UpAsync();
        await page.WaitForTimeoutAsync(250);
    }

    private static async Task ZoomAsync(IPage page, string direction)
    {
        await page.ClickAsync($".leaflet-control-zoom-{direction}");
        await page.WaitForTimeoutAsync(400);
    }
}
