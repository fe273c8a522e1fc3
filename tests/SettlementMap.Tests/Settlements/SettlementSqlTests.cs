using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Settlements;

/// <summary>The settlement SQL every feature shares: the filters' WHERE clause, the joins and the municipality aggregate, as text and parameters.</summary>
public sealed class SettlementSqlTests
{
    [Fact]
    public void No_filter_is_no_where_clause()
    {
        var (sql, parameters) = SettlementSql.Conditions(new SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null));
        Assert.Equal("", sql);
        Assert.Empty(parameters);
    }

    [Fact]
    public void Every_filter_is_one_predicate_with_its_parameter()
    {
        var (sql, parameters) = SettlementSql.Conditions(new SettlementFilter(new BoundingBox(20.67, 45.08, 20.73, 45.12), "nis", "RS.SE.20", ["wells", "none"], ["none"], ["legal"], ["legalised"], ["yes"], ["no"], ["unknown"], 10, 500, null));
        Assert.Equal("""
             WHERE ST_Intersects(s.geom, ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326)) AND m.code = @municipality AND d.code = @district AND s.water_supply = ANY(@water_supply) AND s.sewerage = ANY(@sewerage) AND s.electricity = ANY(@electricity) AND s.legal_status = ANY(@legal_status) AND s.flood_zone = ANY(@flood_zone) AND s.hazard_nearby = ANY(@hazard_nearby) AND s.eviction_threat = ANY(@eviction_threat) AND s.estimated_inhabitants >= @min_inhabitants AND s.estimated_inhabitants <= @max_inhabitants
            """, sql);
        Assert.Equal(
            [
                "min_lon Double = 20.67",
                "min_lat Double = 45.08",
                "max_lon Double = 20.73",
                "max_lat Double = 45.12",
                "municipality String = nis",
                "district String = RS.SE.20",
                "water_supply String[] = {wells,none}",
                "sewerage String[] = {none}",
                "electricity String[] = {legal}",
                "legal_status String[] = {legalised}",
                "flood_zone String[] = {yes}",
                "hazard_nearby String[] = {no}",
                "eviction_threat String[] = {unknown}",
                "min_inhabitants Int32 = 10",
                "max_inhabitants Int32 = 500",
            ],
            Describe(parameters));
    }

    [Fact]
    public void The_municipality_aggregate_gives_null_without_estimates()
    {
        Assert.Equal("""
            LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, sum(s.estimated_inhabitants)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE
            """, SettlementSql.MunicipalityAggregate(zeroWithoutEstimates: false));
    }

    [Fact]
    public void The_coverage_layer_s_aggregate_gives_zero_without_estimates()
    {
        Assert.Equal("""
            LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, COALESCE(sum(s.estimated_inhabitants), 0)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE
            """, SettlementSql.MunicipalityAggregate(zeroWithoutEstimates: true));
    }

    [Fact]
    public void The_settlement_joins()
    {
        Assert.Equal("""
            settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id
            settlement_points s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id
            """, SettlementSql.SettlementsJoined + "\n" + SettlementSql.SettlementPointsJoined);
    }
}
