using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Http;

namespace SettlementMap.Tests.Http;

/// <summary>The Content-Security-Policy and the other hardening headers on the pages, their files, the API and errors.</summary>
public sealed class SecurityHeadersTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static TheoryData<string, HttpStatusCode> Addresses => new()
    {
        { "/", HttpStatusCode.OK },
        { "/index.html", HttpStatusCode.OK },
        { "/report.html?municipality=nis", HttpStatusCode.OK },
        { "/import.html", HttpStatusCode.OK },
        { "/coverage.html", HttpStatusCode.OK },
        { "/js/app.js", HttpStatusCode.OK },
        { "/js/tile-worker.js", HttpStatusCode.OK }, // a worker's policy is its own script's
        { "/vendor/leaflet/leaflet.js", HttpStatusCode.OK },
        { "/api/config", HttpStatusCode.OK },
        { "/ogc", HttpStatusCode.OK },
        { "/api/search?q=", HttpStatusCode.BadRequest },
        { "/no-such-page.html", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task Every_response_carries_the_strict_policy_and_the_hardening_headers(string address, HttpStatusCode status)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(address, UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        HardeningHeaders.AssertOn(response, address);
    }

    /// <summary>
    /// Every endpoint the app maps (its EndpointDataSource), with every method it answers and HEAD for its
    /// GETs, anonymously and as the administrator, the OGC API also as HTML pages: whatever the answer
    /// (200, a problem, 401, 404, 405, 428), the headers are there.
    /// </summary>
    [Fact]
    public async Task Every_endpoint_answers_every_method_and_caller_with_the_headers()
    {
        using var anonymous = app.Factory.CreateClient();
        using var admin = await Editing.Edits.ClientAsync(app, Editing.Edits.Admin);
        var statuses = new SortedSet<int>();
        var requests = 0;
        foreach (var (key, endpoint) in AppEndpoints.All(app.Factory.Services))
        {
            var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
            var routes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                // An import's id is a guid; any other id a settlement's, a coverage record's.
                ["id"] = key.Contains("{id:guid}", StringComparison.Ordinal) ? Guid.Empty.ToString() : "1",
                ["userName"] = "headers-nobody",
                ["collectionId"] = "settlements",
                ["featureId"] = "1",
                ["z"] = "8", ["x"] = "142", ["y"] = "93",
                ["name"] = "headers-none",
                ["tokenId"] = "999999", // none: revoking the client's own token would sign it out
                ["attribute"] = "heating",
                ["measureId"] = "1", // writes without If-Match: 428, nothing changes
                ["planId"] = "1",
            };
            var path = AppEndpoints.Fill(endpoint, routes);
            var variants = new List<(string Method, string Url)> { (method, path) };
            if (method == "GET")
            {
                variants.Add(("HEAD", path));
                if (path.StartsWith("/ogc", StringComparison.Ordinal))
                {
                    variants.Add(("GET", path + "?f=html"));
                }
            }
            foreach (var client in new[] { anonymous, admin })
            {
                foreach (var (verb, url) in variants)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(verb), new Uri(url, UriKind.Relative));
                    using var response = await client.SendAsync(request);
                    HardeningHeaders.AssertOn(response, path);
                    statuses.Add((int)response.StatusCode);
                    requests++;
                }
            }
        }
        Assert.True(requests > 150, $"only {requests} requests");
        Assert.Superset(new SortedSet<int> { 200, 400, 401, 404 }, statuses);
    }

    /// <summary>Every file of the web root and the vendor packages' main files, with GET, HEAD and a revalidation (304).</summary>
    [Fact]
    public async Task Every_static_file_and_its_304_carry_the_headers()
    {
        using var client = app.Factory.CreateClient();
        var webRoot = Web.ProjectPaths.Find().WebRoot;
        var paths = Directory.EnumerateFiles(webRoot, "*", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(webRoot, f).Replace('\\', '/'))
            .Concat(["/", "/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/vendor/leaflet-geoman/leaflet-geoman.css", "/vendor/pbf/index.js"])
            .ToList();
        Assert.Contains("/index.html", paths);
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            HardeningHeaders.AssertOn(response, path);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));
            HardeningHeaders.AssertOn(head, path);
            await AssertRevalidatedAsync(client, path, response);
        }
    }

    /// <summary>The same GET with the first answer's ETag: a 304, with the headers.</summary>
    private static async Task AssertRevalidatedAsync(HttpClient client, string path, HttpResponseMessage first)
    {
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        HardeningHeaders.AssertOn(notModified, path);
    }

    /// <summary>The layer's and a tile's 304 (from the response cache, which answers before the endpoint runs).</summary>
    [Theory]
    [InlineData("/api/layers/settlements?bbox=21.8,43.2,22.0,43.4")]
    [InlineData("/tiles/settlements/12/2297/1500.mvt")]
    public async Task A_revalidation_from_the_response_cache_carries_the_headers(string address)
    {
        using var client = app.Factory.CreateClient();
        using var first = await client.GetAsync(new Uri(address, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRevalidatedAsync(client, address, first);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/config")]
    [InlineData("/ogc/collections")]
    public async Task Strict_transport_security_comes_only_over_https(string address)
    {
        using var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var response = await client.GetAsync(new Uri(address, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        HardeningHeaders.AssertOn(response, address, https: true);
    }

    [Theory]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org")]
    [InlineData("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org")]
    [InlineData("HTTP://Tiles.Example.org:8080/{z}/{x}/{y}.png?key=1", "http://tiles.example.org:8080")]
    [InlineData("https://tiles-{s}.example.org/{z}/{x}/{y}.png", "https:")]
    [InlineData("/basemap/{z}/{x}/{y}.png", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_base_maps_tile_host_is_the_images_source_it_adds(string? template, string? source) =>
        Assert.Equal(source, SecurityHeaders.BaseLayerSource(template));

    [Fact]
    public void The_default_base_map_of_appsettings_is_allowed_for_images_and_nothing_else() =>
        Assert.Contains("; img-src 'self' data: https://tile.openstreetmap.org; font-src",
            SecurityHeaders.ContentSecurityPolicy("https://tile.openstreetmap.org/{z}/{x}/{y}.png"), StringComparison.Ordinal);
}
