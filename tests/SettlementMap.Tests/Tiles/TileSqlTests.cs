using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Tiles;
using static SettlementMap.Tests.Infrastructure.SqlText;

namespace SettlementMap.Tests.Tiles;

/// <summary>The vector-tile SQL: outlines from city zoom, below it the pyramid's points, or each cell's winner among the filtered settlements.</summary>
public sealed class TileSqlTests
{
    /// <summary>The tile's attributes: the schema's tile output, numbers as float8 (asserted in <see cref="A_tile_carries_the_schemas_tile_attributes_numbers_as_doubles"/>).</summary>
    private static readonly string Attributes = SettlementMap.Web.Features.Sensitivity.Disclosure.Everything.TileSelectList();

    [Fact]
    public void A_tile_carries_the_schemas_tile_attributes_numbers_as_doubles() =>
        Assert.Equal(
            "s.id, s.name_latn, s.name_cyrl, m.code AS municipality_code, s.estimated_inhabitants, s.residents_without_documents, "
            + "s.substandard_share_pct::float8 AS substandard_share_pct, s.legal_status, s.water_supply, s.sewerage, s.electricity, "
            + "s.distance_to_primary_school_m, s.distance_to_health_centre_m",
            Attributes);

    [Fact]
    public void An_outline_tile()
    {
        var (sql, parameters) = TileSql.Settlements(14, 9190, 5998, new SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null));
        Assert.Equal($$"""
            SELECT ST_AsMVT(t.*, 'settlements', 4096, 'geom')
            FROM (
                SELECT {{Attributes}}, ST_AsMVTGeom(ST_Transform(ST_Simplify(s.geom, @tolerance, true), 3857), ST_TileEnvelope(@z, @x, @y), 4096, 64, true) AS geom
                FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE s.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326)
                OFFSET 0
            ) t
            WHERE t.geom IS NOT NULL
            """, sql);
        Assert.Equal(
            [
                "z Int32 = 14",
                "x Int32 = 9190",
                "y Int32 = 5998",
                "tolerance Double = 2.1457672119140625E-05",
            ],
            Describe(parameters));
    }

    [Theory]
    // A quarter of a 256-pixel tile's pixel: 4 of its 4096 units, in degrees of longitude.
    [InlineData(12, 4 * 360.0 / 4096 / 4096)]
    [InlineData(15, 4 * 360.0 / 32768 / 4096)]
    // Tiles the map stretches up to 4x: a quarter unit.
    [InlineData(16, 0.25 * 360.0 / 65536 / 4096)]
    [InlineData(22, 0.25 * 360.0 / 4194304 / 4096)]
    public void Outlines_are_simplified_to_a_quarter_pixel_and_in_tiles_the_map_stretches_to_a_quarter_unit(int z, double tolerance)
    {
        var (_, parameters) = TileSql.Settlements(z, 0, 0, new SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null));
        Assert.Equal(tolerance, parameters.Single(p => p.ParameterName == "tolerance").Value);
    }

    [Fact]
    public void An_unfiltered_point_tile_reads_the_pyramid()
    {
        var (sql, parameters) = TileSql.Settlements(8, 142, 92, new SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null));
        Assert.Equal($$"""
            SELECT ST_AsMVT(t.*, 'settlements', 4096, 'geom')
            FROM (
                SELECT {{Attributes}}, ST_AsMVTGeom(s.point, ST_TileEnvelope(@z, @x, @y), 4096, 128, true) AS geom
                FROM settlement_points s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE s.point && ST_TileEnvelope(@z, @x, @y, margin => 128.0 / 4096) AND s.min_zoom <= @z_cells
                OFFSET 0
            ) t
            WHERE t.geom IS NOT NULL
            """, sql);
        Assert.Equal(
            [
                "z Int32 = 8",
                "x Int32 = 142",
                "y Int32 = 92",
                "z_cells Int16 = 8",
            ],
            Describe(parameters));
    }

    [Fact]
    public void A_filtered_point_tile_finds_each_cell_s_winner()
    {
        var (sql, parameters) = TileSql.Settlements(8, 142, 92, new SettlementFilter(null, "nis", null, ["wells"], null, null, null, null, null, null, null, null, null));
        Assert.Equal($$"""
            SELECT ST_AsMVT(t.*, 'settlements', 4096, 'geom')
            FROM (
                SELECT {{Attributes}}, ST_AsMVTGeom(s.point, ST_TileEnvelope(@z, @x, @y), 4096, 128, true) AS geom
                FROM (
                SELECT DISTINCT ON (map_point_cell(ST_X(s.point), @z), map_point_cell(ST_Y(s.point), @z)) s.id
                FROM settlement_points s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id WHERE m.code = @municipality AND s.water_supply = ANY(@water_supply) AND s.point && ST_TileEnvelope(@z, @x, @y, margin => 256.0 / 4096)
                ORDER BY map_point_cell(ST_X(s.point), @z), map_point_cell(ST_Y(s.point), @z), s.estimated_inhabitants DESC NULLS LAST, s.id
            ) w
            JOIN settlement_points s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id ON s.id = w.id
                OFFSET 0
            ) t
            WHERE t.geom IS NOT NULL
            """, sql);
        Assert.Equal(
            [
                "municipality String = nis",
                "water_supply String[] = {wells}",
                "z Int32 = 8",
                "x Int32 = 142",
                "y Int32 = 92",
            ],
            Describe(parameters));
    }
}
