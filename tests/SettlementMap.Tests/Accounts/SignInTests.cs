using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Accounts;

/// <summary>
/// Cookie sign-in for the page: failures say nothing about which accounts exist, state changes need
/// the antiforgery token bound to the signed-in identity, sign-out and deactivation end access.
/// </summary>
public sealed class SignInTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_answer()
    {
        using var client = CookieClient(app);
        var csrf = await CsrfTokenAsync(client);

        using var wrongPassword = await SignInAsync(client, csrf, CoordinatorNis, "not-the-password");
        using var unknownUser = await SignInAsync(client, csrf, "coord-nowhere", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        var first = await BodyAsync(wrongPassword);
        var second = await BodyAsync(unknownUser);
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.Equal(WithoutTraceId(first), WithoutTraceId(second));
        Assert.False(await SignedInAsync(client));
    }

    [Fact]
    public async Task Signing_in_needs_the_antiforgery_token()
    {
        using var client = CookieClient(app);
        await CsrfTokenAsync(client);

        using var response = await SignInAsync(client, csrfToken: null, Admin, AdminPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Missing or invalid antiforgery token.", (await BodyAsync(response)).GetProperty("title").GetString());
        Assert.False(await SignedInAsync(client));
    }

    [Fact]
    public async Task A_cookie_session_edits_only_with_the_antiforgery_token_of_the_signed_in_identity()
    {
        var id = await DemoIdAsync(app, "nis", 1);
        using var client = CookieClient(app);
        var anonymousCsrf = await CsrfTokenAsync(client);
        var csrf = await SignInWithCookieAsync(client, CoordinatorNis, CoordinatorPassword);
        Assert.NotEqual(anonymousCsrf, csrf);
        var before = await GetAsync(client, id);
        var value = OtherWaterSupply(before.Text("water_supply"));
        var changes = await ChangeCountAsync(app);

        foreach (var token in new[] { null, anonymousCsrf, "not-a-token" })
        {
            using var refused = await PatchAsync(client, id, Properties("water_supply", value), before.ETag, token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("Missing or invalid antiforgery token.", (await BodyAsync(refused)).GetProperty("title").GetString());
        }
        Assert.Equal(before.ETag, (await GetAsync(client, id)).ETag);
        Assert.Equal(before.Text("water_supply"), await WaterSupplyAsync(app, id));
        Assert.Equal(changes, await ChangeCountAsync(app));

        using var accepted = await PatchAsync(client, id, Properties("water_supply", value), before.ETag, csrf);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(value, await WaterSupplyAsync(app, id));
        Assert.Equal(CoordinatorNis, (await ChangesAsync(app, id))[^1].ChangedBy);
    }

    [Fact]
    public async Task After_signing_out_an_edit_gets_401()
    {
        var id = await DemoIdAsync(app, "nis", 2);
        using var client = CookieClient(app);
        var csrf = await SignInWithCookieAsync(client, CoordinatorNis, CoordinatorPassword);
        Assert.True(await SignedInAsync(client));

        using (var signOut = await SendAsync(client, HttpMethod.Post, "/api/auth/sign-out", null, csrfToken: csrf))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }
        Assert.False(await SignedInAsync(client));
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(client, id, Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))), before.ETag,
            await CsrfTokenAsync(client));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before.ETag, (await GetAsync(client, id)).ETag);
        Assert.Equal(changes, await ChangeCountAsync(app));
    }

    [Fact]
    public async Task An_administrator_creates_a_coordinator_account_that_can_sign_in()
    {
        const string name = "coord-new";
        const string password = "new-coordinator-2026";
        using var admin = await ClientAsync(app, Admin);

        using var response = await SendAsync(admin, HttpMethod.Post, "/api/users", JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["user_name"] = name,
            ["display_name"] = "New coordinator",
            ["role"] = "coordinator",
            ["municipalities"] = new List<string> { "nis" },
            ["password"] = password,
        }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/users/{name}", response.Headers.Location?.OriginalString);
        var summary = await BodyAsync(response);
        Assert.Equal(name, summary.GetProperty("user_name").GetString());
        Assert.Equal("coordinator", summary.GetProperty("role").GetString());
        Assert.True(summary.GetProperty("is_active").GetBoolean());
        Assert.Equal(["nis"], summary.GetProperty("municipalities").EnumerateArray().Select(m => m.GetString()));
        using var client = CookieClient(app);
        await SignInWithCookieAsync(client, name, password);
    }

    [Fact]
    public async Task A_deactivated_account_loses_its_tokens_and_its_sessions()
    {
        // A new account of its own (made through the service POST /api/users uses), so the demo accounts stay active for the other tests.
        const string name = "coord-temporary";
        const string password = "temporary-password-2026";
        using (var scope = app.Factory.Services.CreateScope())
        {
            var (user, errors, _) = await UsersApi.CreateAsync(scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>(),
                scope.ServiceProvider.GetRequiredService<AccountService>(), new NewUser(name, "Temporary coordinator", "coordinator", ["nis"], password), Admin, default);
            Assert.NotNull(user);
            Assert.Empty(errors);
        }
        var id = await DemoIdAsync(app, "nis", 3);
        using var admin = await ClientAsync(app, Admin);
        using var tokenClient = await ClientAsync(app, name);
        using var cookieClient = CookieClient(app);
        await SignInWithCookieAsync(cookieClient, name, password);
        var historyUrl = new Uri($"{Url(id)}/history", UriKind.Relative);
        using (var history = await tokenClient.GetAsync(historyUrl))
        {
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        }
        using (var history = await cookieClient.GetAsync(historyUrl))
        {
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        }

        using (var deactivated = await SendAsync(admin, HttpMethod.Delete, $"/api/users/{name}", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, deactivated.StatusCode);
        }

        var before = await GetAsync(tokenClient, id);
        using (var edit = await PatchAsync(tokenClient, id, Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))), before.ETag))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, edit.StatusCode);
        }
        using (var history = await tokenClient.GetAsync(historyUrl))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, history.StatusCode);
        }
        using (var history = await cookieClient.GetAsync(historyUrl))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, history.StatusCode);
        }
        using (var signIn = await SignInAsync(cookieClient, await CsrfTokenAsync(cookieClient), name, password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        }
        // Read anonymously (the token no longer counts), under the tag of what an anonymous viewer sees: unchanged.
        using var anonymous = app.Factory.CreateClient();
        Assert.Equal(before.ETag, (await GetAsync(anonymous, id)).ETag);
        using var users = await admin.GetAsync(new Uri("/api/users", UriKind.Relative));
        var summary = (await BodyAsync(users)).EnumerateArray().Single(u => u.GetProperty("user_name").GetString() == name);
        Assert.False(summary.GetProperty("is_active").GetBoolean());
    }

    private static async Task<bool> SignedInAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        return (await BodyAsync(response)).GetProperty("signed_in").GetBoolean();
    }

    /// <summary>The problem body without its per-request trace id.</summary>
    private static string WithoutTraceId(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject()
            .Where(p => !p.Name.Contains("trace", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.Name, p => p.Value));
}
