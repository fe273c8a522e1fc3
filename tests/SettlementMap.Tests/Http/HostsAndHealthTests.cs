using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Http;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Http;

/// <summary>Links never follow a Host header the operator did not allow; health endpoints for compose and load balancers.</summary>
public sealed class HostsAndHealthTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static IEnumerable<string> Links(JsonElement landing) =>
        landing.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("href").GetString()!);

    [Fact]
    public async Task A_Host_that_is_not_allowed_gets_a_400_problem_and_no_links()
    {
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ogc/", UriKind.Relative));
        request.Headers.Host = "evil.example";
        using var response = await client.SendAsync(request);
        await Problems.AssertAsync(response, 400, null, "evil.example");
        Assert.DoesNotContain("href", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:8080")]
    public async Task The_default_hosts_are_answered(string host)
    {
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ogc/", UriKind.Relative));
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(Links(await JsonAsync(response)), href => Assert.StartsWith($"http://{host}/ogc", href, StringComparison.Ordinal));
    }

    [Fact]
    public async Task X_Forwarded_headers_do_not_move_the_links()
    {
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ogc/", UriKind.Relative));
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Prefix", "/evil");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(Links(await JsonAsync(response)), href => Assert.StartsWith("http://localhost/ogc", href, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_PublicBaseUrl_every_link_starts_with_it_and_its_host_is_allowed()
    {
        await using var factory = app.Factory.WithWebHostBuilder(b => b.UseSetting(PublicUrls.BaseUrlSetting, "https://maps.example.org/settlementmap/"));
        using var client = factory.CreateClient();
        foreach (var host in new[] { "localhost", "maps.example.org" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ogc/collections/settlements/items?limit=1", UriKind.Relative));
            request.Headers.Host = host;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var links = (await JsonAsync(response)).GetProperty("links").EnumerateArray().Select(l => l.GetProperty("href").GetString()!).ToList();
            Assert.NotEmpty(links);
            Assert.All(links, href => Assert.StartsWith("https://maps.example.org/settlementmap/ogc/", href, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Live_and_ready_answer_200_with_the_database_up()
    {
        using var client = app.Factory.CreateClient();
        foreach (var path in new[] { Health.LivePath, Health.ReadyPath })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("healthy", (await JsonAsync(response)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task The_healthcheck_command_exits_0_when_ready_and_1_when_not()
    {
        await using var factory = new SettlementMapFactory(app.ConnectionString);
        var address = factory.StartKestrel();
        Assert.Equal(0, await Health.ProbeAsync([new Uri(address, Health.ReadyPath).ToString()]));
        Assert.Equal(1, await Health.ProbeAsync([new Uri(address, "/no-such-page").ToString()]));
    }

    /// <summary>compose and the image ask readiness with the app's own probe (the runtime image has no curl or wget).</summary>
    [Fact]
    public void Compose_and_the_image_probe_ready()
    {
        var probe = $"\"dotnet\", \"SettlementMap.Web.dll\", \"healthcheck\", \"http://127.0.0.1:8080{Health.ReadyPath}\"";
        var compose = File.ReadAllText(Path.Combine(PostgisServer.Paths.Root, "docker-compose.yml"));
        Assert.Contains($"test: [\"CMD\", {probe}]", compose, StringComparison.Ordinal);
        Assert.Contains("pg_isready", compose, StringComparison.Ordinal);
        Assert.Contains($"HEALTHCHECK --interval=10s --timeout=6s --start-period=60s --retries=3 CMD [{probe}]",
            File.ReadAllText(Path.Combine(PostgisServer.Paths.Root, "Dockerfile")), StringComparison.Ordinal);
    }
}

/// <summary>The database goes away under a running app: data endpoints say 503 with Retry-After, ready says 503, live says 200.</summary>
public sealed class DatabaseOutageTests(DemoDatabaseFixture database, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task A_database_outage_is_a_503_with_Retry_After()
    {
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var factory = new SettlementMapFactory(viaProxy);
        using var client = factory.CreateClient();
        using (var before = await client.GetAsync(new Uri("/api/search?q=nis", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await proxy.StopAsync();

        foreach (var url in new[] { "/api/search?q=nis", "/api/settlements/1", "/ogc/collections/settlements/items?limit=1" })
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            output.WriteLine($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Problems.AssertAsync(response, 503);
            Assert.Equal(TimeSpan.FromSeconds(ProblemHandling.DatabaseRetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        }
        using (var ready = await client.GetAsync(new Uri(Health.ReadyPath, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.NotNull(ready.Headers.RetryAfter);
        }
        using (var live = await client.GetAsync(new Uri(Health.LivePath, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
    }
}

/// <summary>
/// A write that collides with an existing row (PostgreSQL's unique violation) is a 409 naming the
/// column, not a 500: here the race no handler check can close, the same programme created by
/// several requests at once (the check-then-insert of each sees no row yet).
/// </summary>
public sealed class UniqueViolationTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Creating_the_same_programme_at_once_gives_one_success_and_409s_naming_the_code()
    {
        using var client = await Editing.Edits.ClientAsync(app, Editing.Edits.Admin);
        var statuses = new List<int>();
        for (var round = 0; round < 5; round++)
        {
            var body = $$"""{"code":"race{{round}}","name_en":"Race","name_sr_latn":"Trka","funders":"f","started_on":"2024-01-01","ended_on":null}""";
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Editing.Edits.SendAsync(client, HttpMethod.Post, "/api/programmes", body)));
            foreach (var response in responses)
            {
                statuses.Add((int)response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    await Problems.AssertAsync(response, 409, "code");
                }
                response.Dispose();
            }
            Assert.Equal(1, responses.Count(r => r.IsSuccessStatusCode));
        }
        Assert.All(statuses, s => Assert.True(s is 201 or 400 or 409, $"statuses: {string.Join(", ", statuses)}"));
    }
}
