using System.Net;
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
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "", StringComparer.Ordinal);
        Assert.Equal("'self'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["style-src"]);
        Assert.Equal("'self' data:", directives["img-src"]); // the tests configure no base map
        Assert.Equal("'self'", directives["connect-src"]);
        Assert.Equal("'self'", directives["worker-src"]);
        Assert.Equal("'none'", directives["object-src"]);
        Assert.Equal("'self'", directives["base-uri"]);
        Assert.Equal("'self'", directives["form-action"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
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
