using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Layers;

/// <summary>
/// The summary stands in for the features when the map draws tiles: its totals, municipality
/// aggregates and legend-class counts must equal what counting the settlements gives.
/// </summary>
public sealed class SettlementsSummaryTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> GetAsync(string query)
    {
        using var client = app.Factory.CreateClient();
        return await client.GetFromJsonAsync<JsonElement>(new Uri("/api/layers/settlements/summary?" + query, UriKind.Relative));
    }

    [Fact]
    public async Task Totals_and_municipality_aggregates_follow_the_filters()
    {
        await using var db = app.CreateContext();
        var wellsOrNone = new[] { WaterSupply.Wells, WaterSupply.None };
        var expected = await db.Settlements
            .Where(s => s.Municipality!.District!.Code == "RS.SE.20" && s.Electricity != Electricity.Legal)
            .GroupBy(s => s.Municipality!.Code)
            .Select(g => new { Code = g.Key, Count = g.LongCount(), People = g.Sum(s => (long?)s.EstimatedInhabitants) ?? 0, WithoutWater = g.LongCount(s => wellsOrNone.Contains(s.WaterSupply)) })
            .OrderBy(g => g.Code)
            .ToListAsync();
        Assert.True(expected.Count > 1, "the district should have settlements in several municipalities");

        var summary = await GetAsync("district=RS.SE.20&electricity=unknown,partial,illegal,none");
        var municipalities = summary.GetProperty("municipalities").EnumerateArray().ToList();
        Assert.Equal(expected.Select(e => e.Code), municipalities.Select(m => m.GetProperty("code").GetString()));
        Assert.Equal(expected.Select(e => e.Count), municipalities.Select(m => m.GetProperty("settlements").GetInt64()));
        Assert.Equal(expected.Select(e => e.People), municipalities.Select(m => m.GetProperty("estimated_inhabitants").GetInt64()));
        Assert.Equal(expected.Select(e => e.WithoutWater), municipalities.Select(m => m.GetProperty("without_water").GetInt64()));
        Assert.Equal(expected.Sum(e => e.Count), summary.GetProperty("matched").GetInt64());
        Assert.Equal(expected.Sum(e => e.People), summary.GetProperty("estimated_inhabitants").GetInt64());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("classes").ValueKind);
    }

    [Fact]
    public async Task A_closed_list_theme_is_counted_per_value_with_unknown_for_missing()
    {
        await using var db = app.CreateContext();
        var expected = await db.Settlements.Where(s => s.Municipality!.Code == "nis")
            .GroupBy(s => s.WaterSupply).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync();

        var classes = (await GetAsync("municipality=nis&theme=water_supply")).GetProperty("classes");

        Assert.Equal(expected.Count, classes.EnumerateObject().Count());
        foreach (var e in expected)
        {
            Assert.Equal(e.Count, classes.GetProperty(EnumText.ToText(e.Key)).GetInt64());
        }
    }

    [Fact]
    public async Task A_numeric_theme_is_counted_per_class_of_the_given_breaks()
    {
        await using var db = app.CreateContext();
        var people = await db.Settlements.Select(s => s.EstimatedInhabitants).ToListAsync();
        int[] breaks = [0, 100, 300, 1000];
        // themes.js classify: the last break not above the value; under the first break is class 0.
        var expected = people.GroupBy(p => p is not { } v ? "unknown" : "c" + Math.Max(0, Array.FindLastIndex(breaks, b => v >= b)).ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.True(expected.Count >= 3, "the demo data should fill several classes");

        var classes = (await GetAsync("theme=estimated_inhabitants&breaks=" + string.Join(',', breaks))).GetProperty("classes");

        Assert.Equal(expected, classes.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }
}
