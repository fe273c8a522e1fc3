using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Layers;

/// <summary>
/// The layers' SQL as text and parameters: the settlements layer (the kept properties, the place joins only where a
/// filter reads them), the summary per municipality and per legend class, the municipalities layer.
/// </summary>
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

    [Fact]
    public void The_settlements_layer_in_a_bbox_simplified_for_a_zoom()
    {
        var (sql, parameters) = LayerSql.Settlements(new SettlementFilter(new BoundingBox(20.67, 45.08, 20.73, 45.12), null, null, ["none"], null, null, null, null, null, null, null, null, 14));
        Assert.Equal("""
            SELECT '{"type":"Feature","id":' || s.id || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Multi(ST_Simplify(s.geom, @tolerance, true))), 6), 'null') || ',"properties":' || (lp.properties)::text || '}' FROM settlements s JOIN settlement_layer_properties lp ON lp.id = s.id WHERE ST_Intersects(s.geom, ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326)) AND s.water_supply = ANY(@water_supply) ORDER BY s.id
            """, sql);
        Assert.Equal(
            [
                "min_lon Double = 20.67",
                "min_lat Double = 45.08",
                "max_lon Double = 20.73",
                "max_lat Double = 45.12",
                "water_supply String[] = {none}",
                "tolerance Double = 4.291534423828125E-05",
            ],
            Describe(parameters));
    }

    [Fact]
    public void The_settlements_layer_of_a_municipality_joins_the_places()
    {
        var (sql, parameters) = LayerSql.Settlements(new SettlementFilter(null, "nis", null, null, null, null, null, null, null, null, 100, null, null));
        Assert.Equal("""
            SELECT '{"type":"Feature","id":' || s.id || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW(s.geom), 6), 'null') || ',"properties":' || (lp.properties)::text || '}' FROM settlements s JOIN settlement_layer_properties lp ON lp.id = s.id JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE m.code = @municipality AND s.estimated_inhabitants >= @min_inhabitants ORDER BY s.id
            """, sql);
        Assert.Equal(
            [
                "municipality String = nis",
                "min_inhabitants Int32 = 100",
            ],
            Describe(parameters));
    }

    [Fact]
    public void The_summary_per_municipality()
    {
        var (sql, parameters) = LayerSql.SummaryByMunicipality(new SettlementFilter(null, null, "RS.SE.20", null, null, ["unknown", "partial"], null, null, null, null, null, null, null));
        Assert.Equal("""
            SELECT m.id, m.code, count(*), COALESCE(sum(s.estimated_inhabitants), 0)::bigint, count(*) FILTER (WHERE s.water_supply IN ('wells', 'none')) FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE d.code = @district AND s.electricity = ANY(@electricity) GROUP BY m.id, m.code ORDER BY m.code
            """, sql);
        Assert.Equal(
            [
                "district String = RS.SE.20",
                "electricity String[] = {unknown,partial}",
            ],
            Describe(parameters));
    }

    [Fact]
    public void Theme_counts_of_a_closed_list()
    {
        var (sql, parameters) = LayerSql.ThemeCounts(new SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null), SettlementTheme.All["water_supply"], null);
        Assert.Equal("""
            SELECT COALESCE(s.water_supply, 'unknown'), count(*) FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id GROUP BY 1
            """, sql);
        Assert.Empty(parameters);
    }

    [Fact]
    public void Theme_counts_of_a_number_by_its_breaks()
    {
        var (sql, parameters) = LayerSql.ThemeCounts(new SettlementFilter(null, "nis", null, null, null, null, null, null, null, null, null, null, null), SettlementTheme.All["estimated_inhabitants"], [0, 100, 300]);
        Assert.Equal("""
            SELECT CASE WHEN s.estimated_inhabitants IS NULL THEN 'unknown' ELSE 'c' || greatest(width_bucket(s.estimated_inhabitants::float8, @breaks) - 1, 0) END, count(*) FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE m.code = @municipality GROUP BY 1
            """, sql);
        Assert.Equal(
            [
                "municipality String = nis",
                "breaks Double[] = {0,100,300}",
            ],
            Describe(parameters));
    }

    [Fact]
    public void The_municipalities_layer()
    {
        var (sql, parameters) = LayerSql.Municipalities(new MunicipalityLayerFilter(null, null, null, null));
        Assert.Equal("""
            SELECT '{"type":"Feature","id":' || m.id || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW(m.geom), 6), 'null') || ',"properties":' || ((SELECT row_to_json(p) FROM (SELECT m.id, m.code, m.name_latn, m.name_cyrl, m.kind,
            d.code AS district_code, d.name_latn AS district_name_latn, d.name_cyrl AS district_name_cyrl, d.name_en AS district_name_en,
            m.population, m.boundary_approximate, agg.settlement_count, agg.estimated_inhabitants, m.source) p))::text || '}' FROM municipalities m JOIN districts d ON d.id = m.district_id LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, sum(s.estimated_inhabitants)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE ORDER BY m.id
            """, sql);
        Assert.Empty(parameters);
    }

    [Fact]
    public void The_municipalities_layer_in_a_bbox_of_a_district_simplified()
    {
        var (sql, parameters) = LayerSql.Municipalities(new MunicipalityLayerFilter(new BoundingBox(21, 43, 23, 44), "nis", "RS.SE.20", 8));
        Assert.Equal("""
            SELECT '{"type":"Feature","id":' || m.id || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Multi(ST_Simplify(m.geom, @tolerance, true))), 6), 'null') || ',"properties":' || ((SELECT row_to_json(p) FROM (SELECT m.id, m.code, m.name_latn, m.name_cyrl, m.kind,
            d.code AS district_code, d.name_latn AS district_name_latn, d.name_cyrl AS district_name_cyrl, d.name_en AS district_name_en,
            m.population, m.boundary_approximate, agg.settlement_count, agg.estimated_inhabitants, m.source) p))::text || '}' FROM municipalities m JOIN districts d ON d.id = m.district_id LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, sum(s.estimated_inhabitants)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE WHERE ST_Intersects(m.geom, ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326)) AND m.code = @municipality AND d.code = @district ORDER BY m.id
            """, sql);
        Assert.Equal(
            [
                "min_lon Double = 21",
                "min_lat Double = 43",
                "max_lon Double = 23",
                "max_lat Double = 44",
                "municipality String = nis",
                "district String = RS.SE.20",
                "tolerance Double = 0.00274658203125",
            ],
            Describe(parameters));
    }
}
