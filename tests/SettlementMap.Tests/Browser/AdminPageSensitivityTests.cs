using System.Text.Json;
using Microsoft.Playwright;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Browser;

/// <summary>Who sees what, set in the administration page: every output follows at once, bad settings are refused by field.</summary>
public sealed partial class AdminPageTests
{
    [Fact]
    public async Task An_administrator_restricts_an_attribute_in_the_page_and_anonymous_visitors_lose_it_at_once()
    {
        // An administrator of this test's own: the other tests here enrol theirs in two-step sign-in.
        const string name = "admin-who-sees-what";
        const string password = "who-sees-what-password-31";
        using (var demoAdmin = await ClientAsync(browser.App, Web.Data.Demo.DemoAccounts.AdministratorName))
        using (var created = await SendAsync(demoAdmin, HttpMethod.Post, "/api/users",
            JsonSerializer.Serialize(new { user_name = name, role = "administrator", municipalities = Array.Empty<string>(), password })))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }
        using var anonymous = await ClientAsync(browser.App, null);
        static async Task<bool> ListsHeating(HttpClient client)
        {
            var config = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/config", UriKind.Relative))).RootElement;
            return config.GetProperty("attributes").EnumerateArray().Any(a => a.GetProperty("name").GetString() == "heating");
        }
        Assert.True(await ListsHeating(anonymous));
        var layerBefore = await anonymous.GetStringAsync(new Uri("/api/layers/settlements?municipality=nis", UriKind.Relative));
        Assert.Contains("\"heating\"", layerBefore, StringComparison.Ordinal);

        var (page, errors) = await OpenAsync("sr-Cyrl");
        await GoToMapAsync(page);
        await SignInAsync(page, name, password);
        await OpenAdminPageAsync(page);
        await Assertions.Expect(page.Locator("#sensitivity-admin h2")).ToHaveTextAsync("Ко шта види");
        var row = page.Locator("#sensitivity-levels tr[data-attribute=heating]");
        await Assertions.Expect(row.Locator("th")).ToContainTextAsync("Грејање");
        await row.Locator("select").SelectOptionAsync("administrators");
        await Assertions.Expect(row.Locator(".save-state.saved")).ToHaveTextAsync("Сачувано: само администратори");

        Assert.False(await ListsHeating(anonymous));
        var layerAfter = await anonymous.GetStringAsync(new Uri("/api/layers/settlements?municipality=nis", UriKind.Relative));
        Assert.DoesNotContain("\"heating\"", layerAfter, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM sensitivity_changes WHERE subject = 'attribute:heating' AND changed_by = 'admin-who-sees-what'"));

        // A bad threshold is refused next to its field, in the page's language, and nothing changes.
        await page.FillAsync("#generalisation-threshold", "0");
        await page.ClickAsync("#generalisation-form button[type=submit]");
        await Assertions.Expect(page.Locator("#generalisation-threshold-error")).ToHaveTextAsync("Цео број становника од 1 до 10.000.");
        await Assertions.Expect(page.Locator("#generalisation-threshold")).ToBeFocusedAsync();

        // Back to public: a confirmation (accepted by OpenAsync's dialog handler), and the layer has it again.
        await row.Locator("select").SelectOptionAsync("public");
        await Assertions.Expect(row.Locator(".save-state.saved")).ToHaveTextAsync("Сачувано: јавно");
        Assert.True(await ListsHeating(anonymous));
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_in_and_out_shows_the_settlement_as_the_new_viewer_may_see_it()
    {
        await using var db = browser.App.CreateContext();
        var id = db.Settlements.Where(s => s.Municipality!.Code == "nis" && s.EstimatedInhabitants >= 200).OrderBy(s => s.Id).Select(s => s.Id).First();
        var (page, errors) = await OpenAsync();
        await page.GotoAsync(new Uri(browser.BaseAddress, $"/#selected={id}").ToString());
        await page.EvaluateAsync("() => window.settlementMap.ready");
        var evictionThreat = page.Locator("#details-body dd[data-field=eviction_threat]");
        await Assertions.Expect(page.Locator("#details-body dd[data-field=water_supply]")).ToHaveCountAsync(1);
        await Assertions.Expect(evictionThreat).ToHaveCountAsync(0);

        await SignInAsync(page, CoordinatorNis, CoordinatorPassword);
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await Assertions.Expect(evictionThreat).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#theme option[value=electricity]")).ToHaveCountAsync(1);

        await page.ClickAsync("#sign-out");
        await page.Locator("#sign-in").WaitForAsync();
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await Assertions.Expect(page.Locator("#details-body dd[data-field=water_supply]")).ToHaveCountAsync(1);
        await Assertions.Expect(evictionThreat).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#theme option[value=electricity]")).ToHaveCountAsync(0);
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }
}
