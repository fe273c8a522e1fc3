using System.Text;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Readers;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Tests.Import.Readers;

public sealed class ImportSourcesTests : ReaderTestBase
{
    [Theory]
    [InlineData("data.kml", ".kml")]
    [InlineData("data.xls", ".xls")]
    [InlineData("data", "data")]
    public async Task An_unknown_extension_is_refused_listing_the_formats(string fileName, string shown)
    {
        var path = ImportFixtures.Csv(Folder, "a\n1\n", Encoding.UTF8);

        var refusal = await RefusedAsync(path, fileName: fileName);

        Assert.Contains($"\"{shown}\"", refusal.Message, StringComparison.Ordinal);
        foreach (var format in new[] { "GeoJSON", "CSV", "shapefile", "GeoPackage", ".xlsx" })
        {
            Assert.Contains(format, refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_extension_chooses_the_reader_case_insensitively()
    {
        var path = ImportFixtures.Csv(Folder, "a;b\n1;2\n", Encoding.UTF8, fileName: "upload.tmp");

        await using var source = await ImportSources.OpenAsync(path, "Naselja.CSV", new ImportReadOptions(), CancellationToken.None);

        Assert.Equal("CSV", source.Description.Format);
    }

    [Fact]
    public async Task A_workbook_uploaded_as_csv_is_named_for_what_it_is()
    {
        var path = ImportFixtures.Xlsx(Folder, "Sheet1", [["a"], ["1"]]);

        var refusal = await RefusedAsync(path, fileName: "data.csv");

        Assert.Contains("zip archive or an Excel workbook", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_geopackage_uploaded_as_zip_is_named_for_what_it_is()
    {
        var path = ImportFixtures.GeoPackage(Folder, "layer", 4326, [new(ImportFixtures.Point(20, 44), ("a", "x"))]);

        var refusal = await RefusedAsync(path, fileName: "layer.zip");

        Assert.Contains("rename it to .gpkg", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCrs84_swaps_to_the_crs_axis_order_for_3909_and_4326_only()
    {
        // Belgrade in GIS order (easting, northing), as every reader returns it.
        var (e3909, n3909) = Swap(CrsRegistry.FromCrs84(20.4573, 44.8176, Epsg(3909)));
        var (e32634, n32634) = CrsRegistry.FromCrs84(20.4573, 44.8176, Epsg(32634));

        var from3909 = XyOrder.ToCrs84(ImportFixtures.Point(e3909, n3909), Epsg(3909));
        var from32634 = XyOrder.ToCrs84(ImportFixtures.Point(e32634, n32634), Epsg(32634));
        var from4326 = XyOrder.ToCrs84(ImportFixtures.Point(20.4573, 44.8176), Epsg(4326));

        foreach (var point in new[] { from3909, from32634, from4326 })
        {
            Assert.Equal(20.4573, point.Coordinate.X, 6);
            Assert.Equal(44.8176, point.Coordinate.Y, 6);
            Assert.Equal(4326, point.SRID);
        }

        Assert.InRange(e3909, 7_000_000, 8_000_000); // the test's own premise: easting first
    }

    [Fact]
    public void ToCrs84_keeps_z_and_leaves_the_input_untouched()
    {
        var input = ImportFixtures.Factory().CreatePoint(new CoordinateZ(20.4573, 44.8176, 117));

        var output = XyOrder.ToCrs84(input, Epsg(4326));

        Assert.Equal(117, output.Coordinate.Z);
        Assert.Equal(20.4573, input.X);
    }

    private static SupportedCrs Epsg(int code) => CrsRegistry.All.Single(c => c.Epsg == code);

    private static (double, double) Swap((double First, double Second) pair) => (pair.Second, pair.First);
}
