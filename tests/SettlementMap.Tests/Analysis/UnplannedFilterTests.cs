using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Analysis;

/// <summary>
/// "Lacking X with no measure planned" (unplanned=attribute:target) on real PostGIS over the demo measures: the
/// settlements lacking X less those a live measure for X names, in the summary and the export alike.
/// </summary>
public sealed class UnplannedFilterTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<long> MatchedAsync(HttpClient client, string query) =>
        JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/settlements/summary?" + query, UriKind.Relative)))
            .RootElement.GetProperty("matched").GetInt64();

    [Fact]
    public async Task It_is_the_settlements_lacking_water_less_those_a_live_measure_names()
    {
        using var client = app.Factory.CreateClient();
        await using var db = app.CreateContext();
        // Counted through the model, not the filter's SQL: lacking (known, not network) and named by a measure for water that is not dropped.
        var planned = await db.Measures
            .Where(m => m.TargetAttribute == "water_supply" && m.Status != MeasureStatus.Dropped)
            .SelectMany(m => m.Settlements)
            .Where(s => s.WaterSupply == WaterSupply.Wells || s.WaterSupply == WaterSupply.None)
            .Select(s => s.Id).Distinct().CountAsync();
        var lacking = await MatchedAsync(client, "water_supply=wells,none");
        var unplanned = await MatchedAsync(client, "unplanned=water_supply:network");
        Assert.True(lacking > 0);
        Assert.True(planned > 0, "the demo data has live water measures naming settlements without the network");
        Assert.Equal(lacking - planned, unplanned);
        // Taken with the other filters, and by the export (one row per settlement, after the header).
        Assert.Equal(await MatchedAsync(client, "water_supply=wells&unplanned=water_supply:network") + await MatchedAsync(client, "water_supply=none&unplanned=water_supply:network"), unplanned);
        var csv = await client.GetStringAsync(new Uri("/api/export/settlements?format=csv&geometry=none&unplanned=water_supply:network", UriKind.Relative));
        Assert.Equal(unplanned, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        using var tile = await client.GetAsync(new Uri("/tiles/settlements/12/2297/1500.mvt?unplanned=water_supply:network", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/layers/settlements/summary?unplanned=water_supply:network&as_of=2026-01-01", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("foo:bar")]
    [InlineData("water_supply")]
    [InlineData("water_supply:nope")]
    [InlineData("water_supply:network,none")]
    [InlineData("water_supply:network:x")]
    [InlineData("heating:district")]
    [InlineData("water_supply:';DROP TABLE measures;--")]
    public async Task A_bad_one_is_a_problem_naming_it(string value)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/layers/settlements/summary?unplanned=" + Uri.EscapeDataString(value), UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("unplanned", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
