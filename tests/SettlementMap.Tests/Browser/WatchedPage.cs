using System.Text.Json;
using Microsoft.Playwright;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// A page in a context of its own, watched from before any of its scripts run: a script that ran
/// (window.__xss, a dialog), an element with an inline handler or an injected script or iframe, a
/// Content-Security-Policy violation, a page error or a console error all make AssertNothingRanAsync fail.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly List<string> _events;

    private WatchedPage(IPage page, List<string> events) => (Page, _events) = (page, events);

    public IPage Page { get; }

    public static async Task<WatchedPage> OpenAsync(IBrowser browser, Uri address)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "en-GB" });
        var events = new List<string>();
        // Reported to the test as they happen, so nothing is lost when the page navigates.
        await context.ExposeFunctionAsync("__report", (string what) => events.Add(what));
        await context.AddInitScriptAsync("""
            window.__xss = { push: (tag) => window.__report('script ran: ' + tag) };
            document.addEventListener('securitypolicyviolation', (e) => window.__report('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));
            """);
        var watched = new WatchedPage(await context.NewPageAsync(), events);
        watched.Page.Dialog += async (_, dialog) =>
        {
            events.Add("dialog: " + dialog.Message);
            await dialog.DismissAsync();
        };
        watched.Page.PageError += (_, error) => events.Add("page error: " + error);
        watched.Page.Console += (_, message) =>
        {
            // The configured base map cannot be reached offline, and the import's printable report names no icon: both are expected.
            if (message.Type == "error" && !message.Location.Contains("tile.openstreetmap.org", StringComparison.Ordinal) && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                events.Add("console: " + message.Text + " at " + message.Location);
            }
        };
        await watched.Page.GotoAsync(address.ToString());
        return watched;
    }

    /// <summary>A watched page on the map, signed in as the administrator, then at the path (the import page, the coverage editor).</summary>
    public static async Task<WatchedPage> OpenAsAdministratorAsync(IBrowser browser, Uri baseAddress, string path)
    {
        var watched = await OpenAsync(browser, baseAddress);
        await watched.Page.EvaluateAsync("() => window.settlementMap.ready");
        await watched.SignInAsync(DemoAccounts.AdministratorName, DemoAccounts.AdministratorPassword);
        await watched.Page.GotoAsync(new Uri(baseAddress, path).ToString());
        return watched;
    }

    /// <summary>Signs in with the map page's dialog.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        await Page.ClickAsync("#sign-in");
        await Page.FillAsync("#sign-in-user", userName);
        await Page.FillAsync("#sign-in-password", password);
        await Page.ClickAsync("#sign-in-submit");
        await Page.Locator("#sign-out").WaitForAsync();
    }

    /// <summary>Fails if anything ran, was injected or was refused since the page opened.</summary>
    public async Task AssertNothingRanAsync(string step)
    {
        var found = await Page.EvaluateAsync<JsonElement>("""
            () => ({
              handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).map((e) => e.tagName),
              injected: [...document.querySelectorAll('script:not([src]), iframe, img[src=x], foreignObject')].map((e) => e.tagName),
            })
            """);
        Assert.True(
            found.GetProperty("handlers").GetArrayLength() == 0 && found.GetProperty("injected").GetArrayLength() == 0 && _events.Count == 0,
            $"{step}: {found} {string.Join(" | ", _events)}");
    }

    public async ValueTask DisposeAsync() => await Page.Context.DisposeAsync();
}
