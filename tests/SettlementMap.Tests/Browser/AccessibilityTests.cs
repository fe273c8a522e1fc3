using Microsoft.Playwright;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// axe-core on every page and the map's main states, at a desktop and a phone size: no serious or critical
/// violation anywhere, and no landmark or heading-order one (moderate). Each case prints every violation it
/// found (minor ones included) to the test output.
/// Run alone with <c>--filter FullyQualifiedName~Accessibility</c>.
/// </summary>
public sealed class AccessibilityTests(OfflineBaseMapFixture browser, ITestOutputHelper output) : IClassFixture<OfflineBaseMapFixture>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var size in new[] { "desktop", "phone" })
        {
            foreach (var state in new[] { "map", "map-details", "map-sign-in", "map-overlays", "map-panel", "coverage", "report", "import", "admin" })
            {
                cases.Add(state, size);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task No_page_or_state_has_a_serious_or_critical_axe_violation(string state, string size)
    {
        var viewport = size == "phone" ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1366, Height = 768 };
        await using var context = await browser.NewContextAsync(viewport);
        var page = await context.NewPageAsync();
        await OpenAsync(page, state);

        var violations = await Axe.RunAsync(page);
        var byImpact = Axe.ByImpact(violations);
        output.WriteLine($"{state} {size}: " + (violations.Count == 0 ? "none" : string.Join("; ", byImpact.Select(i => $"{i.Key}: {string.Join(", ", i.Value)}"))));
        Assert.True(Axe.Blocking(violations).Count == 0, $"{state} at {size}: " + string.Join("; ", Axe.Blocking(violations)));
        // The page's structure (moderate, fixed with the serious ones): content inside landmarks, headings in order.
        var structure = violations.Where(v => v.Id is "region" or "heading-order" || v.Id.StartsWith("landmark-", StringComparison.Ordinal)).ToList();
        Assert.True(structure.Count == 0, $"{state} at {size}, structure: " + string.Join("; ", structure));
    }

    private async Task OpenAsync(IPage page, string state)
    {
        var root = browser.BaseAddress;
        async Task MapAsync(string hash)
        {
            await page.GotoAsync(new Uri(root, "/" + hash).ToString());
            await page.EvaluateAsync("() => window.settlementMap.ready");
            await page.EvaluateAsync("() => window.settlementMap.idle()");
        }
        switch (state)
        {
            case "map":
                await MapAsync("");
                break;
            case "map-details":
                await MapAsync("");
                // A click on the list's first settlement (on a phone the list is in the closed panel).
                await page.Locator("#results button[data-id]").First.DispatchEventAsync("click");
                await page.Locator("#details-body dl").First.WaitForAsync();
                break;
            case "map-sign-in":
                await MapAsync("");
                await page.ClickAsync("#sign-in");
                await page.Locator("#sign-in-dialog[open]").WaitForAsync();
                break;
            case "map-overlays":
                await MapAsync("#overlays=coordinator,gap");
                await page.Locator(".legend [data-legend='overlay-gap']").WaitForAsync();
                break;
            case "map-panel":
                await MapAsync("");
                if (await page.IsVisibleAsync("#panel-toggle"))
                {
                    await page.ClickAsync("#panel-toggle");
                }
                await page.Locator("#coverage-figures table").First.WaitForAsync();
                break;
            case "coverage":
            case "import":
            case "admin":
                await MapAsync("");
                await OfflineBaseMapFixture.SignInAsAdministratorAsync(page);
                await page.GotoAsync(new Uri(root, "/" + state + ".html").ToString());
                // Each page says who may use it once it has asked the server.
                await page.WaitForFunctionAsync("() => document.getElementById('title').textContent.length > 0");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                break;
            case "report":
                await page.GotoAsync(new Uri(root, "/report.html?municipality=nis").ToString());
                await page.Locator("#report-title").WaitForAsync();
                await page.Locator("#report table").Last.WaitForAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }
}
