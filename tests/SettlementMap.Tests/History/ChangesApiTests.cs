using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Http;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.History;

/// <summary>
/// GET /api/history/changes on the real PostGIS, over the history <see cref="ChangeStory"/> writes: every class,
/// the values at A and B, deleted and restored settlements, who sees what, the CSV, caching and bad input.
/// </summary>
public sealed class ChangesApiTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private ChangeStory _story = null!;

    public async Task InitializeAsync() => _story = await ChangeStory.SetUpAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> GetAsync(string? user, string path)
    {
        using var client = await Edits.ClientAsync(app, user);
        return await client.GetAsync(new Uri(path, UriKind.Relative));
    }

    private async Task<Dictionary<long, JsonElement>> FeaturesAsync(string? user, string query)
    {
        // A from or to in the query comes first and wins over the story's own (ASP.NET Core binds the first value).
        var dates = (query.Contains("from=", StringComparison.Ordinal) ? "" : $"from={_story.A}&") + (query.Contains("to=", StringComparison.Ordinal) ? "" : $"to={_story.B}&");
        using var response = await GetAsync(user, $"/api/history/changes?{dates}{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetInt64(), f => f.Clone());
    }

    private static (string Change, string? From, string? To) Of(Dictionary<long, JsonElement> features, long id)
    {
        var p = features[id].GetProperty("properties");
        static string? Text(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetString();
        return (p.GetProperty("change").GetString()!, Text(p.GetProperty("value_from")), Text(p.GetProperty("value_to")));
    }

    [Fact]
    public async Task Each_settlement_is_classed_with_its_values_at_A_and_at_B()
    {
        var features = await FeaturesAsync(null, "attribute=water_supply");
        Assert.Equal(("improved", "wells", "network"), Of(features, _story.Improved));
        Assert.Equal(("worsened", "network", "none"), Of(features, _story.Worsened));
        // To or from 'unknown' is a change, not a judgement.
        Assert.Equal(("changed", "network", "unknown"), Of(features, _story.Changed));
        // Another attribute edited: the compared one did not change.
        Assert.Equal(("unchanged", "wells", "wells"), Of(features, _story.Unchanged));
        Assert.Equal("gone", Of(features, _story.Gone).Change);
        Assert.Null(Of(features, _story.Gone).To);
        Assert.NotNull(Of(features, _story.Gone).From);
        Assert.Equal("new", Of(features, _story.New).Change);
        Assert.Null(Of(features, _story.New).From);
        Assert.NotNull(Of(features, _story.New).To);
        // Deleted and restored between A and B: there at both.
        Assert.Equal("unchanged", Of(features, _story.Restored).Change);
        Assert.Equal(("worsened", "network", "wells"), Of(features, _story.Elsewhere));
        // A gone settlement keeps its outline as it was at A.
        Assert.Equal("MultiPolygon", features[_story.Gone].GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal("nis", features[_story.Gone].GetProperty("properties").GetProperty("municipality_code").GetString());
    }

    [Fact]
    public async Task Nothing_changes_between_a_date_and_itself_and_a_date_means_the_end_of_that_day()
    {
        using var response = await GetAsync(null, $"/api/history/changes?attribute=water_supply&from={_story.B}&to={_story.B}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var classes = document.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("change").GetString()).Distinct().ToList();
        Assert.Equal(["unchanged"], classes);
        Assert.Equal("water_supply", document.RootElement.GetProperty("attribute").GetString());
        // The wells came late on A's day: a date-time before them reads the state then.
        var early = await FeaturesAsync(null, "attribute=water_supply");
        Assert.Equal("wells", Of(early, _story.Improved).From);
        var before = await FeaturesAsync(null, $"attribute=water_supply&from={_story.A}T22:00:00Z");
        Assert.Equal(("improved", "none", "network"), Of(before, _story.Improved));
    }

    [Fact]
    public async Task The_place_filters_select_by_where_the_settlement_is_at_B_or_when_gone_at_A()
    {
        var nis = await FeaturesAsync(null, "attribute=water_supply&municipality=nis");
        Assert.Contains(_story.Gone, nis.Keys);
        Assert.Contains(_story.New, nis.Keys);
        Assert.DoesNotContain(_story.Elsewhere, nis.Keys);
        Assert.All(nis.Values, f => Assert.Equal("nis", f.GetProperty("properties").GetProperty("municipality_code").GetString()));
        var box = await FeaturesAsync(null, "attribute=water_supply&bbox=18.8,41.8,18.9,41.9");
        Assert.Empty(box);
    }

    [Fact]
    public async Task A_smaller_distance_is_an_improvement_and_a_tie_of_ranks_only_a_change()
    {
        // Declared in SettlementSchema: distances lower is better; electricity's illegal and partial share a rank.
        var distances = await FeaturesAsync(null, "attribute=distance_to_health_centre_m");
        var p = distances[_story.Unchanged].GetProperty("properties");
        Assert.Equal("improved", p.GetProperty("change").GetString());
        Assert.Equal(5000, p.GetProperty("value_from").GetInt32());
        Assert.Equal(800, p.GetProperty("value_to").GetInt32());
        var electricity = await FeaturesAsync(Edits.Admin, "attribute=electricity");
        Assert.Equal(("changed", "illegal", "partial"), Of(electricity, _story.Changed));
        Assert.Equal(("worsened", "legal", "illegal"), Of(electricity, _story.Worsened));
    }

    [Fact]
    public async Task An_attribute_the_viewer_may_not_see_is_unknown_to_them()
    {
        using var anonymous = await GetAsync(null, $"/api/history/changes?attribute=eviction_threat&from={_story.A}&to={_story.B}");
        var problem = await Problems.AssertAsync(anonymous, 400, "attribute");
        Assert.DoesNotContain("eviction_threat", problem.GetProperty("errors").GetProperty("attribute")[0].GetString(), StringComparison.Ordinal);
        using var legal = await GetAsync(null, $"/api/history/changes?attribute=legal_status&from={_story.A}&to={_story.B}");
        await Problems.AssertAsync(legal, 400, "attribute");

        // A coordinator sees eviction_threat in Niš only: elsewhere the values are masked and the class says so.
        var coordinator = await FeaturesAsync(Edits.CoordinatorNis, "attribute=eviction_threat");
        var elsewhere = Of(coordinator, _story.Elsewhere);
        Assert.Equal(("hidden", null, null), elsewhere);
        Assert.NotNull(Of(coordinator, _story.Improved).From);
        var admin = await FeaturesAsync(Edits.Admin, "attribute=eviction_threat");
        Assert.Equal(("worsened", "no", "yes"), Of(admin, _story.Elsewhere));
    }

    [Fact]
    public async Task The_list_of_comparable_attributes_follows_the_viewer_and_the_schema()
    {
        using var anonymous = await GetAsync(null, "/api/history/changes/attributes");
        using var document = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync());
        var names = document.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.Clone());
        Assert.Contains("water_supply", names.Keys);
        Assert.DoesNotContain("eviction_threat", names.Keys);
        Assert.DoesNotContain("estimated_inhabitants", names.Keys);
        Assert.Equal("ranked", names["water_supply"].GetProperty("direction").GetString());
        Assert.Equal("[[\"none\"],[\"wells\"],[\"network\"]]", names["water_supply"].GetProperty("ranks").GetRawText());
        Assert.Equal("lower_is_better", names["substandard_share_pct"].GetProperty("direction").GetString());
        Assert.Equal("unordered", names["heating"].GetProperty("direction").GetString());
    }

    [Fact]
    public async Task The_csv_is_labelled_in_the_language_asked_and_safe_for_spreadsheets()
    {
        using var response = await GetAsync(Edits.Admin, $"/api/history/changes?attribute=water_supply&from={_story.A}&to={_story.B}&format=csv&lang=sr-Cyrl&municipality=nis");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"change-water_supply-{_story.A}-{_story.B}.csv",
            response.Content.Headers.ContentDisposition?.FileName);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Насеље,Општина,Снабдевање водом: " + _story.A + ",Снабдевање водом: " + _story.B + ",Промена,Шифра", lines[0], StringComparison.Ordinal);
        // The settlement named like a formula: quoted by a leading ', its values and class labelled.
        var improved = Assert.Single(lines, l => l.Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.StartsWith("\"'=HYPERLINK", improved, StringComparison.Ordinal);
        Assert.Contains(",бунари,водовод,побољшано,", improved, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(",нестало (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_holding_the_current_version_gets_304()
    {
        var path = $"/api/history/changes?attribute=sewerage&from={_story.A}&to={_story.B}";
        using var client = await Edits.ClientAsync(app, null);
        using var first = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var second = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("attribute=water_supply&to=2020-01-01", "from")]
    [InlineData("attribute=water_supply&from=2019-01-01", "to")]
    [InlineData("attribute=water_supply&from=2019-13-01&to=2020-01-01", "from")]
    [InlineData("attribute=water_supply&from=2019-01-01&to=yesterday", "to")]
    [InlineData("attribute=water_supply&from=2021-01-01&to=2020-01-01", "from")]
    [InlineData("attribute=heights&from=2019-01-01&to=2020-01-01", "attribute")]
    [InlineData("attribute=estimated_inhabitants&from=2019-01-01&to=2020-01-01", "attribute")]
    [InlineData("from=2019-01-01&to=2020-01-01", "attribute")]
    [InlineData("attribute=water_supply&from=2019-01-01&to=2020-01-01&format=xml", "format")]
    [InlineData("attribute=water_supply&from=2019-01-01&to=2020-01-01&lang=en", "lang")]
    [InlineData("attribute=water_supply&from=2019-01-01&to=2020-01-01&municipality=atlantis", "municipality")]
    [InlineData("attribute=water_supply&from=2019-01-01&to=2020-01-01&bbox=1,2,3", "bbox")]
    [InlineData("attribute=water_supply&from=2019-01-01&to=2020-01-01&as_of=2019-01-01", "as_of")]
    public async Task Bad_input_is_a_problem_naming_the_parameter(string query, string field)
    {
        using var response = await GetAsync(null, "/api/history/changes?" + query);
        await Problems.AssertAsync(response, 400, field);
    }
}
