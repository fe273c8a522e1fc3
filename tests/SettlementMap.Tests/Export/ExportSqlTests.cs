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
            """, ExportSql.GeoJson(" WHERE m.code = @municipality", Disclosure.Everything));

    [Fact]
    public void The_rows_of_the_typed_exports() =>
        Assert.Equal($$"""
            SELECT {{Properties}}, s.geom, s.centroid FROM {{From}} WHERE m.code = @municipality ORDER BY s.id
            """, ExportSql.Rows(" WHERE m.code = @municipality", Disclosure.Everything));

    [Fact]
    public void The_longest_value_of_each_property() =>
        Assert.Equal($$"""
            SELECT e.key, max(octet_length(e.value)) FROM (SELECT ({{Properties}})::jsonb AS p FROM {{From}}) q, jsonb_each_text(q.p) e
            GROUP BY e.key
            """, ExportSql.MaxTextBytes("", Disclosure.Everything));

    [Fact]
    public void The_definition_of_a_crs() =>
        Assert.Equal("""
            SELECT srtext FROM spatial_ref_sys WHERE srid = $1
            """, ExportSql.CrsWkt);
}
