using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Settlements;

/// <summary>The declarations of which way is better (SettlementSchema's ChangeOrder) are honest and usable by the change query.</summary>
public sealed class ChangeOrderTests
{
    public static TheoryData<string> Ordered => [.. SettlementSchema.Attributes.Where(a => a.Change is not null).Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Ordered))]
    public void A_ranked_attribute_ranks_every_known_value_of_its_list_once_and_never_unknown(string name)
    {
        var attribute = SettlementSchema.Find(name)!;
        var order = attribute.Change!;
        switch (order.Direction)
        {
            case ChangeDirection.Ranked:
                Assert.Equal(AttributeType.Enum, attribute.Type);
                var ranked = order.Ranks.SelectMany(r => r).ToList();
                Assert.Equal(ranked.Count, ranked.Distinct(StringComparer.Ordinal).Count());
                Assert.DoesNotContain("unknown", ranked);
                Assert.Equal(attribute.List!.Texts.Where(v => v != "unknown").Order(StringComparer.Ordinal), ranked.Order(StringComparer.Ordinal));
                Assert.True(order.Ranks.Count >= 2, $"{name}: one rank compares nothing");
                break;
            case ChangeDirection.LowerIsBetter or ChangeDirection.HigherIsBetter:
                Assert.Contains(attribute.Type, new[] { AttributeType.Number, AttributeType.WholeNumber });
                Assert.Empty(order.Ranks);
                break;
            default:
                Assert.Empty(order.Ranks);
                break;
        }
    }

    [Fact]
    public void The_orders_say_what_planners_mean()
    {
        var water = SettlementSchema.Find("water_supply")!.Change!;
        Assert.True(water.RankOf("network") > water.RankOf("wells"));
        Assert.True(water.RankOf("wells") > water.RankOf("none"));
        Assert.Null(water.RankOf("unknown"));
        var legal = SettlementSchema.Find("legal_status")!.Change!;
        Assert.True(legal.RankOf("legalised") > legal.RankOf("in_process"));
        var electricity = SettlementSchema.Find("electricity")!.Change!;
        Assert.True(electricity.RankOf("legal") > electricity.RankOf("illegal"));
        Assert.Equal(electricity.RankOf("illegal"), electricity.RankOf("partial"));
        Assert.Equal(ChangeDirection.LowerIsBetter, SettlementSchema.Find("substandard_share_pct")!.Change!.Direction);
        Assert.Equal(ChangeDirection.Unordered, SettlementSchema.Find("heating")!.Change!.Direction);
        Assert.Null(SettlementSchema.Find("estimated_inhabitants")!.Change);
    }

    [Fact]
    public void The_rank_sql_is_written_from_the_declaration()
    {
        Assert.Equal("CASE v WHEN 'none' THEN 0 WHEN 'wells' THEN 1 WHEN 'network' THEN 2 END", ChangeSql.RankSql(SettlementSchema.Find("water_supply")!, "v"));
        Assert.Equal("-(v)::numeric", ChangeSql.RankSql(SettlementSchema.Find("distance_to_pharmacy_m")!, "v"));
        Assert.Equal("NULL::numeric", ChangeSql.RankSql(SettlementSchema.Find("heating")!, "v"));
        Assert.Throws<ArgumentException>(() => ChangeSql.RankSql(SettlementSchema.Find("estimated_inhabitants")!, "v"));
    }
}
