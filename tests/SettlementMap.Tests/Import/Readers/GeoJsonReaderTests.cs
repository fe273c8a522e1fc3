using System.Text;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Tests.Import.Readers;

public sealed class GeoJsonReaderTests : ReaderTestBase
{
    [Fact]
    public async Task Reads_features_with_properties_as_invariant_text_and_crs84_by_default()
    {
        var path = ImportFixtures.GeoJson(Folder,
        [
            new(ImportFixtures.Square(20.40, 44.80, 0.01), ("code", "70017"), ("population", 1234.5), ("active", true), ("note", null)),
            new(ImportFixtures.Point(19.83, 45.26), ("code", "70018"), ("population", 12), ("active", false), ("extra", "x")),
        ]);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal("GeoJSON", description.Format);
        Assert.Equal(["code", "population", "active", "note", "extra"], description.Columns); // union, in order of appearance
        Assert.Same(CrsRegistry.Crs84, description.Crs);
        Assert.True(description.HasGeometry);
        Assert.Equal([1L, 2L], rows.Select(r => r.Number));
        Assert.Equal("1234.5", rows[0].Values["population"]);
        Assert.Equal("true", rows[0].Values["active"]);
        Assert.Null(rows[0].Values["note"]);
        Assert.Equal("false", rows[1].Values["active"]);
        Assert.IsType<Polygon>(rows[0].Geometry);
        Assert.Equal(19.83, ((Point)rows[1].Geometry!).X); // longitude first
    }

    [Theory]
    [InlineData("urn:ogc:def:crs:EPSG::3909", 3909)]
    [InlineData("urn:ogc:def:crs:EPSG:6.6:32634", 32634)]
    [InlineData("EPSG:8682", 8682)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3857", 3857)]
    [InlineData("urn:ogc:def:crs:EPSG::6316", 3909)]
    [InlineData("urn:ogc:def:crs:EPSG::4326", 4326)]
    public async Task A_legacy_crs_member_is_recognised(string name, int epsg)
    {
        var path = ImportFixtures.GeoJson(Folder, [new(ImportFixtures.Point(7457000, 4963000), ("code", "1"))], legacyCrsName: name);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal(epsg, description.Crs?.Epsg);
        Assert.Null(description.CrsNote);
        var point = (Point)rows[0].Geometry!;
        Assert.Equal((7457000d, 4963000d), (point.X, point.Y)); // as written: x = easting, whatever the CRS's axis order
    }

    [Fact]
    public async Task The_ogc_crs84_urn_is_crs84()
    {
        var path = ImportFixtures.GeoJson(Folder, [new(ImportFixtures.Point(20, 44), ("a", 1))], legacyCrsName: "urn:ogc:def:crs:OGC:1.3:CRS84");

        var (description, _) = await ReadAllAsync(path);

        Assert.Same(CrsRegistry.Crs84, description.Crs);
    }

    [Fact]
    public async Task A_crs_member_after_the_features_is_found_too()
    {
        var path = ImportFixtures.GeoJson(Folder, [new(ImportFixtures.Point(500000, 4960000), ("a", 1))], legacyCrsName: "EPSG:32634", crsAfterFeatures: true);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal(32634, description.Crs?.Epsg);
        Assert.Single(rows);
    }

    [Fact]
    public async Task An_unsupported_crs_is_left_to_the_user_with_a_note()
    {
        var path = ImportFixtures.GeoJson(Folder, [new(ImportFixtures.Point(20, 44), ("a", 1))], legacyCrsName: "urn:ogc:def:crs:EPSG::31277");

        var (description, _) = await ReadAllAsync(path);

        Assert.Null(description.Crs);
        Assert.Contains("urn:ogc:def:crs:EPSG::31277", description.CrsNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_dimensional_coordinates_keep_their_z()
    {
        var point = ImportFixtures.Factory().CreatePoint(new CoordinateZ(20.1, 44.2, 117));
        var path = ImportFixtures.GeoJson(Folder, [new(point, ("a", 1))]);

        var (_, rows) = await ReadAllAsync(path);

        Assert.Equal(117, rows[0].Geometry!.Coordinate.Z);
    }

    [Fact]
    public async Task A_bad_geometry_is_a_row_problem_and_a_null_geometry_is_no_geometry()
    {
        var path = Path.Combine(Folder, "bad.geojson");
        File.WriteAllText(path, """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":["a","b"]},"properties":{"n":1}},
              {"type":"Feature","geometry":null,"properties":{"n":2}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[20,44]},"properties":{"n":3,"nested":{"k":[1,2]}}}
            ]}
            """);

        var (_, rows) = await ReadAllAsync(path);

        Assert.Equal(3, rows.Count);
        Assert.Null(rows[0].Geometry);
        Assert.Contains("could not be read", rows[0].GeometryError, StringComparison.Ordinal);
        Assert.Null(rows[1].Geometry);
        Assert.Null(rows[1].GeometryError);
        Assert.NotNull(rows[2].Geometry);
        Assert.Equal("""{"k":[1,2]}""", rows[2].Values["nested"]);
    }

    [Fact]
    public async Task A_file_cut_off_in_the_middle_is_refused_when_opening()
    {
        var features = Enumerable.Range(1, 500).Select(i => new FixtureFeature(ImportFixtures.Point(20, 44), ("n", i))).ToList();
        var path = ImportFixtures.GeoJson(Folder, features);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        var refusal = await Assert.ThrowsAsync<ImportFileException>(() => OpenAsync(path));

        Assert.Contains("cut off", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"Feature","geometry":null,"properties":{}}""", "single GeoJSON Feature")]
    [InlineData("""[1,2,3]""", "not a GeoJSON FeatureCollection")]
    [InlineData("""{"type":"FeatureCollection","features":[1]}""", "Feature 1")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature",}]}""", "not valid JSON")]
    [InlineData("""{"type":"FeatureCollection"}""", "not a GeoJSON FeatureCollection")]
    [InlineData("""{"type":{"odd":["FeatureCollection"]},"features":[]}""", "not a GeoJSON FeatureCollection")]
    public async Task What_is_not_a_feature_collection_is_refused(string json, string reason)
    {
        var path = Path.Combine(Folder, "not.geojson");
        File.WriteAllText(path, json);

        var refusal = await RefusedAsync(path);

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_geojson_in_a_windows_code_page_is_refused()
    {
        var path = Path.Combine(Folder, "cp.geojson");
        File.WriteAllBytes(path, ImportFixtures.Windows1250.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"naziv":"Čačak"}}]}"""));

        var refusal = await RefusedAsync(path);

        Assert.Contains("not UTF-8", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_byte_order_mark_is_accepted()
    {
        var path = Path.Combine(Folder, "bom.json");
        File.WriteAllText(path, """{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"naziv":"Ниш"}}]}""", new UTF8Encoding(true));

        var (_, rows) = await ReadAllAsync(path);

        Assert.Equal("Ниш", rows[0].Values["naziv"]);
    }

    [Fact]
    public async Task Features_larger_than_the_read_buffer_are_read_whole()
    {
        var ring = Enumerable.Range(0, 20_000).Select(i => new Coordinate(20 + Math.Cos(i * Math.PI / 10_000) / 10, 44 + Math.Sin(i * Math.PI / 10_000) / 10)).ToList();
        ring.Add(ring[0]);
        var polygon = ImportFixtures.Factory().CreatePolygon([.. ring]);
        var features = Enumerable.Range(1, 5).Select(i => new FixtureFeature(polygon, ("n", i))).ToList();
        var path = ImportFixtures.GeoJson(Folder, features);
        Assert.True(new FileInfo(path).Length > 5 * 64 * 1024); // each feature exceeds the 64 KB buffer

        var (_, rows) = await ReadAllAsync(path);

        Assert.Equal(5, rows.Count);
        Assert.All(rows, row => Assert.Equal(20_001, row.Geometry!.NumPoints));
    }

    [Fact]
    public async Task A_feature_beyond_the_size_limit_is_refused()
    {
        var ring = Enumerable.Range(0, 20_000).Select(i => new Coordinate(20 + Math.Cos(i * Math.PI / 10_000), 44 + Math.Sin(i * Math.PI / 10_000))).ToList();
        ring.Add(ring[0]);
        var path = ImportFixtures.GeoJson(Folder, [new(ImportFixtures.Factory().CreatePolygon([.. ring]), ("n", 1))]);

        var refusal = await RefusedAsync(path, limits: new Web.Features.Import.Readers.ImportLimits(MaxRecordBytes: 128 * 1024));

        Assert.Contains("larger than", refusal.Message, StringComparison.Ordinal);
    }
}
