using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.Editing;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// Dated surveys and dated edits in the page (issue 23, item 2): the import page takes the date the data
/// describes, words its refusal beside the field and says per row whether it becomes the current state or
/// history; the edit form's "Observed on" dates a change, a refused date is shown beside it, and the
/// history says when the change takes effect.
/// </summary>
public sealed class SurveysPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Where the screenshots of these pages are kept for looking at them.</summary>
    private static readonly string Shots = Path.Combine(Path.GetTempPath(), "shots-surveys");

    private static async Task SignInAsAdministratorAsync(MapPage map)
    {
        await map.Page.ClickAsync("#sign-in");
        await map.Page.FillAsync("#sign-in-user", DemoAccounts.AdministratorName);
        await map.Page.FillAsync("#sign-in-password", DemoAccounts.AdministratorPassword);
        await map.Page.ClickAsync("#sign-in-submit");
        await map.Page.Locator("#sign-out").WaitForAsync();
    }

    [Fact]
    public async Task The_import_page_refuses_a_future_date_beside_its_field_and_lists_an_old_survey_s_row_as_history()
    {
        await using var db = browser.App.CreateContext();
        var code = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Select(s => s.Code).FirstAsync();
        var folder = Directory.CreateTempSubdirectory("surveys-page-");
        var file = Path.Combine(folder.FullName, "popis-1990.csv");
        await File.WriteAllTextAsync(file, $"sifra,vodosnabdevanje\n{code},bunari\n");
        Directory.CreateDirectory(Shots);

        await using var map = await browser.OpenAsync();
        await SignInAsAdministratorAsync(map);
        await map.Page.GotoAsync(new Uri(browser.BaseAddress, "/import.html").ToString());
        await map.Page.EvaluateAsync("() => window.settlementMap.ready");
        await Assertions.Expect(map.Page.Locator("#describes-label")).ToHaveTextAsync("Date the data describes (optional)");
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await map.Page.GetAttributeAsync("#describes", "max"));

        await map.Page.SetInputFilesAsync("#file", file);
        await map.Page.FillAsync("#describes", "2999-01-01");
        await map.Page.ClickAsync("#check");
        await Assertions.Expect(map.Page.Locator("#describes-error")).ToHaveTextAsync("Date the data describes cannot be in the future.");
        Assert.Equal("true", await map.Page.GetAttributeAsync("#describes", "aria-invalid"));
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, "import-date-refused.png"), FullPage = true });

        await map.Page.FillAsync("#describes", "1990-06-30");
        await Assertions.Expect(map.Page.Locator("#describes-error")).ToBeEmptyAsync();
        await map.Page.ClickAsync("#check");
        await Assertions.Expect(map.Page.Locator("#report")).ToBeVisibleAsync();
        var placements = map.Page.Locator("#placements tr");
        await Assertions.Expect(placements).ToHaveCountAsync(2);
        await Assertions.Expect(placements.Nth(1)).ToContainTextAsync(code);
        await Assertions.Expect(placements.Nth(1)).ToContainTextAsync("history (a newer version exists)");
        await Assertions.Expect(map.Page.Locator("#summary")).ToContainTextAsync("30 June 1990");
        await Assertions.Expect(map.Page.Locator("#outcome")).ToContainTextAsync("Rows going into history, not into today’s state: 1.");
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, "import-dated-dry-run.png"), FullPage = true });
        Assert.DoesNotContain(map.ConsoleErrors, e => !e.Contains("400", StringComparison.Ordinal)); // the refused date logs its 400
    }

    [Fact]
    public async Task The_edit_form_s_observed_on_dates_a_change_and_a_date_before_the_current_version_is_refused_beside_it()
    {
        // A settlement whose history begins on 2020-01-01 (a dated creation through the API).
        using var api = await Edits.ClientAsync(browser.App, Edits.Admin);
        var square = await Edits.SquareInsideAsync(browser.App, "nis");
        using var created = await Edits.CreateAsync(api, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["valid_from"] = "2020-01-01",
            ["properties"] = new Dictionary<string, object?> { ["name_latn"] = "Posmatrano naselje", ["estimated_inhabitants"] = 40 },
            ["geometry"] = System.Text.Json.JsonSerializer.SerializeToElement(square, Web.Http.GeoJson.ApiOptions),
        }));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await Edits.BodyAsync(created)).GetProperty("id").GetInt64();
        var tooEarly = new DateOnly(2019, 12, 31);
        var observed = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        Directory.CreateDirectory(Shots);

        await using var map = await browser.OpenAsync($"#selected={id}");
        await SignInAsAdministratorAsync(map);
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        await map.Page.ClickAsync("#edit-attributes");
        await Assertions.Expect(map.Page.Locator(".observed-on .caption")).ToHaveTextAsync("Observed on (optional)");
        await map.Page.FillAsync("#edit-estimated_inhabitants", "321");
        await map.Page.FillAsync("#edit-valid_from", tooEarly.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await map.Page.ClickAsync("#edit-save");
        var error = map.Page.Locator("[data-error-for=valid_from]");
        await Assertions.Expect(error).ToContainTextAsync("Observed on cannot be before");
        Assert.Equal("true", await map.Page.GetAttributeAsync("#edit-valid_from", "aria-invalid"));
        await map.Page.Locator("#edit-valid_from").ScrollIntoViewIfNeededAsync();
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, "edit-observed-refused.png") });

        await map.Page.FillAsync("#edit-valid_from", observed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await map.Page.ClickAsync("#edit-save");
        await map.Page.Locator("#edit-message", new PageLocatorOptions { HasText = "Saved." }).WaitForAsync();
        var latest = map.Page.Locator("#history li[data-change]").First;
        await Assertions.Expect(latest.Locator(".history-effective")).ToContainTextAsync("In effect from");
        await map.Page.Locator("#history").ScrollIntoViewIfNeededAsync();
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, "edit-observed-history.png") });

        var change = (await Edits.ChangesAsync(browser.App, id)).OrderByDescending(c => c.Id).First();
        Assert.Equal(SettlementTimeOf(observed), change.EffectiveAt);
        Assert.DoesNotContain(map.ConsoleErrors, e => !e.Contains("422", StringComparison.Ordinal)); // the refused date logs its 422
    }

    private static DateTimeOffset SettlementTimeOf(DateOnly day) => Web.Features.History.SettlementTime.StartOf(day);
}
