using System.Net;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Http;

namespace SettlementMap.Tests.Offline;

/// <summary>What makes the page installable and its shell available offline: the manifest, the worker and the shell's list.</summary>
public sealed class OfflineShellTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<List<string>> ShellAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/offline/shell", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. body.GetProperty("files").EnumerateArray().Select(f => f.GetString()!)];
    }

    [Fact]
    public async Task The_shell_lists_the_page_its_modules_and_the_vendor_files_they_name_and_every_one_is_served()
    {
        using var client = app.Factory.CreateClient();
        var files = await ShellAsync(client);
        foreach (var expected in new[] { "./", "index.html", "app.css", "js/app.js", "js/offline.js", "js/tile-worker.js", "manifest.webmanifest", "favicon.svg",
            "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet-geoman/leaflet-geoman.min.js", "vendor/pbf/index.js", "vendor/uplot/uPlot.iife.min.js" })
        {
            Assert.Contains(expected, files);
        }
        // Only what the pages name: not the whole of node_modules' dist folders.
        Assert.DoesNotContain(files, f => f.EndsWith(".map", StringComparison.Ordinal) || f.Contains("leaflet-src", StringComparison.Ordinal));
        Assert.Equal(files.Count, files.Distinct(StringComparer.Ordinal).Count());
        // cache.addAll fails as a whole on one missing file: every one must answer 200.
        foreach (var file in files)
        {
            using var response = await client.GetAsync(new Uri("/" + (file == "./" ? "" : file), UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, file + ": " + response.StatusCode);
        }
    }

    [Fact]
    public async Task The_manifest_is_served_as_a_manifest_installable_and_linked_from_the_page()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/manifest.webmanifest", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("/", manifest.GetProperty("start_url").GetString());
        Assert.Equal("/", manifest.GetProperty("scope").GetString());
        Assert.Equal("standalone", manifest.GetProperty("display").GetString());
        Assert.False(string.IsNullOrWhiteSpace(manifest.GetProperty("name").GetString()));
        var icon = Assert.Single(manifest.GetProperty("icons").EnumerateArray());
        Assert.Equal("favicon.svg", icon.GetProperty("src").GetString());
        Assert.Equal("any", icon.GetProperty("sizes").GetString());
        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<link rel=\"manifest\" href=\"manifest.webmanifest\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_is_served_from_the_root_as_a_script_under_the_same_policy()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/sw.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        // The worker takes its policy from its own response: scripts, workers and requests from this origin only, the manifest by default-src.
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy(null), policy);
        Assert.Contains("worker-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("manifest-src", policy, StringComparison.Ordinal);
        var script = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("importScripts", script, StringComparison.Ordinal);
    }
}
