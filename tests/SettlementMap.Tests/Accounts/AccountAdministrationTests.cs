using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OtpNet;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Accounts;

/// <summary>
/// Account administration through the API on the real PostGIS: create, change, deactivate, reset a
/// password, tokens, two-factor sign-in, and the append-only account history. Each test makes
/// accounts of its own, so none depends on another's data.
/// </summary>
public sealed class AccountAdministrationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] Nis = ["nis"];
    private static readonly string[] ZvezdaraAndNis = ["zvezdara", "nis"];
    private static readonly string[] Atlantis = ["atlantis"];

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static async Task<JsonElement> CreateAsync(HttpClient admin, string name, string role = "coordinator", string[]? municipalities = null, string? password = "a-new-password-2026")
    {
        var body = new Dictionary<string, object?>
        {
            ["user_name"] = name, ["display_name"] = "Test " + name, ["role"] = role,
            ["municipalities"] = municipalities ?? (role == "coordinator" ? ["nis"] : []),
        };
        if (password is null)
        {
            body["generate_password"] = true;
        }
        else
        {
            body["password"] = password;
        }
        using var response = await SendAsync(admin, HttpMethod.Post, "/api/users", Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await BodyAsync(response);
    }

    private async Task<List<AccountChange>> HistoryAsync(string userName)
    {
        await using var db = app.CreateContext();
        return await db.AccountChanges.Where(c => c.UserName == userName).OrderBy(c => c.Id).ToListAsync();
    }

    private static async Task<JsonElement> SummaryAsync(HttpClient admin, string name)
    {
        using var response = await admin.GetAsync(new Uri("/api/users", UriKind.Relative));
        return (await BodyAsync(response)).EnumerateArray().Single(u => u.GetProperty("user_name").GetString() == name);
    }

    [Fact]
    public async Task A_generated_password_is_answered_once_works_and_is_never_written_to_the_history()
    {
        using var admin = await ClientAsync(app, Admin);

        var created = await CreateAsync(admin, "coord-generated", password: null);

        var password = created.GetProperty("generated_password").GetString()!;
        Assert.Empty(AccountService.PasswordProblems(password, "coord-generated"));
        using var client = CookieClient(app);
        await SignInWithCookieAsync(client, "coord-generated", password);
        var listed = await SummaryAsync(admin, "coord-generated");
        Assert.False(listed.TryGetProperty("generated_password", out _));
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("last_sign_in_at").ValueKind);
        var history = await HistoryAsync("coord-generated");
        var create = Assert.Single(history);
        Assert.Equal(AccountAction.Create, create.Action);
        Assert.Equal(Admin, create.ChangedBy);
        Assert.Equal("""{"display_name":{"new":"Test coord-generated","old":null},"municipalities":{"new":["nis"],"old":null},"role":{"new":"coordinator","old":null}}""",
            Sorted(create.Changes));
        Assert.DoesNotContain(password, create.Changes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short-pw", "password_too_short")]
    [InlineData("coord-policy-2026-x", "password_contains_user_name")]
    [InlineData("qwertyuiop123", "password_common")]
    public async Task A_password_against_the_policy_is_refused_with_the_field_and_the_rule_named(string password, string rule)
    {
        using var admin = await ClientAsync(app, Admin);

        using var response = await SendAsync(admin, HttpMethod.Post, "/api/users", Json(new Dictionary<string, object?>
        {
            ["user_name"] = "coord-policy", ["role"] = "coordinator", ["municipalities"] = Nis, ["password"] = password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await BodyAsync(response);
        Assert.Contains(rule, problem.GetProperty("rules").GetProperty("password").EnumerateArray().Select(r => r.GetString()));
        Assert.NotEmpty(problem.GetProperty("errors").GetProperty("password").EnumerateArray());
        Assert.Equal(PasswordPolicy.MinLength, problem.GetProperty("password_min_length").GetInt32());
        Assert.Empty(await HistoryAsync("coord-policy"));
        await using var db = app.CreateContext();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "coord-policy"));
    }

    [Fact]
    public async Task Changed_municipalities_and_role_apply_at_the_next_request_of_an_open_session_and_are_audited()
    {
        using var admin = await ClientAsync(app, Admin);
        await CreateAsync(admin, "coord-moved", municipalities: ["nis"]);
        using var session = CookieClient(app);
        await SignInWithCookieAsync(session, "coord-moved", "a-new-password-2026");
        using (var users = await session.GetAsync(new Uri("/api/users", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        }

        using (var moved = await SendAsync(admin, HttpMethod.Patch, "/api/users/coord-moved", Json(new { municipalities = ZvezdaraAndNis })))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            Assert.Equal(["nis", "zvezdara"], (await BodyAsync(moved)).GetProperty("municipalities").EnumerateArray().Select(m => m.GetString()));
        }
        using (var me = await session.GetAsync(new Uri("/api/auth/me", UriKind.Relative)))
        {
            Assert.Equal(["nis", "zvezdara"], (await BodyAsync(me)).GetProperty("municipalities").EnumerateArray().Select(m => m.GetString()));
        }
        using (var promoted = await SendAsync(admin, HttpMethod.Patch, "/api/users/coord-moved", Json(new { role = "administrator", display_name = "Promoted" })))
        {
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
            var body = await BodyAsync(promoted);
            Assert.Equal("administrator", body.GetProperty("role").GetString());
            Assert.Empty(body.GetProperty("municipalities").EnumerateArray());
        }
        using (var users = await session.GetAsync(new Uri("/api/users", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        }
        using (var demoted = await SendAsync(admin, HttpMethod.Patch, "/api/users/coord-moved", Json(new { role = "coordinator", municipalities = Nis })))
        {
            Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        }
        using (var users = await session.GetAsync(new Uri("/api/users", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        }

        var updates = (await HistoryAsync("coord-moved")).Where(c => c.Action == AccountAction.Update).ToList();
        Assert.Equal(3, updates.Count);
        Assert.Equal("""{"municipalities":{"new":["nis","zvezdara"],"old":["nis"]}}""", Sorted(updates[0].Changes));
        var promotion = JsonDocument.Parse(updates[1].Changes).RootElement;
        Assert.Equal("administrator", promotion.GetProperty("role").GetProperty("new").GetString());
        Assert.Equal("Promoted", promotion.GetProperty("display_name").GetProperty("new").GetString());
        Assert.Empty(promotion.GetProperty("municipalities").GetProperty("new").EnumerateArray());
    }

    [Fact]
    public async Task A_change_that_breaks_the_rules_is_refused_field_by_field_and_changes_nothing()
    {
        using var admin = await ClientAsync(app, Admin);
        await CreateAsync(admin, "coord-rules");

        using var response = await SendAsync(admin, HttpMethod.Patch, "/api/users/coord-rules",
            Json(new { role = "chief", display_name = new string('x', 201), municipalities = Atlantis }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var rules = (await BodyAsync(response)).GetProperty("rules");
        Assert.Equal("role_invalid", rules.GetProperty("role")[0].GetString());
        Assert.Equal("display_name_length", rules.GetProperty("display_name")[0].GetString());
        Assert.Equal("municipalities_unknown", rules.GetProperty("municipalities")[0].GetString());
        using (var noMunicipality = await SendAsync(admin, HttpMethod.Patch, "/api/users/coord-rules", Json(new { municipalities = Array.Empty<string>() })))
        {
            Assert.Equal("municipalities_needed", (await BodyAsync(noMunicipality)).GetProperty("rules").GetProperty("municipalities")[0].GetString());
        }
        using (var unknown = await SendAsync(admin, HttpMethod.Patch, "/api/users/nobody-here", Json(new { display_name = "x" })))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        Assert.Equal([AccountAction.Create], (await HistoryAsync("coord-rules")).Select(c => c.Action));
    }

    [Fact]
    public async Task Deactivation_and_reactivation_are_audited_and_nobody_deactivates_or_demotes_themselves()
    {
        using var admin = await ClientAsync(app, Admin);
        await CreateAsync(admin, "coord-paused");

        using (var off = await SendAsync(admin, HttpMethod.Delete, "/api/users/coord-paused", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        }
        using (var attempt = CookieClient(app))
        using (var refused = await SignInAsync(attempt, await CsrfTokenAsync(attempt), "coord-paused", "a-new-password-2026"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using (var on = await SendAsync(admin, HttpMethod.Post, "/api/users/coord-paused/reactivate", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, on.StatusCode);
        }
        using var client = CookieClient(app);
        await SignInWithCookieAsync(client, "coord-paused", "a-new-password-2026");
        using (var self = await SendAsync(admin, HttpMethod.Delete, "/api/users/admin", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
            Assert.Equal("own_account", (await BodyAsync(self)).GetProperty("rules").GetProperty("user_name")[0].GetString());
        }
        using (var demote = await SendAsync(admin, HttpMethod.Patch, "/api/users/admin", Json(new { role = "coordinator", municipalities = Nis })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, demote.StatusCode);
            Assert.Equal("own_role", (await BodyAsync(demote)).GetProperty("rules").GetProperty("role")[0].GetString());
        }

        var history = await HistoryAsync("coord-paused");
        Assert.Equal([AccountAction.Create, AccountAction.Deactivate, AccountAction.Reactivate], history.Select(c => c.Action));
        Assert.Equal("""{"is_active":{"new":false,"old":true}}""", Sorted(history[1].Changes));
        Assert.True((await SummaryAsync(admin, "admin")).GetProperty("is_active").GetBoolean());
    }

    [Fact]
    public async Task A_reset_password_replaces_the_old_one_given_or_generated()
    {
        using var admin = await ClientAsync(app, Admin);
        await CreateAsync(admin, "coord-reset");
        using var earlier = CookieClient(app);
        await SignInWithCookieAsync(earlier, "coord-reset", "a-new-password-2026");
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the cookie keeps its issue time to the second

        using (var weak = await SendAsync(admin, HttpMethod.Post, "/api/users/coord-reset/password", Json(new { password = "123456789012" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        }
        using (var both = await SendAsync(admin, HttpMethod.Post, "/api/users/coord-reset/password", Json(new { password = "another-good-one-77", generate = true })))
        {
            Assert.Equal("password_and_generate", (await BodyAsync(both)).GetProperty("rules").GetProperty("password")[0].GetString());
        }
        using (var given = await SendAsync(admin, HttpMethod.Post, "/api/users/coord-reset/password", Json(new { password = "another-good-one-77" })))
        {
            Assert.Equal(HttpStatusCode.OK, given.StatusCode);
            Assert.Equal(JsonValueKind.Null, (await BodyAsync(given)).GetProperty("password").ValueKind);
        }
        using (var attempt = CookieClient(app))
        using (var old = await SignInAsync(attempt, await CsrfTokenAsync(attempt), "coord-reset", "a-new-password-2026"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
        using (var me = await earlier.GetAsync(new Uri("/api/auth/me", UriKind.Relative)))
        {
            Assert.False((await BodyAsync(me)).GetProperty("signed_in").GetBoolean(), "a session from before the reset ends");
        }
        using var later = CookieClient(app);
        await SignInWithCookieAsync(later, "coord-reset", "another-good-one-77");
        using (var me = await later.GetAsync(new Uri("/api/auth/me", UriKind.Relative)))
        {
            Assert.True((await BodyAsync(me)).GetProperty("signed_in").GetBoolean(), "a session with the new password stays");
        }
        string generated;
        using (var made = await SendAsync(admin, HttpMethod.Post, "/api/users/coord-reset/password", Json(new { generate = true })))
        {
            generated = (await BodyAsync(made)).GetProperty("password").GetString()!;
        }
        await SignInWithCookieAsync(CookieClient(app), "coord-reset", generated);

        var resets = (await HistoryAsync("coord-reset")).Where(c => c.Action == AccountAction.PasswordReset).ToList();
        Assert.Equal(2, resets.Count);
        Assert.All(resets, r => Assert.DoesNotContain("another-good-one-77", r.Changes, StringComparison.Ordinal));
        Assert.DoesNotContain(generated, resets[1].Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_are_listed_without_their_text_and_revoked_by_an_administrator_or_their_owner_only()
    {
        using var admin = await ClientAsync(app, Admin);
        await CreateAsync(admin, "coord-tokens");
        var first = await TokenAsync(app, "coord-tokens");
        var second = await TokenAsync(app, "coord-tokens");
        using var firstClient = app.Factory.CreateClient();
        firstClient.DefaultRequestHeaders.Authorization = new("Bearer", first);
        using var secondClient = app.Factory.CreateClient();
        secondClient.DefaultRequestHeaders.Authorization = new("Bearer", second);

        using var own = await secondClient.GetAsync(new Uri("/api/auth/tokens", UriKind.Relative));
        var ownTokens = (await BodyAsync(own)).EnumerateArray().ToList();
        Assert.Equal(2, ownTokens.Count);
        Assert.NotEqual(JsonValueKind.Null, ownTokens[0].GetProperty("last_used_at").ValueKind); // this request used it
        var raw = await (await secondClient.GetAsync(new Uri("/api/auth/tokens", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.DoesNotContain(first, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountService.HashToken(first), raw, StringComparison.Ordinal);
        Assert.Equal(2, (await SummaryAsync(admin, "coord-tokens")).GetProperty("tokens").GetInt32());

        using var listed = await admin.GetAsync(new Uri("/api/users/coord-tokens/tokens", UriKind.Relative));
        var ids = (await BodyAsync(listed)).EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ToList();
        var (firstId, secondId) = (ids.Min(), ids.Max());
        using (var revoked = await SendAsync(admin, HttpMethod.Delete, $"/api/users/coord-tokens/tokens/{firstId}", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }
        using (var refused = await firstClient.GetAsync(new Uri("/api/auth/tokens", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using (var notTheirs = await SendAsync(admin, HttpMethod.Delete, $"/api/auth/tokens/{secondId}", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        }
        using (var selfRevoked = await SendAsync(secondClient, HttpMethod.Delete, $"/api/auth/tokens/{secondId}", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, selfRevoked.StatusCode);
        }
        using (var gone = await secondClient.GetAsync(new Uri("/api/auth/tokens", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        }
        Assert.Equal(0, (await SummaryAsync(admin, "coord-tokens")).GetProperty("tokens").GetInt32());
        var history = await HistoryAsync("coord-tokens");
        Assert.Equal([AccountAction.Create, AccountAction.TokenCreate, AccountAction.TokenCreate, AccountAction.TokenRevoke, AccountAction.TokenRevoke],
            history.Select(c => c.Action));
        Assert.Equal([Admin, "coord-tokens"], history.Where(c => c.Action == AccountAction.TokenRevoke).Select(c => c.ChangedBy));
    }

    [Fact]
    public async Task An_administrator_with_two_factor_signs_in_with_a_code_once_and_a_wrong_code_counts_as_a_failure()
    {
        using var admin = await ClientAsync(app, Admin);
        await CreateAsync(admin, "admin-totp", role: "administrator");
        using var session = CookieClient(app);
        var csrf = await SignInWithCookieAsync(session, "admin-totp", "a-new-password-2026");

        using var started = await SendAsync(session, HttpMethod.Post, "/api/auth/two-factor", null, csrfToken: csrf);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var enrolment = await BodyAsync(started);
        var totp = new Totp(Base32Encoding.ToBytes(enrolment.GetProperty("secret").GetString()!));
        Assert.StartsWith("otpauth://totp/SettlementMap:admin-totp?", enrolment.GetProperty("otpauth_uri").GetString(), StringComparison.Ordinal);
        using (var wrong = await SendAsync(session, HttpMethod.Post, "/api/auth/two-factor/confirm", Json(new { code = "000000" == totp.ComputeTotp() ? "111111" : "000000" }), csrfToken: csrf))
        {
            Assert.Equal("code_wrong", (await BodyAsync(wrong)).GetProperty("rules").GetProperty("code")[0].GetString());
        }
        using (var confirmed = await SendAsync(session, HttpMethod.Post, "/api/auth/two-factor/confirm", Json(new { code = totp.ComputeTotp() }), csrfToken: csrf))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        }
        Assert.True((await SummaryAsync(admin, "admin-totp")).GetProperty("two_factor").GetBoolean());

        using var next = CookieClient(app);
        var nextCsrf = await CsrfTokenAsync(next);
        using (var withoutCode = await SignInAsync(next, nextCsrf, "admin-totp", "a-new-password-2026"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
            Assert.True((await BodyAsync(withoutCode)).GetProperty("code_required").GetBoolean());
        }
        var failures = await FailuresAsync("account:admin-totp");
        using (var wrongCode = await SignInWithCodeAsync(next, nextCsrf, "admin-totp", "a-new-password-2026", "12345x"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
        }
        Assert.True(await FailuresAsync("account:admin-totp") > failures, "a wrong code counts as a failed sign-in");
        // The confirmation used this step's code: the next step's (within the window) signs in.
        var code = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        using (var withCode = await SignInWithCodeAsync(next, nextCsrf, "admin-totp", "a-new-password-2026", code))
        {
            Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
            Assert.True((await BodyAsync(withCode)).GetProperty("two_factor").GetBoolean());
        }
        using var replay = CookieClient(app);
        using (var again = await SignInWithCodeAsync(replay, await CsrfTokenAsync(replay), "admin-totp", "a-new-password-2026", code))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        }

        // Recovery: another administrator switches it off, and the password alone signs in again.
        using (var off = await SendAsync(admin, HttpMethod.Delete, "/api/users/admin-totp/two-factor", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        }
        await SignInWithCookieAsync(CookieClient(app), "admin-totp", "a-new-password-2026");
        var history = await HistoryAsync("admin-totp");
        Assert.Equal([AccountAction.Create, AccountAction.TotpEnable, AccountAction.TotpDisable], history.Select(c => c.Action));
        Assert.Equal(["admin-totp", Admin], history.Skip(1).Select(c => c.ChangedBy));
        Assert.All(history, c => Assert.DoesNotContain(enrolment.GetProperty("secret").GetString()!, c.Changes, StringComparison.Ordinal));
        await using var db = app.CreateContext();
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == "admin-totp")).TotpSecret);
    }

    [Fact]
    public async Task Only_administrators_enrol_and_a_coordinator_manages_no_accounts()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        foreach (var (method, url) in new[] { (HttpMethod.Post, "/api/auth/two-factor"), (HttpMethod.Get, "/api/users"), (HttpMethod.Get, "/api/account-changes"),
            (HttpMethod.Post, "/api/users/coord-nis/password"), (HttpMethod.Get, "/api/users/admin/tokens") })
        {
            using var response = await SendAsync(coordinator, method, url, method == HttpMethod.Post ? "{}" : null);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using var anonymous = app.Factory.CreateClient();
        using var own = await anonymous.GetAsync(new Uri("/api/auth/tokens", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, own.StatusCode);
    }

    [Fact]
    public async Task The_history_is_paged_latest_first_and_the_database_refuses_to_change_it()
    {
        using var admin = await ClientAsync(app, Admin);
        await CreateAsync(admin, "coord-paged");
        foreach (var name in new[] { "One", "Two", "Three" })
        {
            using var renamed = await SendAsync(admin, HttpMethod.Patch, "/api/users/coord-paged", Json(new { display_name = name }));
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        using var first = await admin.GetAsync(new Uri("/api/account-changes?user=coord-paged&limit=3", UriKind.Relative));
        var page = await BodyAsync(first);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Three", "Two", "One"], items.Select(i => i.GetProperty("changes").GetProperty("display_name").GetProperty("new").GetString()));
        var before = page.GetProperty("next_before").GetInt64();
        using var second = await admin.GetAsync(new Uri($"/api/account-changes?user=coord-paged&limit=3&before={before}", UriKind.Relative));
        var last = await BodyAsync(second);
        Assert.Equal(["create"], last.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next_before").ValueKind);
        using (var bad = await admin.GetAsync(new Uri("/api/account-changes?limit=0&page=2", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await BodyAsync(bad)).GetProperty("errors");
            Assert.True(errors.TryGetProperty("limit", out _));
            Assert.True(errors.TryGetProperty("page", out _));
        }

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "UPDATE account_changes SET changed_by = 'x'", "DELETE FROM account_changes", "TRUNCATE account_changes" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        Assert.Equal(4, (await HistoryAsync("coord-paged")).Count);
    }

    /// <summary>A stored jsonb object with its keys in ordinal order (jsonb keeps its own order), to compare as text.</summary>
    private static string Sorted(string json) => Sort(System.Text.Json.Nodes.JsonNode.Parse(json))?.ToJsonString() ?? "null";

    private static System.Text.Json.Nodes.JsonNode? Sort(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => new System.Text.Json.Nodes.JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        System.Text.Json.Nodes.JsonArray a => new System.Text.Json.Nodes.JsonArray([.. a.Select(i => Sort(i?.DeepClone()))]),
        _ => node?.DeepClone(),
    };

    private static Task<HttpResponseMessage> SignInWithCodeAsync(HttpClient client, string csrf, string userName, string password, string code) =>
        SendAsync(client, HttpMethod.Post, "/api/auth/sign-in", Json(new { user_name = userName, password, code }), csrfToken: csrf);

    private async Task<double> FailuresAsync(string key)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(failures), 0) FROM sign_in_throttle WHERE key = @key", connection);
        command.Parameters.AddWithValue("key", key);
        return Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
