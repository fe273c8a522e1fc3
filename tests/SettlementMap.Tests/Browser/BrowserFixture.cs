using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The application over a fresh copy of the demo database, served on a loopback port, and one
/// Debian Chromium driven by Microsoft.Playwright (no browser download). Each test opens its own
/// browser context, so storage and language choices never leak between tests.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private readonly AppFixture _app;

    /// <summary>The constructor xunit calls for a class fixture.</summary>
    public BrowserFixture(IMessageSink messageSink)
        : this(messageSink, null)
    {
    }

    protected BrowserFixture(IMessageSink messageSink, IReadOnlyDictionary<string, string>? settings) => _app = new AppFixture(messageSink, settings);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public AppFixture App => _app;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Fixture not initialised.");

    public virtual async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        BaseAddress = _app.Factory.StartKestrel();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(ChromiumOptions());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>A new context and page on the map, waited until the first data is drawn; console errors are collected.</summary>
    public async Task<MapPage> OpenAsync(string hash = "", int width = 1280, int height = 800, IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        var map = new MapPage(page, context);
        await page.GotoAsync(new Uri(BaseAddress, "/" + hash).ToString());
        await map.ReadyAsync();
        return map;
    }

    public static BrowserTypeLaunchOptions ChromiumOptions() => new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    };
}

/// <summary>One page of the map with the few reads and waits the tests share.</summary>
public sealed class MapPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    public MapPage(IPage page, IBrowserContext context)
    {
        Page = page;
        Context = context;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _errors.Add(error);
    }

    public IPage Page { get; }

    public IBrowserContext Context { get; }

    public IReadOnlyList<string> ConsoleErrors => _errors;

    public Task ReadyAsync() => Page.EvaluateAsync("() => window.settlementMap.ready");

    /// <summary>Waits until the latest settlements request has been drawn.</summary>
    public async Task IdleAsync()
    {
        await Page.EvaluateAsync("() => window.settlementMap.idle()");
        await Page.WaitForFunctionAsync("() => !document.body.dataset.loading");
    }

    public async Task<int> ShownCountAsync() => int.Parse(await Page.GetAttributeAsync("#count", "data-shown") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Legend rows of one block ("settlements" or "municipalities"): class key → (colour, count).</summary>
    public async Task<Dictionary<string, (string Colour, int Count)>> LegendAsync(string block)
    {
        var rows = await Page.EvaluateAsync<LegendRow[]>(
            "block => [...document.querySelectorAll(`.legend [data-legend='${block}'] li`)].map(li => ({ key: li.dataset.class, colour: li.dataset.colour, count: li.querySelector('.count').textContent }))",
            block);
        return rows.ToDictionary(r => r.Key, r => (r.Colour, int.Parse(r.Count.Replace(",", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>How many settlement markers are drawn in each fill colour.</summary>
    public async Task<Dictionary<string, int>> MarkerFillsAsync()
    {
        var fills = await Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('path.settlement-point')].map(p => p.getAttribute('fill'))");
        return fills.GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private sealed class LegendRow
    {
        public string Key { get; set; } = "";
        public string Colour { get; set; } = "";
        public string Count { get; set; } = "";
    }
}

/// <summary>The same, with the map switching to vector tiles above 100 settlements (the demo has about 600).</summary>
public sealed class TiledBrowserFixture(IMessageSink messageSink)
    : BrowserFixture(messageSink, new Dictionary<string, string> { ["Map:TileThreshold"] = "100" });
