using SettlementMap.Web.Features.Reports;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Reports;

/// <summary>The measures report's pure rules: when a value reaches a measure's aim, which gaps are counted, the map's link.</summary>
public sealed class MeasureOutcomeRulesTests
{
    [Theory]
    [InlineData("water_supply", "network", "network", true)]
    [InlineData("water_supply", "wells", "network", false)]
    [InlineData("water_supply", "unknown", "network", false)]
    [InlineData("water_supply", null, "network", false)]
    [InlineData("electricity", "partial", "legal", false)]
    [InlineData("electricity", "legal", "partial", true)] // better than the aim reaches it
    [InlineData("electricity", "illegal", "partial", false)] // one rank: neither is better
    [InlineData("substandard_share_pct", "12.5", "20", true)] // lower is better
    [InlineData("substandard_share_pct", "20.0", "20", true)]
    [InlineData("substandard_share_pct", "21", "20", false)]
    [InlineData("distance_to_primary_school_m", "800", "500", false)]
    public void A_value_reaches_the_aim_by_the_attributes_order(string attribute, string? value, string target, bool reaches) =>
        Assert.Equal(reaches, MeasureReportApi.Reaches(SettlementSchema.Find(attribute)!, value, target));

    [Fact]
    public void The_gaps_are_the_unplanned_filters_attributes_lacking_their_best_value()
    {
        Assert.Equal(
            [("water_supply", "network"), ("sewerage", "network"), ("electricity", "legal"), ("legal_status", "legalised"),
             ("flood_zone", "no"), ("hazard_nearby", "no"), ("eviction_threat", "no")],
            MeasureReportApi.GapTargets);
        Assert.All(MeasureReportApi.GapTargets, g => Assert.Contains(g.Attribute, UnplannedTarget.Attributes));
    }

    [Fact]
    public void The_map_link_is_the_permalinks_hash()
    {
        Assert.Equal("index.html#municipality=nis&unplanned=water_supply:network", MeasureReportApi.MapLink("nis", null, "water_supply", "network", null));
        Assert.Equal("index.html#district=RS.SE.20&unplanned=legal_status:legalised&as_of=2025-06-30",
            MeasureReportApi.MapLink(null, "RS.SE.20", "legal_status", "legalised", new DateOnly(2025, 6, 30)));
        Assert.Equal("index.html#unplanned=sewerage:network", MeasureReportApi.MapLink(null, null, "sewerage", "network", null));
    }
}
