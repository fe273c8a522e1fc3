using NetTopologySuite.Geometries;
using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Features.Ogc.Cql2;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Ogc;

/// <summary>The OGC API's SQL: extents, the items' count and page with bbox, property=value, datetime and CQL2 filters, one item.</summary>
public sealed class OgcSqlTests
{
    private static OgcItemsFilter Filter(OgcCollectionInfo collection, Envelope? bbox, (string Name, string Value)[] properties, string? datetime, string? cql)
    {
        OgcDatetime? day = null;
        Cql2Translation? translation = null;
        Assert.True(datetime is null || OgcDatetime.TryParse(datetime, out day, out _));
        Assert.True(cql is null || Cql2Text.TryTranslate(cql, collection.Queryables, "f", out translation, out _, out _));
        return new(bbox, [.. properties.Select(p => (collection.Queryables[p.Name], p.Value))], day, translation);
    }

    [Fact]
    public void The_extent_of_settlements()
    {
        Assert.Equal("""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), first_day, last_day
            FROM (SELECT ST_Extent(s.geom) AS e, (SELECT min(lower(valid)) AT TIME ZONE 'UTC' FROM settlement_versions)::date AS first_day, NULL::date AS last_day FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id) x
            """, OgcSql.Extent(OgcCollections.Find("settlements")!));
    }

    [Fact]
    public void The_extent_of_municipalities_has_no_time()
    {
        Assert.Equal("""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), first_day, last_day
            FROM (SELECT ST_Extent(m.geom) AS e, NULL::date AS first_day, NULL::date AS last_day FROM municipalities m JOIN districts d ON d.id = m.district_id LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, sum(s.estimated_inhabitants)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE) x
            """, OgcSql.Extent(OgcCollections.Find("municipalities")!));
    }

    [Fact]
    public void The_extent_of_coverage_is_open_while_a_record_is_current()
    {
        Assert.Equal("""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), first_day, last_day
            FROM (SELECT ST_Extent(m.geom) AS e, min(c.valid_from) AS first_day, CASE WHEN bool_or(c.valid_to IS NULL) THEN NULL ELSE max(c.valid_to) END AS last_day FROM coverage c JOIN municipalities m ON m.id = c.municipality_id JOIN districts d ON d.id = m.district_id LEFT JOIN programmes p ON p.id = c.programme_id) x
            """, OgcSql.Extent(OgcCollections.Find("coverage")!));
    }

    [Fact]
    public void Counting_settlements_with_every_kind_of_filter()
    {
        var settlements = OgcCollections.Find("settlements")!;
        var (sql, parameters) = OgcSql.Count(settlements, Filter(settlements, new Envelope(20.1, 20.5, 44.7, 44.9), [("water_supply", "wells"), ("estimated_inhabitants", "120")], "2020-01-01/2023-12-31", "sewerage = 'none' AND S_INTERSECTS(geometry, POINT(20.4 44.8))"));
        Assert.Equal("""
            SELECT count(*) FROM settlements_during(tstzrange(@during_from, @during_until)) s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE ST_Intersects(s.geom, ST_MakeEnvelope(@bbox_min_x, @bbox_min_y, @bbox_max_x, @bbox_max_y, 4326)) AND s.water_supply = @p0 AND s.estimated_inhabitants = @p1 AND (s.sewerage = @f0 AND ST_Intersects(s.geom, ST_GeomFromText(@f1, 4326)))
            """, sql);
        Assert.Equal(
            [
                "during_from TimestampTz = 01/01/2020 00:00:00 +00:00",
                "during_until TimestampTz = 01/01/2024 00:00:00 +00:00",
                "bbox_min_x Double = 20.1",
                "bbox_min_y Double = 44.7",
                "bbox_max_x Double = 20.5",
                "bbox_max_y Double = 44.9",
                "p0 Text = wells",
                "p1 Bigint = 120",
                "f0 Text = none",
                "f1 Text = POINT (20.4 44.8)",
            ],
            Describe(parameters));
    }

    [Fact]
    public void A_page_of_municipalities()
    {
        var municipalities = OgcCollections.Find("municipalities")!;
        var (sql, parameters) = OgcSql.Page(municipalities, Filter(municipalities, null, [("settlement_count", "0")], "2024-01-01", null), 10, 20);
        Assert.Equal("""
            SELECT m.id, ST_ForcePolygonCCW(m.geom), json_build_object('code', m.code, 'name_latn', m.name_latn, 'name_cyrl', m.name_cyrl, 'kind', m.kind,
                'district_code', d.code, 'district_name_latn', d.name_latn, 'district_name_cyrl', d.name_cyrl, 'district_name_en', d.name_en,
                'population', m.population, 'boundary_approximate', m.boundary_approximate,
                'settlement_count', agg.settlement_count, 'estimated_inhabitants', agg.estimated_inhabitants, 'source', m.source)::text, m.id
            FROM municipalities m JOIN districts d ON d.id = m.district_id LEFT JOIN LATERAL (
                SELECT count(*)::int AS settlement_count, sum(s.estimated_inhabitants)::int AS estimated_inhabitants
                FROM settlements s WHERE s.municipality_id = m.id) agg ON TRUE WHERE agg.settlement_count = @p0
            ORDER BY m.id
            LIMIT @limit + 1 OFFSET @offset
            """, sql);
        Assert.Equal(
            [
                "p0 Bigint = 0",
                "limit Int32 = 10",
                "offset Int32 = 20",
            ],
            Describe(parameters));
    }

    [Fact]
    public void A_page_of_coverage_after_a_cursor_compares_the_whole_key()
    {
        var coverage = OgcCollections.Find("coverage")!;
        Assert.True(OgcCursor.TryParse("1.42", coverage, out var after));
        var (sql, parameters) = OgcSql.Page(coverage, Filter(coverage, null, [], null, null), 10, 0, after);
        Assert.EndsWith("""
            WHERE ((c.count IS NULL)::int::bigint, c.id) > (@after0, @after1)
            ORDER BY (c.count IS NULL)::int::bigint, c.id
            LIMIT @limit + 1 OFFSET @offset
            """, sql);
        Assert.Equal(["after0 Int64 = 1", "after1 Int64 = 42", "limit Int32 = 10", "offset Int32 = 0"], Describe(parameters));
    }

    [Fact]
    public void One_coverage_record()
    {
        var (sql, parameters) = OgcSql.Item(OgcCollections.Find("coverage")!, 5);
        Assert.Equal("""
            SELECT c.id, ST_ForcePolygonCCW(m.geom), json_build_object('municipality_code', m.code, 'municipality_name_latn', m.name_latn, 'district_code', d.code,
                'kind', c.kind, 'programme_code', p.code, 'count', c.count, 'valid_from', c.valid_from, 'valid_to', c.valid_to,
                'source', c.source, 'note', c.note)::text
            FROM coverage c JOIN municipalities m ON m.id = c.municipality_id JOIN districts d ON d.id = m.district_id LEFT JOIN programmes p ON p.id = c.programme_id WHERE c.id = @id
            """, sql);
        Assert.Equal(
            [
                "id Int64 = 5",
            ],
            Describe(parameters));
    }
}
