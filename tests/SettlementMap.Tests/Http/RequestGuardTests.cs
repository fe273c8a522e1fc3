using System.Net;
using System.Text;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Http;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Http;

/// <summary>
/// Text PostgreSQL cannot take (U+0000), other C0 controls, lone surrogates and invalid UTF-8 are
/// refused at the HTTP layer with a 400 naming the parameter or field, for every endpoint at once;
/// over-long URLs get a problem body, not Kestrel's empty 414.
/// </summary>
public sealed class RequestGuardTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/api/search?q=a%00b", "q")]
    [InlineData("/api/search?q=a%01b", "q")]
    [InlineData("/api/layers/settlements?municipality=ni%00s", "municipality")]
    [InlineData("/api/layers/settlements?water_supply=%00", "water_supply")]
    [InlineData("/ogc/collections/settlements/items?name_latn=a%00b", "name_latn")]
    [InlineData("/ogc/collections/settlements/items?filter=name_latn%3D%27a%00%27", "filter")]
    [InlineData("/api/export/settlements?municipality=a%1Fb", "municipality")]
    [InlineData("/api/search?a%00b=1", "a\\u0000b")]
    public async Task A_control_character_in_a_query_is_a_400_naming_the_parameter(string url, string parameter)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        await Problems.AssertAsync(response, 400, parameter, "U+00");
    }

    [Theory]
    [InlineData("/api/search?q=a%09b%0Ac")]
    [InlineData("/api/search?q=%F0%9F%98%80")]
    public async Task Tabs_line_breaks_and_paired_surrogates_pass(string url)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/ogc/collections/a%01b/items")]
    [InlineData("/api/settlements/%1B")]
    public async Task A_control_character_in_the_path_is_a_400_problem(string url)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        await Problems.AssertAsync(response, 400, "path");
    }

    public static TheoryData<string, string> SignInBodies => new()
    {
        { "{\"user_name\":\"ad\\u0000min\",\"password\":\"x\"}", "user_name" },
        { "{\"user_name\":\"admin\",\"password\":\"\\ud800\"}", "password" },
        { "{\"user_name\":\"admin\",\"pass\\u0000word\":\"x\"}", "pass\\u0000word" },
    };

    [Theory]
    [MemberData(nameof(SignInBodies))]
    public async Task Bad_text_in_a_JSON_body_is_a_400_naming_the_field(string body, string field)
    {
        using var client = CookieClient(app);
        using var response = await SignInAsync(client, await CsrfTokenAsync(client), body);
        await Problems.AssertAsync(response, 400, field);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string csrf, string body) =>
        SendAsync(client, HttpMethod.Post, "/api/auth/sign-in", body, csrfToken: csrf);

    [Theory]
    [InlineData("{\"properties\":{\"name_latn\":\"\\ud800\"}}", "name_latn")]
    [InlineData("{\"properties\":{\"name_latn\":\"Bara\\u0000\"}}", "name_latn")]
    [InlineData("{\"properties\":{\"source\":[\"x\",\"\\udc00y\"]}}", "source[1]")]
    public async Task A_PATCH_with_a_lone_surrogate_or_NUL_names_the_field(string body, string field)
    {
        var id = await DemoIdAsync(app, "nis", 1);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        using var response = await PatchAsync(client, id, body, before.ETag);
        await Problems.AssertAsync(response, 400, field);
    }

    [Fact]
    public async Task A_PATCH_body_that_is_not_UTF_8_is_a_400()
    {
        var id = await DemoIdAsync(app, "nis", 1);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var bytes = Encoding.UTF8.GetBytes("{\"properties\":{\"name_latn\":\"Bara X\"}}");
        bytes[bytes.Length - 5] = 0xED; // a lone surrogate's UTF-8 form: ED A0 80
        bytes[bytes.Length - 4] = 0xA0;
        bytes[bytes.Length - 3] = 0x80;
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/settlements/{id}", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("If-Match", before.ETag);
        using var response = await client.SendAsync(request);
        await Problems.AssertAsync(response, 400);
    }

    [Fact]
    public async Task A_long_filter_reaches_CQL2s_own_limit_and_a_longer_URL_gets_a_problem_414()
    {
        using var client = app.Factory.CreateClient();
        var filter = "name_latn='" + new string('a', 9000) + "'";
        using (var response = await client.GetAsync(new Uri($"/ogc/collections/settlements/items?filter={Uri.EscapeDataString(filter)}", UriKind.Relative)))
        {
            await Problems.AssertAsync(response, 400, null, "8192");
        }
        using (var response = await client.GetAsync(new Uri($"/api/search?q={new string('a', RequestGuard.MaxUrlLength)}", UriKind.Relative)))
        {
            await Problems.AssertAsync(response, 414);
        }
    }

    /// <summary>
    /// Over a real Kestrel: a 20 KB URL reaches the app (Kestrel's default limit of 8 KB answered it
    /// with an empty 414), a 40 KB one gets the app's problem 414; past Kestrel's raised limit Kestrel
    /// still answers by itself, with no body (it gives the app no say there).
    /// </summary>
    [Fact]
    public async Task Over_Kestrel_long_URLs_reach_the_app()
    {
        await using var factory = new SettlementMapFactory(app.ConnectionString);
        var address = factory.StartKestrel();
        var filter = Uri.EscapeDataString("name_latn='" + new string('a', 20_000) + "'");
        var reached = await RawHttp.GetAsync(address, $"/ogc/collections/settlements/items?filter={filter}");
        Assert.Equal(400, reached.Status);
        Assert.Contains("8192", reached.Body, StringComparison.Ordinal);
        Assert.Contains(Problems.MediaType, reached.Headers, StringComparison.Ordinal);

        var tooLong = await RawHttp.GetAsync(address, $"/api/search?q={new string('a', 40_000)}");
        Assert.Equal(414, tooLong.Status);
        Assert.Contains(Problems.MediaType, tooLong.Headers, StringComparison.Ordinal);

        var pastKestrel = await RawHttp.GetAsync(address, $"/api/search?q={new string('a', RequestGuard.KestrelRequestLineLimit + 10)}");
        Assert.Equal(414, pastKestrel.Status);

        // Kestrel's URL decoder refuses %00 in a path with an empty 400 before any middleware runs
        // (ASP.NET Core has no hook for that answer); a NUL in a query value reaches the app.
        var nulPath = await RawHttp.GetAsync(address, "/ogc/collections/a%00b/items");
        Assert.Equal(400, nulPath.Status);
        var nulQuery = await RawHttp.GetAsync(address, "/api/search?q=a%00b");
        Assert.Equal(400, nulQuery.Status);
        Assert.Contains(Problems.MediaType, nulQuery.Headers, StringComparison.Ordinal);
    }
}
