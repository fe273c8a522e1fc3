using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Layers;

/// <summary>
/// Each filter of GET /api/layers/settlements returns exactly the features an independent EF Core
/// query of the same database selects.
/// </summary>
public sealed class SettlementLayerTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<long>> LayerIdsAsync(string query)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/layers/settlements{query}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. GeoJsonAssert.FeatureCollection(document.RootElement).Select(f => f.GetProperty("id").GetInt64()).Order()];
    }

    private async Task<List<long>> ExpectedIdsAsync(Func<IQueryable<Settlement>, IQueryable<Settlement>> filter)
    {
        await using var db = app.CreateContext();
        return await filter(db.Settlements).Select(s => s.Id).OrderBy(id => id).ToListAsync();
    }

    [Fact]
    public async Task Without_filters_every_settlement_is_returned_as_valid_RFC_7946()
    {
        var all = await LayerIdsAsync("");
        Assert.Equal(await ExpectedIdsAsync(q => q), all);
        Assert.InRange(all.Count, 550, 620);
    }

    [Fact]
    public async Task Municipality_filter_returns_exactly_its_settlements()
    {
        var expected = await ExpectedIdsAsync(q => q.Where(s => s.Municipality!.Code == "nis"));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await LayerIdsAsync("?municipality=nis"));
    }

    [Fact]
    public async Task District_filter_returns_exactly_its_settlements()
    {
        var expected = await ExpectedIdsAsync(q => q.Where(s => s.Municipality!.District!.Code == "RS.SE.20"));
        Assert.True(expected.Count > 15);
        Assert.Equal(expected, await LayerIdsAsync("?district=RS.SE.20"));
    }

    [Theory]
    [InlineData("water_supply=none", nameof(Settlement.WaterSupply), "none")]
    [InlineData("water_supply=wells,none", nameof(Settlement.WaterSupply), "wells,none")]
    [InlineData("sewerage=septic", nameof(Settlement.Sewerage), "septic")]
    [InlineData("electricity=illegal,none", nameof(Settlement.Electricity), "illegal,none")]
    [InlineData("legal_status=not_legalised", nameof(Settlement.LegalStatus), "not_legalised")]
    [InlineData("flood_zone=yes", nameof(Settlement.FloodZone), "yes")]
    [InlineData("hazard_nearby=yes,unknown", nameof(Settlement.HazardNearby), "yes,unknown")]
    [InlineData("eviction_threat=yes", nameof(Settlement.EvictionThreat), "yes")]
    public async Task Attribute_filters_return_exactly_the_matching_settlements(string query, string property, string values)
    {
        var wanted = values.Split(',');
        await using var db = app.CreateContext();
        var expected = (await db.Settlements.AsNoTracking().ToListAsync())
            .Where(s => wanted.Contains(AttributeText(s, property)))
            .Select(s => s.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await LayerIdsAsync("?" + query));
    }

    [Fact]
    public async Task Population_range_is_inclusive_at_both_ends()
    {
        await using var db = app.CreateContext();
        var some = await db.Settlements.OrderBy(s => s.Id).Skip(5).Select(s => s.EstimatedInhabitants!.Value).FirstAsync();
        var expected = await ExpectedIdsAsync(q => q.Where(s => s.EstimatedInhabitants >= some && s.EstimatedInhabitants <= some + 200));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await LayerIdsAsync($"?min_inhabitants={some}&max_inhabitants={some + 200}"));
        Assert.Equal(await ExpectedIdsAsync(q => q.Where(s => s.EstimatedInhabitants >= 1000)), await LayerIdsAsync("?min_inhabitants=1000"));
    }

    [Fact]
    public async Task Filters_combine_with_and()
    {
        var expected = await ExpectedIdsAsync(q => q.Where(s =>
            s.Municipality!.District!.Code == "RS.SE.20" && s.WaterSupply != WaterSupply.Network && s.WaterSupply != WaterSupply.Unknown));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await LayerIdsAsync("?district=RS.SE.20&water_supply=wells,none"));
    }

    [Fact]
    public async Task Bbox_filter_returns_exactly_the_settlements_intersecting_the_box()
    {
        var factory = NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        var box = factory.ToGeometry(new Envelope(21.80, 22.05, 43.25, 43.40)); // Niš
        var expected = await ExpectedIdsAsync(q => q.Where(s => s.Geom.Intersects(box)));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await LayerIdsAsync("?bbox=21.80,43.25,22.05,43.40"));
        Assert.Empty(await LayerIdsAsync("?bbox=10,40,11,41"));
    }

    [Fact]
    public async Task Zoom_simplifies_outlines_but_keeps_every_feature_valid_and_multipolygon()
    {
        using var client = app.Factory.CreateClient();
        using var full = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/municipalities", UriKind.Relative)));
        using var simplified = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/municipalities?zoom=5", UriKind.Relative)));
        var fullFeatures = GeoJsonAssert.FeatureCollection(full.RootElement);
        var simplifiedFeatures = GeoJsonAssert.FeatureCollection(simplified.RootElement);
        Assert.Equal(fullFeatures.Count, simplifiedFeatures.Count);
        var (fullPositions, simplifiedPositions) = (Positions(fullFeatures), Positions(simplifiedFeatures));
        Assert.True(simplifiedPositions < fullPositions * 0.8, $"zoom=5 should drop vertices: {simplifiedPositions} vs {fullPositions}");
    }

    private static int Positions(IEnumerable<JsonElement> features) => features.Sum(f =>
        f.GetProperty("geometry").GetProperty("coordinates").EnumerateArray()
            .SelectMany(polygon => polygon.EnumerateArray()).Sum(ring => ring.GetArrayLength()));

    [Fact]
    public async Task Municipalities_layer_carries_names_in_both_scripts_and_settlement_counts()
    {
        using var client = app.Factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/municipalities?district=RS.SE.0", UriKind.Relative)));
        var features = GeoJsonAssert.FeatureCollection(document.RootElement);
        Assert.Equal(17, features.Count);
        var zvezdara = features.Single(f => f.GetProperty("properties").GetProperty("code").GetString() == "zvezdara").GetProperty("properties");
        Assert.Equal("Звездара", zvezdara.GetProperty("name_cyrl").GetString());
        await using var db = app.CreateContext();
        Assert.Equal(await db.Settlements.CountAsync(s => s.Municipality!.Code == "zvezdara"), zvezdara.GetProperty("settlement_count").GetInt32());
    }

    private static string AttributeText(Settlement s, string property) => property switch
    {
        nameof(Settlement.WaterSupply) => EnumText.ToText(s.WaterSupply),
        nameof(Settlement.Sewerage) => EnumText.ToText(s.Sewerage),
        nameof(Settlement.Electricity) => EnumText.ToText(s.Electricity),
        nameof(Settlement.LegalStatus) => EnumText.ToText(s.LegalStatus),
        nameof(Settlement.FloodZone) => EnumText.ToText(s.FloodZone),
        nameof(Settlement.HazardNearby) => EnumText.ToText(s.HazardNearby),
        nameof(Settlement.EvictionThreat) => EnumText.ToText(s.EvictionThreat),
        _ => throw new ArgumentOutOfRangeException(nameof(property)),
    };
}
