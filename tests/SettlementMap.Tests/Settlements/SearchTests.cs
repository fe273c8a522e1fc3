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

    private async Task<JsonElement> PageAsync(string q, int limit, int offset, string? user = null)
    {
        using var client = await Editing.Edits.ClientAsync(app, user);
        using var response = await client.GetAsync(new Uri($"/api/search?q={Uri.EscapeDataString(q)}&limit={limit}&offset={offset}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static List<JsonElement> Results(JsonElement page) => [.. page.GetProperty("results").EnumerateArray()];

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

    [Fact]
    public async Task Every_match_is_reached_page_by_page_the_16th_Stanica_of_Nis_too()
    {
        await using var db = app.CreateContext();
        var expected = await db.Settlements.CountAsync(s => EF.Functions.Like(s.SearchKey, "%stanica%"));
        Assert.True(expected > 12, $"the demo has {expected} settlements named Stanica…");
        var seen = new List<string>();
        int? offset = 0;
        while (offset is int from)
        {
            var page = await PageAsync("Stanica", 12, from);
            Assert.Equal(expected, page.GetProperty("total").GetInt32());
            Assert.Equal(from, page.GetProperty("offset").GetInt32());
            seen.AddRange(Results(page).Select(r => r.GetProperty("code").GetString()!));
            offset = page.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
            Assert.True(seen.Count <= expected, "pages never run past the total");
        }
        Assert.Equal(expected, seen.Count);
        Assert.Equal(expected, seen.Distinct().Count());
        Assert.Contains("DEMO-NIS-004", seen);
        // One page of 50 is the same list as pages of 12.
        Assert.Equal(seen, Results(await PageAsync("Stanica", 50, 0)).Select(r => r.GetProperty("code").GetString()!));
    }

    [Theory]
    [InlineData("stanica nis")]
    [InlineData("станица ниш")]
    [InlineData("Stanica Niš")]
    [InlineData("STANICA, NIŠ")]
    [InlineData("Niš Stanica")]
    public async Task A_name_and_a_municipality_find_the_settlement_there_only(string q)
    {
        var page = await PageAsync(q, 50, 0);
        var results = Results(page);
        Assert.Equal("settlement:DEMO-NIS-004", Codes(results.Take(1)));
        Assert.All(results, r => Assert.Equal("Niš", r.GetProperty("municipality_name_latn").GetString()));
        var within = Assert.Single(page.GetProperty("within").EnumerateArray());
        Assert.Equal("municipality", within.GetProperty("kind").GetString());
        Assert.Equal("nis", within.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_district_narrows_to_its_municipalities()
    {
        await using var db = app.CreateContext();
        var nisava = await db.Settlements.Where(s => s.NameLatn == "Stanica" && s.Municipality!.District!.Code == "RS.SE.20")
            .Select(s => s.Code).OrderBy(c => c).ToListAsync();
        Assert.True(nisava.Count >= 2, "Niš and Niška Banja both have a Stanica");
        foreach (var q in new[] { "stanica nisava", "Станица Нишавски округ", "nisavski stanica" })
        {
            var page = await PageAsync(q, 50, 0);
            Assert.Equal(nisava, Results(page).Select(r => r.GetProperty("code").GetString()!).Order());
            Assert.Equal("RS.SE.20", Assert.Single(page.GetProperty("within").EnumerateArray()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task The_coordinators_own_municipality_comes_first_when_signed_in_not_when_anonymous()
    {
        var anonymous = Results(await PageAsync("Stanica", 12, 0));
        Assert.NotEqual("settlement:DEMO-NIS-004", Codes(anonymous.Take(1)));
        Assert.All(anonymous, r => Assert.False(r.GetProperty("own_municipality").GetBoolean()));

        var coordinator = Results(await PageAsync("Stanica", 12, 0, Editing.Edits.CoordinatorNis));
        Assert.Equal("settlement:DEMO-NIS-004", Codes(coordinator.Take(1)));
        Assert.True(coordinator[0].GetProperty("own_municipality").GetBoolean());
        Assert.All(coordinator.Skip(1), r => Assert.False(r.GetProperty("own_municipality").GetBoolean()));
        // The rest in the anonymous order: the same list without the coordinator's own.
        Assert.Equal(Codes(anonymous.Where(r => r.GetProperty("code").GetString() != "DEMO-NIS-004").Take(11)), Codes(coordinator.Skip(1)));

        // An administrator has no own municipalities: the anonymous order.
        Assert.Equal(Codes(anonymous), Codes(Results(await PageAsync("Stanica", 12, 0, Editing.Edits.Admin))));
    }

    [Fact]
    public async Task An_exact_name_ranks_before_the_coordinators_own_municipality()
    {
        await using var db = app.CreateContext();
        var nis = await db.Municipalities.SingleAsync(m => m.Code == "nis");
        // A one-word name no settlement of Niš has.
        var elsewhere = await db.Settlements.Where(s => !EF.Functions.Like(s.NameLatn, "% %"))
            .GroupBy(s => s.NameLatn).Where(g => g.All(s => s.MunicipalityId != nis.Id)).Select(g => g.Key).OrderBy(n => n).FirstAsync();
        var own = await db.Settlements.Where(s => s.MunicipalityId == nis.Id && s.Code != "DEMO-NIS-004").OrderByDescending(s => s.Id).FirstAsync();
        own.NameLatn = elsewhere + " Gornje";
        own.NameCyrl = Web.Text.SerbianScript.ToCyrillic(own.NameLatn);
        await db.SaveChangesAsync();

        var results = Results(await PageAsync(elsewhere, 50, 0, Editing.Edits.CoordinatorNis)).Where(r => r.GetProperty("kind").GetString() == "settlement").ToList();
        var exact = await db.Settlements.CountAsync(s => s.NameLatn == elsewhere);
        Assert.All(results.Take(exact), r => Assert.Equal(elsewhere, r.GetProperty("name_latn").GetString()));
        Assert.All(results.Take(exact), r => Assert.False(r.GetProperty("own_municipality").GetBoolean()));
        // Then the coordinator's own, a name that only starts with the text.
        Assert.Equal(own.Code, results[exact].GetProperty("code").GetString());
        Assert.True(results[exact].GetProperty("own_municipality").GetBoolean());
    }

    [Theory]
    [InlineData("/api/search", "q")]
    [InlineData("/api/search?q=%20%20", "q")]
    [InlineData("/api/search?q=nis&limit=0", "limit")]
    [InlineData("/api/search?q=nis&limit=51", "limit")]
    [InlineData("/api/search?q=nis&limit=x", "limit")]
    [InlineData("/api/search?name=nis", "name")]
    [InlineData("/api/search?q=nis&offset=-1", "offset")]
    [InlineData("/api/search?q=nis&offset=10001", "offset")]
    [InlineData("/api/search?q=nis&offset=1e3", "offset")]
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
