using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Settlements;

public sealed class SettlementFeatureTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] Groups =
    [
        "name_latn", "name_cyrl", "municipality_code", "district_code", "settlement_type", "location_class", "decade_founded",
        "area_m2", "centroid_lon", "centroid_lat",
        "estimated_inhabitants", "households", "population_year", "population_source",
        "dwelling_count", "main_building_material", "substandard_share_pct", "legal_status", "overcrowding", "planning_document",
        "water_supply", "sewerage", "electricity", "heating", "paved_access_road", "street_network", "waste_collection", "street_lighting",
        "distance_to_seat_m", "distance_to_primary_school_m", "distance_to_preschool_m", "distance_to_health_centre_m",
        "distance_to_social_work_centre_m", "distance_to_transport_stop_m", "distance_to_pharmacy_m",
        "flood_zone", "hazard_nearby", "eviction_threat",
        "source", "data_collected_on", "updated_at", "updated_by", "version",
    ];

    [Fact]
    public async Task One_settlement_is_a_Feature_with_every_attribute_and_an_ETag()
    {
        await using var db = app.CreateContext();
        var settlement = await db.Settlements.Include(s => s.Municipality).OrderBy(s => s.Id).Skip(10).FirstAsync();

        // An administrator sees every attribute and the outline, under the row version editing sends back.
        using var client = await Editing.Edits.ClientAsync(app, Editing.Edits.Admin);
        using var response = await client.GetAsync(new Uri($"/api/settlements/{settlement.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{settlement.Version}\"", response.Headers.ETag?.Tag);

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var feature = document.RootElement;
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        Assert.Equal(settlement.Id, feature.GetProperty("id").GetInt64());
        Assert.Equal("MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        var properties = feature.GetProperty("properties");
        Assert.All(Groups, name => Assert.True(properties.TryGetProperty(name, out _), $"missing property {name}"));
        Assert.Equal(settlement.NameCyrl, properties.GetProperty("name_cyrl").GetString());
        Assert.Equal(settlement.Municipality!.Code, properties.GetProperty("municipality_code").GetString());
        Assert.Equal(Web.Data.EnumText.ToText(settlement.WaterSupply), properties.GetProperty("water_supply").GetString());
        Assert.Equal(settlement.EstimatedInhabitants, properties.GetProperty("estimated_inhabitants").GetInt32());
        Assert.Equal("demo", properties.GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_endpoints()
    {
        using var client = app.Factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/layers/settlements", out var layer));
        Assert.True(paths.TryGetProperty("/api/layers/municipalities", out _));
        Assert.True(paths.TryGetProperty("/api/settlements/{id}", out _));
        var parameters = layer.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("bbox", parameters);
        Assert.Contains("water_supply", parameters);
        Assert.True(layer.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/geo+json", out _));
    }
}
