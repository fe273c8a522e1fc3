using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo;

namespace SettlementMap.Tests.Layers;

/// <summary>The settlements layer's SQL: the kept properties, and the place joins only where a filter reads them.</summary>
public sealed class LayerSqlTests
{
    private static SettlementFilter Filter(string? municipality = null, string? district = null, string[]? water = null) =>
        new(new BoundingBox(20.67, 45.08, 20.73, 45.12), municipality, district, water, null, null, null, null, null, null, null, null, 14);

    [Fact]
    public void A_bbox_reads_the_kept_properties_and_no_municipality_or_district()
    {
        var (sql, parameters) = LayerSql.Settlements(Filter(water: ["none"]));
        Assert.Contains("(lp.properties)::text", sql, StringComparison.Ordinal);
        Assert.Contains(" FROM settlements s JOIN settlement_layer_properties lp ON lp.id = s.id WHERE ", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("municipalities", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("districts", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("row_to_json", sql, StringComparison.Ordinal);
        Assert.Equal(["min_lon", "min_lat", "max_lon", "max_lat", "water_supply", "tolerance"], parameters.Select(p => p.ParameterName));
    }

    [Theory]
    [InlineData("nis", null, "m.code = @municipality")]
    [InlineData(null, "RS.SE.20", "d.code = @district")]
    public void A_municipality_or_district_filter_joins_the_places_it_reads(string? municipality, string? district, string condition)
    {
        var (sql, _) = LayerSql.Settlements(Filter(municipality, district));
        Assert.Contains("JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE ", sql, StringComparison.Ordinal);
        Assert.Contains(condition, sql, StringComparison.Ordinal);
    }
}
