using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SettlementMap.Tests.Accounts;
using SettlementMap.Tests.Import;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web;
using SettlementMap.Web.Features.Import;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Instances;

/// <summary>
/// Two instances of the app on one database, as behind a load balancer that sends each request to
/// either: each has a folder of its own for local state (as on its own machine), so only what they
/// share on purpose (the database; the upload directory Import:UploadDirectory names) is shared.
/// A user's requests alternate between them. (The sign-in throttle's count across instances is
/// SignInThrottleHttpTests.Two_instances_on_one_database_share_the_count.)
/// </summary>
public sealed class TwoInstancesTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("settlementmap-instances-").FullName;
    private WebApplicationFactory<Program> _a = null!;
    private WebApplicationFactory<Program> _b = null!;

    public Task InitializeAsync()
    {
        var uploads = Directory.CreateDirectory(Path.Combine(_scratch, "shared-uploads")).FullName;
        _a = Start("a", uploads);
        _b = Start("b", uploads);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>An instance whose repository root is its own (wwwroot/, data/, node_modules/ linked from the real one, .data/ its own).</summary>
    private WebApplicationFactory<Program> Start(string name, string sharedUploads)
    {
        var real = app.Factory.Services.GetRequiredService<ProjectPaths>();
        var root = Directory.CreateDirectory(Path.Combine(_scratch, name)).FullName;
        foreach (var folder in new[] { real.WebRoot, real.Data, real.NodeModules })
        {
            Directory.CreateSymbolicLink(Path.Combine(root, Path.GetFileName(folder)), folder);
        }
        var settings = new Dictionary<string, string> { [ImportUploads.DirectorySetting] = sharedUploads };
        return SignInInstances.Start(app, new TestClock(), settings)
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(new ProjectPaths(root))));
    }

    /// <summary>A page's client on one instance; clients made with one jar are one browser.</summary>
    private static HttpClient Browser(WebApplicationFactory<Program> instance, CookieContainerHandler jar) =>
        instance.CreateDefaultClient(new Uri("http://localhost"), jar);

    [Fact]
    public async Task A_sign_in_cookie_and_an_antiforgery_token_of_one_instance_are_accepted_by_the_other()
    {
        var cookies = new System.Net.CookieContainer();
        using var onA = Browser(_a, new CookieContainerHandler(cookies));
        using var onB = Browser(_b, new CookieContainerHandler(cookies));

        // The page loaded from A, its sign-in posted to B: B takes A's antiforgery token.
        using (var signIn = await SignInAsync(onB, await CsrfTokenAsync(onA), Admin, AdminPassword))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }
        // B's sign-in cookie on A, and A's on B (A renews it: sliding expiry).
        using (var meOnA = await onA.GetAsync(new Uri("/api/auth/me", UriKind.Relative)))
        {
            Assert.Equal(Admin, (await BodyAsync(meOnA)).GetProperty("user_name").GetString());
        }
        using var me = await onB.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        var identity = await BodyAsync(me);
        Assert.Equal(Admin, identity.GetProperty("user_name").GetString());

        // A's token for the signed-in identity, on a write B only takes with a valid token.
        using var signedInMe = await onA.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        var tokenFromA = (await BodyAsync(signedInMe)).GetProperty("csrf_token").GetString();
        const string mapping = """{"columns":{"sifra":"code"}}""";
        using (var withoutToken = await SendAsync(onB, HttpMethod.Put, "/api/import-mappings/instances-test", mapping))
        {
            Assert.True(withoutToken.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"without a token: {withoutToken.StatusCode}");
        }
        using var withToken = await SendAsync(onB, HttpMethod.Put, "/api/import-mappings/instances-test", mapping, csrfToken: tokenFromA);
        Assert.True(withToken.IsSuccessStatusCode, $"{withToken.StatusCode}: {await withToken.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public void Keys_an_earlier_version_kept_in_one_instances_folder_are_moved_to_the_database_for_all()
    {
        var earlierKeys = new DirectoryInfo(Path.Combine(_scratch, "a", ".data", "keys"));
        var earlier = DataProtectionProvider.Create(earlierKeys, setup => setup.SetApplicationName("SettlementMap")).CreateProtector("test");
        var secret = earlier.Protect("a two-step sign-in secret");

        Assert.Equal("a two-step sign-in secret", Protector(_a).Unprotect(secret));
        Assert.Equal("a two-step sign-in secret", Protector(_b).Unprotect(secret));
    }

    private static IDataProtector Protector(WebApplicationFactory<Program> instance) =>
        instance.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

    [Fact]
    public async Task An_import_uploaded_on_A_is_dry_run_again_and_applied_on_B()
    {
        var token = await TokenAsync(app, Admin);
        using var onA = Bearer(_a, token);
        using var onB = Bearer(_b, token);
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "leskovac", 1))[0];
        var file = ImportSteps.FeatureCollection(
            (ImportSteps.Square(spot.Lon, spot.Lat), new { sifra = "INST-001", naziv = "Mahala na dve instance", opstina = "leskovac" }));

        var uploaded = await ImportSteps.UploadAsync(onA, "instances.geojson", file);
        Assert.Equal(HttpStatusCode.Created, uploaded.Status);

        using (var again = await onB.PostAsync(new Uri($"/api/imports/{uploaded.Id}/dry-run", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        var applied = await ImportSteps.ApplyAsync(onB, uploaded.Id, skipBadRows: false);
        Assert.Equal(HttpStatusCode.OK, applied.Status);
        Assert.True(applied.Json.GetProperty("applied").GetBoolean());
        Assert.Equal(1, applied.Number("created"));
    }

    [Fact]
    public async Task An_edit_on_A_gives_B_a_new_layer_ETag_and_no_stale_cached_answer()
    {
        var token = await TokenAsync(app, Admin);
        using var onA = Bearer(_a, token);
        using var onB = Bearer(_b, token);
        const string layer = "/api/layers/settlements/summary?theme=water_supply";
        var (before, _) = await LayerAsync(onB, layer, null);
        var (cached, _) = await LayerAsync(onB, layer, null);
        Assert.Equal(before, cached);

        var id = await DemoIdAsync(app, "nis", 2);
        var settlement = await GetAsync(onA, id);
        using (var edit = await PatchAsync(onA, id, Properties("water_supply", OtherWaterSupply(settlement.Text("water_supply"))), settlement.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        // B learns of A's commit by PostgreSQL's notification, a moment later: never an old body under a new ETag,
        // and the old ETag no longer gets a 304.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var (after, status) = await LayerAsync(onB, layer, before);
        while (status == HttpStatusCode.NotModified && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            (after, status) = await LayerAsync(onB, layer, before);
        }
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(before, after);
    }

    /// <summary>
    /// What nginx (docker/nginx.conf) must know of the app: a request with the sign-in cookie or a token is
    /// signed in, and its answer depends on the viewer, so it bypasses the cache; renaming the cookie
    /// without the proxy would let nginx hand one viewer's layer to another. Uploads up to the app's limit pass.
    /// </summary>
    [Fact]
    public void The_proxy_knows_the_sign_in_cookie_and_lets_the_largest_upload_through()
    {
        var config = File.ReadAllText(Path.Combine(app.Factory.Services.GetRequiredService<ProjectPaths>().Root, "docker", "nginx.conf"));
        var cookie = app.Factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(Web.Features.Accounts.Authentication.CookieScheme).Cookie.Name;
        Assert.Contains($"map \"$http_authorization$cookie_{cookie}\" $signed_in", config, StringComparison.Ordinal);
        Assert.Contains("proxy_cache_bypass $signed_in;", config, StringComparison.Ordinal);
        Assert.Contains("proxy_no_cache $signed_in;", config, StringComparison.Ordinal);
        var bodyLimit = System.Text.RegularExpressions.Regex.Match(config, @"client_max_body_size (\d+)m;");
        var configuration = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        Assert.True(long.Parse(bodyLimit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024 > ImportApi.MaxUploadBytes(configuration));
    }

    private static HttpClient Bearer(WebApplicationFactory<Program> instance, string token)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<(string ETag, HttpStatusCode Status)> LayerAsync(HttpClient client, string url, string? ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotModified, $"{url}: {response.StatusCode}");
        return (response.Headers.ETag!.Tag, response.StatusCode);
    }
}
