using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Settlements;

/// <summary>
/// The settlement filters as every endpoint binds them ([AsParameters]): the names an unknown
/// parameter's problem lists are the bound ones, and a parameter given twice selects what its comma
/// list does, as when the handlers read the raw query.
/// </summary>
public sealed class SettlementFilterQueryTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<SettlementFilterQuery> Queries => [new SettlementFilterQuery(), new SettlementAreaQuery(), new SettlementLayerQuery()];

    [Theory]
    [MemberData(nameof(Queries))]
    public void The_names_are_the_bound_parameters(SettlementFilterQuery query)
    {
        var bound = query.GetType().GetProperties().Select(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name).ToList();
        Assert.DoesNotContain(null, bound);
        Assert.Equal(bound.Order(StringComparer.Ordinal), query.Names().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_layer_takes_bbox_first_and_zoom_last_and_the_tiles_neither()
    {
        Assert.Equal(["bbox", .. new SettlementFilterQuery().Names(), "zoom"], new SettlementLayerQuery().Names());
        Assert.Equal(["bbox", .. new SettlementFilterQuery().Names()], new SettlementAreaQuery().Names());
        Assert.DoesNotContain("bbox", new SettlementFilterQuery().Names());
    }

    private const string Repeated = "water_supply=wells&water_supply=none&legal_status=legalised&legal_status=in_process";
    private const string Listed = "water_supply=wells,none&legal_status=legalised,in_process";

    [Theory]
    [InlineData("/api/layers/settlements?")]
    [InlineData("/api/export/settlements?format=csv&geometry=none&")]
    public async Task A_parameter_given_twice_selects_what_its_comma_list_does(string url)
    {
        using var client = app.Factory.CreateClient();
        using var repeated = await client.GetAsync(new Uri(url + Repeated, UriKind.Relative));
        using var listed = await client.GetAsync(new Uri(url + Listed, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var body = await listed.Content.ReadAsStringAsync();
        Assert.Equal(body, await repeated.Content.ReadAsStringAsync());
        Assert.Contains("wells", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_and_a_tile_take_a_repeated_parameter_too()
    {
        using var client = app.Factory.CreateClient();
        async Task<long> MatchedAsync(string query) =>
            JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/settlements/summary?" + query, UriKind.Relative))).RootElement.GetProperty("matched").GetInt64();
        var matched = await MatchedAsync(Listed);
        Assert.True(matched > 0);
        Assert.Equal(matched, await MatchedAsync(Repeated));
        Assert.True(matched < await MatchedAsync(""));
        using var tile = await client.GetAsync(new Uri("/tiles/settlements/12/2297/1500.mvt?" + Repeated, UriKind.Relative));
        using var listedTile = await client.GetAsync(new Uri("/tiles/settlements/12/2297/1500.mvt?" + Listed, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        // The same features (a tile's byte order may differ between two queries).
        var bytes = await tile.Content.ReadAsByteArrayAsync();
        Assert.NotEmpty(bytes);
        Assert.Equal((await listedTile.Content.ReadAsByteArrayAsync()).Length, bytes.Length);
    }
}
