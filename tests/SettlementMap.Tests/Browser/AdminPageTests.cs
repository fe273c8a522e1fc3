using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OtpNet;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Features.Accounts;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Browser;

/// <summary>An administrator manages accounts in the administration page, against the real API and database, in headless Chromium.</summary>
public sealed partial class AdminPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string AdminName = "admin-browser";
    private const string AdminPassword = "browser-admin-password-77";

    /// <summary>An administrator of this test's own, so two-step sign-in never reaches the demo administrator.</summary>
    private async Task EnsureAdministratorAsync()
    {
        await using var db = browser.App.CreateContext();
        if (await db.Users.AnyAsync(u => u.UserName == AdminName))
        {
            return;
        }
        using var admin = await ClientAsync(browser.App, DemoAccounts.AdministratorName);
        using var created = await SendAsync(admin, HttpMethod.Post, "/api/users",
            JsonSerializer.Serialize(new { user_name = AdminName, role = "administrator", municipalities = Array.Empty<string>(), password = AdminPassword }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string language = "en", int width = 1366, int height = 768)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "en-GB" });
        await context.AddInitScriptAsync($"localStorage.setItem('settlementmap.language', '{language}')");
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // The refusals the test provokes (a weak password: 400; a sign-in that needs its code: 401) are logged by Chromium itself; nothing else may be.
            if (message.Type == "error" && !ExpectedRefusal().IsMatch(message.Text))
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        return (page, errors);
    }

    private async Task GoToMapAsync(IPage page)
    {
        await page.GotoAsync(new Uri(browser.BaseAddress, "/").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
    }

    private static async Task SignInAsync(IPage page, string userName, string password, Func<string>? code = null)
    {
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#sign-in-user", userName);
        await page.FillAsync("#sign-in-password", password);
        await page.ClickAsync("#sign-in-submit");
        if (code is not null)
        {
            // The password was right: the same dialog now asks for the code.
            await Assertions.Expect(page.Locator("#sign-in-code")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("Enter the code from your authenticator app.");
            await page.FillAsync("#sign-in-code", code());
            await page.ClickAsync("#sign-in-submit");
        }
        await page.Locator("#sign-out").WaitForAsync();
    }

    private async Task OpenAdminPageAsync(IPage page)
    {
        await page.ClickAsync("#admin-link");
        await page.WaitForURLAsync(new Uri(browser.BaseAddress, "/admin.html").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
    }

    [Fact]
    public async Task An_administrator_creates_a_coordinator_assigns_municipalities_resets_the_password_revokes_a_token_and_signs_in_with_a_code()
    {
        await EnsureAdministratorAsync();
        var (page, errors) = await OpenAsync();
        await GoToMapAsync(page);
        await SignInAsync(page, AdminName, AdminPassword);
        await OpenAdminPageAsync(page);
        await Assertions.Expect(page.Locator("#accounts")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#sensitivity-admin")).ToHaveCountAsync(1);

        // A weak password is refused next to its field, in the page's language.
        await page.ClickAsync("#new-account");
        await page.FillAsync("#account-user_name", "coord-browser");
        await page.FillAsync("#account-display_name", "Browser coordinator");
        await page.FillAsync("#account-password", "kratka-9");
        await page.ClickAsync("#account-save");
        await Assertions.Expect(page.Locator("#account-form [data-error-for='password']")).ToHaveTextAsync("The password needs at least 12 characters.");
        await Assertions.Expect(page.Locator("#account-form [data-error-for='municipalities']")).ToHaveTextAsync("A coordinator needs at least one municipality.");

        // A coordinator for Niš with a generated password, shown once.
        await page.FillAsync("#municipality-filter", "nis");
        await page.CheckAsync("#municipality-list input[value='nis']");
        await page.CheckAsync("#account-generate");
        await page.ClickAsync("#account-save");
        var password = (await page.Locator("#account-editor #generated-password").TextContentAsync())!;
        Assert.Empty(AccountService.PasswordProblems(password, "coord-browser"));
        var row = page.Locator("#account-table tr[data-user='coord-browser']");
        await Assertions.Expect(row.Locator("td[data-column='municipalities']")).ToHaveTextAsync("Niš");

        // A second municipality, found by the search box, applies to the account at once.
        await page.FillAsync("#search", "niš");
        await Assertions.Expect(page.Locator("#account-table tr[data-user]")).Not.ToHaveCountAsync(0);
        Assert.True(await page.Locator("#account-table tr[data-user]").CountAsync() < await CountAsync("SELECT count(*) FROM users"));
        await row.Locator("button.edit").ClickAsync();
        await page.FillAsync("#municipality-filter", "zvezd");
        await page.CheckAsync("#municipality-list input[value='zvezdara']");
        await page.ClickAsync("#account-save");
        await Assertions.Expect(row.Locator("td[data-column='municipalities']")).ToHaveTextAsync("Niš, Zvezdara");
        await page.FillAsync("#search", "");
        await using (var db = browser.App.CreateContext())
        {
            Assert.Equal(["nis", "zvezdara"], (await db.Users.Include(u => u.Municipalities).SingleAsync(u => u.UserName == "coord-browser")).Municipalities.Select(m => m.Code).Order());
        }

        // A password reset (generated) and a token revoked, both on the account's panel.
        var token = await TokenAsync(browser.App, "coord-browser");
        await row.Locator("button.manage").ClickAsync();
        await page.ClickAsync("#password-generate");
        await Assertions.Expect(page.Locator("#account-detail #generated-password")).Not.ToHaveTextAsync(password);
        var reset = (await page.Locator("#account-detail #generated-password").TextContentAsync())!;
        using (var client = KestrelClient(cookies: true))
        {
            await SignInWithCookieAsync(client, "coord-browser", reset);
        }
        await page.Locator("#account-detail tr[data-token] button.revoke").ClickAsync();
        await Assertions.Expect(page.Locator("#account-detail tr[data-token] button.revoke")).ToHaveCountAsync(0);
        using (var tokenClient = KestrelClient(cookies: false))
        {
            tokenClient.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using var refused = await tokenClient.GetAsync(new Uri("/api/auth/tokens", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await Assertions.Expect(page.Locator("#history tr[data-action='token_revoke']").First).ToContainTextAsync("coord-browser");

        // Two-step sign-in: enrol with a code computed from the shown key, then sign in again with one.
        await page.ClickAsync("#two-factor-start");
        var secret = (await page.Locator("#two-factor-secret").TextContentAsync())!;
        StringAssert(await page.Locator("#two-factor-link").GetAttributeAsync("href"), "otpauth://totp/");
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await page.FillAsync("#two-factor-confirm input[name='code']", totp.ComputeTotp());
        await page.ClickAsync("#two-factor-confirm button[type='submit']");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("Two-step sign-in is on.");
        await Assertions.Expect(page.Locator($"#account-table tr[data-user='{AdminName}'] td[data-column='two_factor']")).ToHaveTextAsync("on");

        await GoToMapAsync(page);
        await page.ClickAsync("#sign-out");
        await page.Locator("#sign-in").WaitForAsync();
        // The enrolment used this step's code; the next step's is within the window.
        await SignInAsync(page, AdminName, AdminPassword, () => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await OpenAdminPageAsync(page);
        await Assertions.Expect(page.Locator("#two-factor")).ToContainTextAsync("On: signing in asks for a code");
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("sr-Latn", "Administracija", "Korisničko ime")]
    [InlineData("sr-Cyrl", "Администрација", "Корисничко име")]
    [InlineData("en", "Administration", "User name")]
    public async Task The_page_speaks_the_chosen_language_and_fits_a_phone(string language, string title, string userColumn)
    {
        await EnsureAdministratorAsync();
        var (page, errors) = await OpenAsync(language, 390, 844);
        await GoToMapAsync(page);
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#sign-in-user", DemoAccounts.AdministratorName);
        await page.FillAsync("#sign-in-password", DemoAccounts.AdministratorPassword);
        await page.ClickAsync("#sign-in-submit");
        await page.Locator("#sign-out").WaitForAsync();
        await page.GotoAsync(new Uri(browser.BaseAddress, "/admin.html").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");

        Assert.Equal(title, await page.TextContentAsync("#title"));
        Assert.Equal(userColumn, await page.TextContentAsync("#account-table th[data-column='user']"));
        Assert.Equal(language, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        // Nothing wider than the phone but the table's own scrolling box.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_coordinator_gets_no_administration_link_and_the_page_refuses_them()
    {
        var (page, _) = await OpenAsync();
        await GoToMapAsync(page);
        await SignInAsync(page, DemoAccounts.CoordinatorPrefix + "nis", DemoAccounts.CoordinatorPassword);
        Assert.Equal(0, await page.Locator("#admin-link").CountAsync());
        await page.GotoAsync(new Uri(browser.BaseAddress, "/admin.html").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("Only administrators manage accounts. Sign in on the map first.");
        await Assertions.Expect(page.Locator("#accounts")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Using_the_administration_page_violates_no_content_security_policy()
    {
        await using var watched = await WatchedPage.OpenAsAdministratorAsync(browser.Browser, browser.BaseAddress, "/admin.html");
        var page = watched.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await page.ClickAsync("#new-account");
        await page.FillAsync("#municipality-filter", "kra");
        await page.Locator("#account-table tr[data-user='coord-nis'] button.manage").ClickAsync();
        await page.Locator("#password-form").WaitForAsync();
        await watched.AssertNothingRanAsync("the administration page");
    }

    /// <summary>A client of the app on its Kestrel address (the browser's server), keeping cookies as the page does when asked.</summary>
    private HttpClient KestrelClient(bool cookies) =>
        new(new HttpClientHandler { UseCookies = cookies, CookieContainer = new System.Net.CookieContainer() }, disposeHandler: true) { BaseAddress = browser.BaseAddress };

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to load resource: the server responded with a status of 40[01] ")]
    private static partial System.Text.RegularExpressions.Regex ExpectedRefusal();

    private static void StringAssert(string? text, string start) => Assert.StartsWith(start, text ?? "", StringComparison.Ordinal);

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(browser.App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
