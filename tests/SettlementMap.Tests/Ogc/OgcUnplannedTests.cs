using System.Net;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Ogc;

/// <summary>
/// unplanned=attribute:target on the settlements collection's items (issue 26): the same settlements as the map's layer
/// with that filter, with other filters and over pages; described in /ogc/api and the queryables; refused elsewhere or malformed.
/// </summary>
public sealed class OgcUnplannedTests(AppFixture app) : IClassFixture<AppFixture>
{
    // About the parameter, not who sees what (OgcDisclosureTests): every attribute public.
    private readonly AppFixture app = EverythingPublic.Of(app);

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var client = app.Factory.CreateClient();
        var answer = await ReadAsync(client, path);
        return (answer.Status, answer.Body);
    }

    private static List<long> Ids(JsonElement collection) => [.. collection.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()).Order()];

    [Theory]
    [InlineData("unplanned=water_supply:network")]
    [InlineData("unplanned=sewerage:network&filter=estimated_inhabitants+%3E+50")]
    [InlineData("unplanned=eviction_threat:no&municipality_code=nis")]
    public async Task The_items_are_the_layers_settlements_with_the_same_filter(string query)
    {
        var (status, items) = await GetAsync("/ogc/collections/settlements/items?limit=10000&" + query);
        Assert.Equal(HttpStatusCode.OK, status);
        var layerQuery = query.Replace("filter=estimated_inhabitants+%3E+50", "min_inhabitants=51", StringComparison.Ordinal)
            .Replace("municipality_code=", "municipality=", StringComparison.Ordinal);
        var (layerStatus, layer) = await GetAsync("/api/layers/settlements?" + layerQuery);
        Assert.Equal(HttpStatusCode.OK, layerStatus);
        Assert.NotEmpty(Ids(layer));
        Assert.Equal(Ids(layer), Ids(items));
        Assert.Equal(Ids(layer).Count, items.GetProperty("numberMatched").GetInt64());
    }

    [Fact]
    public async Task Pages_carry_the_filter_in_their_next_links()
    {
        var (_, whole) = await GetAsync("/ogc/collections/settlements/items?limit=10000&unplanned=water_supply:network");
        var seen = new List<long>();
        var next = "/ogc/collections/settlements/items?limit=7&unplanned=water_supply:network";
        while (next is not null)
        {
            var (status, page) = await GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
            var link = page.GetProperty("links").EnumerateArray().FirstOrDefault(l => l.GetProperty("rel").GetString() == "next");
            next = link.ValueKind == JsonValueKind.Undefined ? null : new Uri(link.GetProperty("href").GetString()!).PathAndQuery;
            Assert.True(next is null || next.Contains("unplanned=water_supply", StringComparison.Ordinal), next);
        }
        Assert.Equal(Ids(whole), seen.Order());
    }

    [Theory]
    [InlineData("/ogc/collections/settlements/items?unplanned=water_supply", "unplanned")]
    [InlineData("/ogc/collections/settlements/items?unplanned=water_supply:piped", "unplanned")]
    [InlineData("/ogc/collections/settlements/items?unplanned=heating:none", "unplanned")]
    [InlineData("/ogc/collections/municipalities/items?unplanned=water_supply:network", "unplanned")]
    public async Task A_bad_or_misplaced_unplanned_is_a_problem_naming_it(string path, string field)
    {
        var (status, body) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(field, body.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task The_api_definition_and_the_queryables_describe_it()
    {
        var (_, api) = await GetAsync("/ogc/api");
        Assert.Contains("\"unplanned\"", api.GetRawText(), StringComparison.Ordinal);
        var (_, queryables) = await GetAsync("/ogc/collections/settlements/queryables");
        Assert.Contains("water_supply:network", queryables.GetProperty("x-parameters").GetProperty("unplanned").GetProperty("description").GetString(), StringComparison.Ordinal);
        var (_, municipalities) = await GetAsync("/ogc/collections/municipalities/queryables");
        Assert.False(municipalities.TryGetProperty("x-parameters", out _));
    }
}
