using Microsoft.Playwright;
using SettlementMap.Web.Data.Demo;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The map with the default base map configured, whose tiles never arrive (each request is aborted, as
/// offline): the page then says so in its offline note. New contexts come with that route.
/// </summary>
public sealed class OfflineBaseMapFixture(IMessageSink messageSink) : BrowserFixture(messageSink, new Dictionary<string, string>
{
    ["Map:BaseLayer:Url"] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    ["Map:BaseLayer:Attribution"] = "© OpenStreetMap contributors",
})
{
    private int _abortedTiles;

    /// <summary>Base-map tiles refused so far, in every context of this fixture.</summary>
    public int AbortedTiles => Volatile.Read(ref _abortedTiles);

    public async Task<IBrowserContext> NewContextAsync(ViewportSize viewport, string? language = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, Locale = "en-GB" });
        await context.RouteAsync("https://tile.openstreetmap.org/**", async route =>
        {
            Interlocked.Increment(ref _abortedTiles);
            await route.AbortAsync("internetdisconnected");
        });
        if (language is not null)
        {
            await context.AddInitScriptAsync($"localStorage.setItem('settlementmap.language', '{language}')");
        }
        return context;
    }

    /// <summary>Signs in as the demo administrator through the map page's dialog (the page is on the map).</summary>
    public static async Task SignInAsAdministratorAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#sign-in-user", DemoAccounts.AdministratorName);
        await page.FillAsync("#sign-in-password", DemoAccounts.AdministratorPassword);
        await page.ClickAsync("#sign-in-submit");
        await page.Locator("#sign-out").WaitForAsync();
    }
}

/// <summary>The map and the pages with tables on a 390×844 phone screen.</summary>
public sealed class PhoneTests(OfflineBaseMapFixture browser) : IClassFixture<OfflineBaseMapFixture>
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private async Task<IPage> OpenMapAsync(IBrowserContext context, string hash = "")
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(browser.BaseAddress, "/" + hash).ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        return page;
    }

    /// <summary>Whether the element shows all its content: nothing cut at its edges, and itself inside the screen.</summary>
    private const string Whole = """
        (selector) => {
          const e = document.querySelector(selector);
          const r = e.getBoundingClientRect();
          return { text: e.textContent, scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, scrollHeight: e.scrollHeight, clientHeight: e.clientHeight,
                   inside: r.left >= 0 && r.right <= innerWidth + 0.5 && r.top >= 0 && r.bottom <= innerHeight };
        }
        """;

    [Theory]
    [InlineData("en", "Not real survey data.")]
    [InlineData("sr-Cyrl", "Нису стварни подаци са терена.")]
    [InlineData("sr-Latn", "Nisu stvarni podaci sa terena.")]
    public async Task The_demo_notice_and_the_title_are_shown_whole(string language, string noticeEnd)
    {
        await using var context = await browser.NewContextAsync(Phone, language);
        var page = await OpenMapAsync(context);
        foreach (var selector in new[] { "#data-notice", ".top h1" })
        {
            var shown = await page.EvaluateAsync<WholeResult>(Whole, selector);
            Assert.True(shown.ScrollWidth <= shown.ClientWidth && shown.ScrollHeight <= shown.ClientHeight && shown.Inside,
                $"{selector} is cut: scroll {shown.ScrollWidth}×{shown.ScrollHeight}, client {shown.ClientWidth}×{shown.ClientHeight}, inside the screen: {shown.Inside}");
        }
        Assert.EndsWith(noticeEnd, await page.TextContentAsync("#data-notice"), StringComparison.Ordinal);
        // The notice's last words are on the screen, not behind an ellipsis or the map.
        var end = await page.EvaluateAsync<double[]>("""
            () => { const n = document.getElementById('data-notice').firstChild; const r = document.createRange();
                    r.setStart(n, n.length - 5); r.setEnd(n, n.length); const b = r.getBoundingClientRect();
                    const top = document.elementFromPoint(b.left + 1, b.top + b.height / 2);
                    return [b.right, b.bottom, top === document.getElementById('data-notice') ? 1 : 0]; }
            """);
        Assert.True(end[0] <= Phone.Width && end[1] <= Phone.Height && end[2] == 1, $"the notice's end at {end[0]},{end[1]}, on top: {end[2]}");
    }

    [Fact]
    public async Task The_offline_note_is_one_short_line_that_can_be_dismissed_for_the_session()
    {
        await using var context = await browser.NewContextAsync(Phone);
        var page = await OpenMapAsync(context);
        var note = page.Locator("#offline-note");
        await Assertions.Expect(note).ToBeVisibleAsync();
        await Assertions.Expect(note).ToContainTextAsync("Base map unavailable");
        var box = (await note.BoundingBoxAsync())!;
        Assert.True(box.Height <= 30, $"the note is {box.Height}px high (one line is about 20)");
        Assert.True(box.X >= 0 && box.X + box.Width <= Phone.Width, $"the note runs off the screen: {box.X}+{box.Width}");
        Assert.Equal("", await page.TextContentAsync("#status")); // said once, not also on the status line

        await page.ClickAsync("#offline-note button");
        await Assertions.Expect(note).ToHaveCountAsync(0);
        Assert.NotEqual("BODY", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));

        // Dismissed for the session: a reload whose tiles fail again shows no note.
        var aborted = browser.AbortedTiles;
        await page.ReloadAsync();
        await page.EvaluateAsync("() => window.settlementMap.ready");
        for (var i = 0; i < 100 && browser.AbortedTiles < aborted + 6; i++)
        {
            await Task.Delay(50);
        }
        Assert.True(browser.AbortedTiles >= aborted + 6, "the reloaded page asked for its base map");
        await page.EvaluateAsync("() => new Promise((resolve) => setTimeout(resolve, 300))");
        Assert.Equal(0, await note.CountAsync());
    }

    [Fact]
    public async Task With_two_overlays_the_legend_takes_under_a_third_of_the_screen_and_folds_for_the_session()
    {
        await using var context = await browser.NewContextAsync(Phone);
        var page = await OpenMapAsync(context, "#overlays=coordinator,gap");
        await page.Locator(".legend [data-legend='overlay-gap']").WaitForAsync();
        var toggle = page.Locator(".legend .legend-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var open = (await page.Locator(".legend").BoundingBoxAsync())!;
        Assert.True(open.Height * open.Width < Phone.Width * Phone.Height / 6.0 && open.Height < Phone.Height / 3.0,
            $"the open legend is {open.Width}×{open.Height}px of a {Phone.Width}×{Phone.Height} screen");

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.Locator("#legend-body")).ToBeHiddenAsync();
        var folded = (await page.Locator(".legend").BoundingBoxAsync())!;
        Assert.True(folded.Height < 40, $"the folded legend is {folded.Height}px high");

        await page.ReloadAsync();
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.Locator(".legend [data-legend='overlay-gap']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.ClickAsync();
        await Assertions.Expect(page.Locator(".legend [data-legend='overlay-gap']")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Header words (th, and the details' dt) broken across lines or overflowing their cell, tables wider than the screen
    /// or the panel that holds them (unless in a labelled region that scrolls), and a page that scrolls sideways: each as a line of text.
    /// </summary>
    private const string TableProblems = """
        () => {
          const found = [];
          for (const cell of document.querySelectorAll('th, dt')) {
            if (!cell.getClientRects().length) continue;
            if (cell.scrollWidth > cell.clientWidth + 1) found.push('overflows: ' + cell.textContent.trim());
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode());) {
              for (const m of node.data.matchAll(/[\p{L}\p{N}]+/gu)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
                if (lines.size > 1) found.push('broken: ' + m[0]);
              }
            }
          }
          for (const table of document.querySelectorAll('table')) {
            if (!table.getClientRects().length) continue;
            // Its box: the screen, or the nearest ancestor that clips (a panel that scrolls hides what sticks out).
            let box = table.parentElement;
            while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
            const right = Math.min(innerWidth, box ? box.getBoundingClientRect().right : innerWidth);
            if (table.getBoundingClientRect().right <= right + 1) continue;
            const fine = box && box.matches('[role=region][aria-label]') && box.getBoundingClientRect().right <= innerWidth + 1;
            if (!fine) found.push('wider than its box: ' + (table.id || table.className || table.closest('[aria-label]')?.getAttribute('aria-label') || 'table'));
          }
          if (document.documentElement.scrollWidth > innerWidth + 1) found.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);
          return found;
        }
        """;

    [Theory]
    [InlineData("en")]
    [InlineData("sr-Cyrl")]
    [InlineData("sr-Latn")]
    public async Task Tables_fit_the_phone_without_breaking_a_header_word(string language)
    {
        await using var context = await browser.NewContextAsync(Phone, language);
        var page = await OpenMapAsync(context);
        var problems = new List<string>();
        await page.ClickAsync("#panel-toggle");
        await page.Locator("#coverage-figures table").First.WaitForAsync();
        problems.AddRange((await page.EvaluateAsync<string[]>(TableProblems)).Select(p => "panel: " + p));
        await page.ClickAsync("#panel-close");
        await page.Locator("#results button[data-id]").First.DispatchEventAsync("click");
        await page.Locator("#details-body dl").First.WaitForAsync();
        problems.AddRange((await page.EvaluateAsync<string[]>(TableProblems)).Select(p => "details: " + p));

        await page.GotoAsync(new Uri(browser.BaseAddress, "/report.html?municipality=nis").ToString());
        await page.Locator("#report table").Last.WaitForAsync();
        problems.AddRange((await page.EvaluateAsync<string[]>(TableProblems)).Select(p => "report: " + p));

        await page.GotoAsync(browser.BaseAddress.ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await OfflineBaseMapFixture.SignInAsAdministratorAsync(page);
        await page.GotoAsync(new Uri(browser.BaseAddress, "/coverage.html").ToString());
        await page.Locator("#municipality option").Nth(1).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#municipality", new SelectOptionValue { Index = 1 });
        await page.Locator("#records th").First.WaitForAsync();
        problems.AddRange((await page.EvaluateAsync<string[]>(TableProblems)).Select(p => "coverage: " + p));
        await page.GotoAsync(new Uri(browser.BaseAddress, "/admin.html").ToString());
        await page.Locator("#account-table tr[data-user]").First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        problems.AddRange((await page.EvaluateAsync<string[]>(TableProblems)).Select(p => "admin: " + p));

        Assert.Empty(problems);
    }

    private sealed class WholeResult
    {
        public string Text { get; set; } = "";
        public double ScrollWidth { get; set; }
        public double ClientWidth { get; set; }
        public double ScrollHeight { get; set; }
        public double ClientHeight { get; set; }
        public bool Inside { get; set; }
    }
}
