using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Features.Sensitivity;

namespace SettlementMap.Tests.Export;

/// <summary>
/// The export SQL over the settlements the filters select. The published properties and the FROM are
/// the OGC settlements collection's (one definition of a settlement's published attributes): named here, not copied.
/// </summary>
public sealed class ExportSqlTests
{
    private static readonly string Properties = OgcCollections.Settlements.Properties;
    private static readonly string From = OgcCollections.Settlements.From;

    [Fact]
    public void The_geojson_export() =>
        Assert.Equal($$"""
            SELECT '{"type":"Feature","id":' || s.id || ',"geometry":' || COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW(s.geom), 7), 'null') || ',"properties":' || ({{Properties}})::text || '}' FROM {{From}} WHERE m.code = @municipality ORDER BY s.id
            """, ExportSql.GeoJson(SettlementSql.SettlementsJoined, " WHERE m.code = @municipality", Disclosure.Everything));

    [Fact]
    public void The_rows_of_the_typed_exports() =>
        Assert.Equal($$"""
            SELECT {{Properties}}, s.geom, s.centroid FROM {{From}} WHERE m.code = @municipality ORDER BY s.id
            """, ExportSql.Rows(SettlementSql.SettlementsJoined, " WHERE m.code = @municipality", Disclosure.Everything));

    [Fact]
    public void The_longest_value_of_each_property() =>
        Assert.Equal($$"""
            SELECT e.key, max(octet_length(e.value)) FROM (SELECT ({{Properties}})::jsonb AS p FROM {{From}}) q, jsonb_each_text(q.p) e
            GROUP BY e.key
            """, ExportSql.MaxTextBytes(SettlementSql.SettlementsJoined, "", Disclosure.Everything));

    [Fact]
    public void The_public_views_rows_have_the_public_columns_and_a_small_settlements_point_as_geometry_and_centroid()
    {
        var shown = new Disclosure(DisclosurePolicy.Defaults, Viewer.Anonymous);
        var sql = ExportSql.Rows(SettlementSql.SettlementsJoined, "", shown);
        Assert.Contains("CASE WHEN COALESCE(s.estimated_inhabitants < 100, TRUE) THEN disclosed_point(s.id, s.centroid) ELSE s.geom END, " +
            "CASE WHEN COALESCE(s.estimated_inhabitants < 100, TRUE) THEN disclosed_point(s.id, s.centroid) ELSE s.centroid END FROM", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("eviction_threat", sql, StringComparison.Ordinal);
        Assert.Contains("estimated_inhabitants_below", sql, StringComparison.Ordinal);
        Assert.Equal(ExportColumns.For(shown).Select(c => c.Name), shown.In(Web.Features.Settlements.Outputs.Export).Select(a => a.Name));
    }

    [Fact]
    public void The_definition_of_a_crs() =>
        Assert.Equal("""
            SELECT srtext FROM spatial_ref_sys WHERE srid = $1
            """, ExportSql.CrsWkt);
}
