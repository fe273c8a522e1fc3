using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Settlements;

/// <summary>GET /api/search: either script, any case, with or without diacritics.</summary>
public sealed class SearchTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<List<JsonElement>> SearchAsync(string q, int? limit = null)
    {
        using var client = app.Factory.CreateClient();
        var url = $"/api/search?q={Uri.EscapeDataString(q)}{(limit is null ? "" : $"&limit={limit}")}";
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("results").EnumerateArray().Select(e => e.Clone())];
    }

    private static string Codes(IEnumerable<JsonElement> results) =>
        string.Join(",", results.Select(r => $"{r.GetProperty("kind").GetString()}:{r.GetProperty("code").GetString()}"));

    [Fact]
    public async Task Cyrillic_Latin_and_lower_case_find_the_same_municipality_first()
    {
        var cyrillic = await SearchAsync("Крагујевац");
        var latin = await SearchAsync("Kragujevac");
        var lower = await SearchAsync("kragujevac");
        Assert.Equal("municipality:kragujevac", Codes(cyrillic.Take(1)));
        Assert.Equal(Codes(cyrillic), Codes(latin));
        Assert.Equal(Codes(cyrillic), Codes(lower));
        var first = cyrillic[0];
        Assert.Equal("Крагујевац", first.GetProperty("name_cyrl").GetString());
        var bbox = first.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(bbox[0] < 20.92 && 20.92 < bbox[2] && bbox[1] < 44.01 && 44.01 < bbox[3], "the bbox contains Kragujevac's seat");
    }

    [Theory]
    [InlineData("Cukarica", "municipality:cukarica")]
    [InlineData("ČUKARICA", "municipality:cukarica")]
    [InlineData("Чукарица", "municipality:cukarica")]
    [InlineData("Inđija", "municipality:indjija")]
    [InlineData("Инђија", "municipality:indjija")]
    [InlineData("indjija", "municipality:indjija")]
    [InlineData("Niš", "municipality:nis")]
    [InlineData("nis", "municipality:nis")]
    public async Task Diacritics_and_script_are_ignored(string q, string expectedFirst) =>
        Assert.Equal(expectedFirst, Codes((await SearchAsync(q)).Take(1)));

    [Fact]
    public async Task Settlements_are_found_by_name_in_either_script_with_their_municipality()
    {
        await using var db = app.CreateContext();
        var settlement = await db.Settlements.Include(s => s.Municipality).Where(s => EF.Functions.Like(s.NameLatn, "%ž%")).OrderBy(s => s.Id).FirstAsync();
        var byCyrillic = await SearchAsync(settlement.NameCyrl, SearchApi.MaxLimit);
        var byAscii = await SearchAsync(Web.Text.SerbianScript.SearchKey(settlement.NameLatn), SearchApi.MaxLimit);
        var hit = Assert.Single(byCyrillic, r => r.GetProperty("id").GetInt64() == settlement.Id && r.GetProperty("kind").GetString() == "settlement");
        Assert.Equal(settlement.Municipality!.NameLatn, hit.GetProperty("municipality_name_latn").GetString());
        Assert.Contains(byAscii, r => r.GetProperty("id").GetInt64() == settlement.Id);
    }

    [Fact]
    public async Task Renaming_a_tracked_settlement_updates_its_search_key()
    {
        await using var db = app.CreateContext();
        var settlement = await db.Settlements.OrderBy(s => s.Id).Skip(3).FirstAsync();
        settlement.NameLatn = "Preimenovano Naselje";
        settlement.NameCyrl = "Преименовано Насеље";
        await db.SaveChangesAsync();
        Assert.Equal("preimenovano naselje", await db.Settlements.Where(s => s.Id == settlement.Id).Select(s => s.SearchKey).SingleAsync());
        Assert.Contains(await SearchAsync("ПРЕИМЕНОВАНО"), r => r.GetProperty("id").GetInt64() == settlement.Id);
    }

    [Fact]
    public async Task Like_wildcards_in_the_query_are_literal_and_limit_is_respected()
    {
        Assert.Empty(await SearchAsync("%"));
        Assert.Empty(await SearchAsync("_"));
        Assert.Equal(3, (await SearchAsync("a", 3)).Count);
    }

    [Theory]
    [InlineData("/api/search", "q")]
    [InlineData("/api/search?q=%20%20", "q")]
    [InlineData("/api/search?q=nis&limit=0", "limit")]
    [InlineData("/api/search?q=nis&limit=51", "limit")]
    [InlineData("/api/search?q=nis&limit=x", "limit")]
    [InlineData("/api/search?name=nis", "name")]
    public async Task Bad_search_requests_get_a_problem_naming_the_parameter(string url, string parameter)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task A_very_long_query_is_refused_not_run()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/search?q={new string('a', 101)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
