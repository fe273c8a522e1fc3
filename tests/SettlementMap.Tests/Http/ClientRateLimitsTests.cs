using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using SettlementMap.Tests.Accounts;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Http;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Http;

/// <summary>
/// The per-client budgets: over one, a 429 with Retry-After and a problem body (and the hardening
/// headers); one client's exhaustion leaves the others alone (by address, the IPv6 /64, the account);
/// answers from the response cache, pages and health checks do not count; the map-query gate still
/// answers 503; and the limits can be turned off.
/// </summary>
public sealed class ClientRateLimitsTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>A test's own app over the class's database with its budgets; a request's <see cref="SignInInstances.AddressHeader"/> is its client address.</summary>
    private WebApplicationFactory<Program> App(Dictionary<string, string> settings) => SignInInstances.Start(app, TimeProvider.System, settings);

    private static Dictionary<string, string> Budget(RateBudget budget, int tokens) => new()
    {
        [$"{ClientRateLimits.Section}:{budget.Name}:{nameof(RateBudget.TokenLimit)}"] = tokens.ToString(CultureInfo.InvariantCulture),
        [$"{ClientRateLimits.Section}:{budget.Name}:{nameof(RateBudget.TokensPerPeriod)}"] = "1",
        [$"{ClientRateLimits.Section}:{budget.Name}:{nameof(RateBudget.PeriodSeconds)}"] = "3600",
    };

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? address = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        if (address is not null)
        {
            request.Headers.Add(SignInInstances.AddressHeader, address);
        }
        return await client.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url, string? address = null)
    {
        using var response = await GetAsync(client, url, address);
        return response.StatusCode;
    }

    /// <summary>A 429 from a budget: Retry-After in whole seconds within the period, a problem naming the budget and the wait, the headers.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string path, string budgetLabel)
    {
        var body = await Problems.AssertAsync(response, (int)HttpStatusCode.TooManyRequests, fragment: budgetLabel);
        Assert.Equal(ClientRateLimits.RejectionTitle, body.GetProperty("title").GetString());
        var seconds = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 3600);
        Assert.Contains($"try again in {seconds} s", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        HardeningHeaders.AssertOn(response, path);
    }

    private const string Tile = "/tiles/settlements/12/2297/1500.mvt";

    [Fact]
    public async Task Over_the_api_budget_a_client_gets_429_and_other_clients_do_not()
    {
        await using var limited = App(Budget(ClientRateLimits.Api, 4));
        using var client = limited.CreateClient();
        const string A = "192.0.2.10";
        // The API, the OGC API and the tiles share the budget.
        foreach (var url in new[] { "/api/config", "/ogc/collections", Tile, "/api/search?q=nis" })
        {
            Assert.True((await StatusAsync(client, url, A)) == HttpStatusCode.OK, url);
        }
        using (var refused = await GetAsync(client, "/api/config", A))
        {
            await AssertRefusedAsync(refused, "/api/config", ClientRateLimits.Api.Label);
        }
        using (var refused = await GetAsync(client, "/ogc/collections/settlements/items?limit=1", A))
        {
            await AssertRefusedAsync(refused, "/ogc/collections/settlements/items", ClientRateLimits.Api.Label);
        }
        // What does not count: a tile the response cache answers (before the limiter), pages, their files, health checks.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Tile, A));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, "/tiles/settlements/12/2297/1501.mvt", A));
        foreach (var url in new[] { "/", "/report.html", "/js/app.js", "/health/live" })
        {
            Assert.True((await StatusAsync(client, url, A)) == HttpStatusCode.OK, url);
        }

        // Another address, and an account signed in from the same one, have budgets of their own.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/config", "192.0.2.11"));
        using var admin = limited.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(app, Admin));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "/api/config", A));
    }

    [Fact]
    public async Task An_ipv6_client_is_its_64_block()
    {
        await using var limited = App(Budget(ClientRateLimits.Api, 2));
        using var client = limited.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/config", "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/config", "2001:db8:1:2:ffff::9"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, "/api/config", "2001:db8:1:2::77"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/config", "2001:db8:1:3::1"));
        // An IPv4 address mapped into IPv6 is the IPv4 client.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/config", "192.0.2.20"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/config", "::ffff:192.0.2.20"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, "/api/config", "192.0.2.20"));
    }

    [Fact]
    public async Task Over_the_bulk_budget_exports_and_uploads_get_429_and_the_rest_of_the_api_does_not()
    {
        await using var limited = App(Budget(ClientRateLimits.Bulk, 2));
        using var admin = limited.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(app, Admin));
        const string Export = "/api/export/settlements?format=csv&municipality=nis";
        Task<HttpResponseMessage> UploadAsync() =>
            admin.PostAsync(new Uri("/api/imports?file_name=limits.csv", UriKind.Relative), new StringContent("naziv,opstina\nGranica,nis\n", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, Export));
        using (var uploaded = await UploadAsync())
        {
            // The importer's own answer (this file maps no code column: 422), so the upload reached it and counted.
            Assert.Equal(HttpStatusCode.UnprocessableEntity, uploaded.StatusCode);
        }
        using (var refused = await GetAsync(admin, Export))
        {
            await AssertRefusedAsync(refused, "/api/export/settlements", ClientRateLimits.Bulk.Label);
        }
        using (var refused = await UploadAsync())
        {
            await AssertRefusedAsync(refused, "/api/imports", ClientRateLimits.Bulk.Label);
        }
        // The API budget is apart; another account and an anonymous client export as before.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "/api/config"));
        using var coordinator = limited.CreateClient();
        coordinator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(app, CoordinatorNis));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(coordinator, Export));
        using var anonymous = limited.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(anonymous, Export, "192.0.2.30"));
    }

    [Fact]
    public async Task The_map_query_gate_still_answers_503_with_retry_after()
    {
        await using var gated = App(new() { [MapQueryLimiter.ConcurrencySetting] = "1", [MapQueryLimiter.QueueSetting] = "0" });
        using var client = gated.CreateClient();
        // Tiles nobody asked for yet (the cache would answer a repeat), many at once: one runs, the rest are turned away.
        for (var round = 0; round < 5; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => GetAsync(client, $"/tiles/settlements/14/{9180 + i}/{5990 + round}.mvt")));
            try
            {
                Assert.DoesNotContain(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
                if (responses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.ServiceUnavailable) is { } busy)
                {
                    Assert.Equal("1", Assert.Single(busy.Headers.GetValues("Retry-After")));
                    HardeningHeaders.AssertOn(busy, "/tiles/settlements/14");
                    return;
                }
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }
        }
        Assert.Fail("24 tile requests at once never met the gate of one");
    }

    [Fact]
    public async Task Turned_off_nothing_is_refused()
    {
        var settings = Budget(ClientRateLimits.Api, 1);
        settings[ClientRateLimits.EnabledSetting] = "false";
        await using var unlimited = App(settings);
        using var client = unlimited.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/config", "192.0.2.40"));
        }
    }
}
