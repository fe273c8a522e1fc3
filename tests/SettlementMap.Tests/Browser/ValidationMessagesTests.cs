using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// A refused save as a coordinator meets it: the message in the page's language with the field's
/// label from the schema, the field focused and clear of the sticky Save bar, the bar naming the
/// fields to correct, and the message gone once the value is corrected.
/// </summary>
public sealed class ValidationMessagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ShotDirectory = "/tmp/shots-messages";
    private const string Field = "substandard_share_pct";

    /// <summary>The message for a share of 150 in each language: i18n.js's problem.range with the schema's label and the locale's number.</summary>
    private static string Expected(string language)
    {
        var label = SettlementSchema.Find(Field)!.Label.In(language);
        return language switch
        {
            "en" => $"{label} must be from 0 to 100\u00a0%; got 150 %.",
            "sr-Latn" => $"Vrednost polja „{label}“ mora biti od 0 do 100\u00a0%; uneto je 150 %.",
            _ => $"Вредност поља „{label}“ мора бити од 0 до 100\u00a0%; унето је 150 %.",
        };
    }

    [Theory]
    [InlineData("sr-Cyrl", "sr-RS", 1366, 768)]
    [InlineData("en", "en-GB", 1366, 768)]
    [InlineData("sr-Latn", "sr-Latn-RS", 390, 844)]
    [InlineData("sr-Cyrl", "sr-RS", 390, 844)]
    public async Task A_share_of_150_is_refused_in_the_page_s_language_beside_its_focused_field_clear_of_the_Save_bar(
        string language, string locale, int width, int height)
    {
        await using var db = browser.App.CreateContext();
        var settlement = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Skip(4).FirstAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        await using var map = await browser.OpenAsync($"#selected={settlement.Id}", width, height, context);
        var page = map.Page;
        Assert.Equal(language, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        await SignInAsync(page);
        await page.Locator("#edit-attributes").ClickAsync();
        await page.FillAsync($"#edit-{Field}", "150");

        await page.ClickAsync("#edit-save");

        var error = page.Locator($"[data-error-for={Field}]");
        await Assertions.Expect(error).ToHaveTextAsync(Expected(language));
        Assert.DoesNotContain(Field, await error.TextContentAsync(), StringComparison.Ordinal);
        var control = page.Locator($"#edit-{Field}");
        Assert.Equal("true", await control.GetAttributeAsync("aria-invalid"));
        Assert.Contains(await error.GetAttributeAsync("id") ?? "-", (await control.GetAttributeAsync("aria-describedby") ?? "").Split(' '));
        await page.WaitForFunctionAsync($"() => document.activeElement && document.activeElement.id === 'edit-{Field}'");
        Directory.CreateDirectory(ShotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ShotDirectory, $"refused-{language}-{width}x{height}.png") });

        // The field's box lies inside the scrolling details, above the sticky bar, and nothing else covers its middle.
        var geometry = await page.EvaluateAsync<Box[]>(
            """
            field => {
              const control = document.getElementById('edit-' + field);
              const bar = control.form.querySelector('.form-buttons').getBoundingClientRect();
              const scroller = document.getElementById('details').getBoundingClientRect();
              const box = control.getBoundingClientRect();
              return [box, bar, scroller].map(r => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right }));
            }
            """, Field);
        var (box, bar, scroller) = (geometry[0], geometry[1], geometry[2]);
        Assert.True(box.Bottom <= bar.Top, $"the field (bottom {box.Bottom}) is above the Save bar (top {bar.Top})");
        Assert.True(box.Top >= scroller.Top && box.Bottom <= scroller.Bottom, $"the field ({box.Top}–{box.Bottom}) is inside the details ({scroller.Top}–{scroller.Bottom})");
        Assert.True(await page.EvaluateAsync<bool>(
            "field => { const c = document.getElementById('edit-' + field); const r = c.getBoundingClientRect(); return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === c; }", Field),
            "the middle of the field is the field itself: nothing covers it");

        // The bar names the field to correct as a button that goes to it.
        var link = page.Locator($"#edit-message .problem-link[data-field={Field}]");
        Assert.Equal(SettlementSchema.Find(Field)!.Label.In(language), await link.TextContentAsync());
        await page.Locator("#edit-cancel").FocusAsync();
        await link.ClickAsync();
        Assert.Equal($"edit-{Field}", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // Still out of range while typing: the same wording with the new value; corrected: the message and the mark are gone.
        await control.FillAsync("101");
        await Assertions.Expect(error).ToContainTextAsync("101 %");
        await control.FillAsync("50");
        await Assertions.Expect(error).ToBeEmptyAsync();
        Assert.Null(await control.GetAttributeAsync("aria-invalid"));
        Assert.Equal(0, await link.CountAsync());
        // The refused save's 400 is the only console error.
        Assert.DoesNotContain(map.ConsoleErrors, e => !e.Contains("400", StringComparison.Ordinal));
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#sign-in-user", DemoAccounts.CoordinatorPrefix + "nis");
        await page.FillAsync("#sign-in-password", DemoAccounts.CoordinatorPassword);
        // Signing in reloads the page at the same address (the sign-out button exists only after it): the settlement's details open again.
        await page.ClickAsync("#sign-in-submit");
        await page.Locator("#sign-out").WaitForAsync();
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.Locator("#edit-attributes").WaitForAsync();
    }

    private sealed class Box
    {
        public double Top { get; set; }
        public double Bottom { get; set; }
        public double Left { get; set; }
        public double Right { get; set; }
    }
}
