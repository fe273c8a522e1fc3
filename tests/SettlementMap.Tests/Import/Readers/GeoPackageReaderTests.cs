using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;

namespace SettlementMap.Tests.Import.Readers;

public sealed class GeoPackageReaderTests : ReaderTestBase
{
    private static readonly FixtureFeature[] Settlements =
    [
        new(ImportFixtures.Square(7455000, 4960000, 500), ("code", "70017"), ("naziv", "Београд"), ("population", 1197714L), ("area", 359.96)),
        new(null, ("code", "70018"), ("naziv", "Нови Сад"), ("population", null), ("area", 129.4)),
        new(ImportFixtures.Point(7570000, 4800000), ("code", "70019"), ("naziv", "Niš"), ("population", 260237L), ("area", null)),
    ];

    [Fact]
    public async Task Reads_a_layer_with_its_crs_values_and_geometries()
    {
        var path = ImportFixtures.GeoPackage(Folder, "naselja", 3909, Settlements);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal("GeoPackage", description.Format);
        Assert.Equal("naselja", description.Layer);
        Assert.Equal(3909, description.Crs?.Epsg);
        Assert.Equal(["fid", "code", "naziv", "population", "area"], description.Columns);
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Number));
        Assert.Equal("Београд", rows[0].Values["naziv"]);
        Assert.Equal("1197714", rows[0].Values["population"]);
        Assert.Equal("359.96", rows[0].Values["area"]);
        Assert.Null(rows[1].Values["population"]);
        Assert.Equal(7455000, rows[0].Geometry!.EnvelopeInternal.MinX); // x = easting
        Assert.True(double.IsNaN(rows[0].Geometry!.Coordinate.Z)); // 2D stays 2D
        Assert.Null(rows[1].Geometry); // a null geometry: no geometry, no error
        Assert.Null(rows[1].GeometryError);
        Assert.IsType<Point>(rows[2].Geometry);
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(3857)]
    [InlineData(32634)]
    [InlineData(8682)]
    public async Task The_layers_srs_gives_the_crs(int epsg)
    {
        var path = ImportFixtures.GeoPackage(Folder, "layer", epsg, [new(ImportFixtures.Point(1, 2), ("a", "x"))]);

        await using var source = await OpenAsync(path);

        Assert.Equal(epsg, source.Description.Crs?.Epsg);
    }

    [Fact]
    public async Task An_undefined_or_unsupported_srs_is_left_to_the_user()
    {
        var undefined = ImportFixtures.GeoPackage(Folder, "layer", 0, [new(ImportFixtures.Point(1, 2), ("a", "x"))], "undefined.gpkg");
        var other = ImportFixtures.GeoPackage(Folder, "layer", 31277, [new(ImportFixtures.Point(1, 2), ("a", "x"))], "other.gpkg");

        await using var first = await OpenAsync(undefined);
        await using var second = await OpenAsync(other);

        Assert.Null(first.Description.Crs);
        Assert.Contains("undefined", first.Description.CrsNote, StringComparison.Ordinal);
        Assert.Null(second.Description.Crs);
        Assert.Contains("EPSG:31277", second.Description.CrsNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Z_coordinates_are_kept()
    {
        var point = ImportFixtures.Factory().CreatePoint(new CoordinateZ(20.4, 44.8, 117));
        var path = ImportFixtures.GeoPackage(Folder, "layer", 4326, [new(point, ("a", "x"))]);

        var (_, rows) = await ReadAllAsync(path);

        Assert.Equal(117, rows[0].Geometry!.Coordinate.Z);
    }

    [Fact]
    public async Task The_layer_is_chosen_among_several_and_a_missing_one_is_refused_listing_them()
    {
        var path = ImportFixtures.GeoPackage(Folder, "naselja", 3909, Settlements);
        ImportFixtures.GeoPackage(Folder, "opstine", 3909, [new(ImportFixtures.Point(1, 2), ("a", "other layer"))]);

        var unchosen = await RefusedAsync(path);
        var (description, rows) = await ReadAllAsync(path, new ImportReadOptions(Layer: "OPSTINE"));
        var missing = await RefusedAsync(path, new ImportReadOptions(Layer: "putevi"));

        Assert.Contains("choose", unchosen.Message, StringComparison.Ordinal);
        Assert.Equal("opstine", description.Layer);
        Assert.Equal("other layer", Assert.Single(rows).Values["a"]);
        Assert.Contains("no layer \"putevi\"", missing.Message, StringComparison.Ordinal);
        Assert.Contains("naselja, opstine", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_geopackage_left_in_wal_mode_is_read_without_writing_beside_it()
    {
        var path = ImportFixtures.GeoPackage(Folder, "naselja", 3909, Settlements, walMode: true);
        SqliteConnection.ClearAllPools();
        var before = Directory.GetFiles(Folder).Order().ToList();

        var (_, rows) = await ReadAllAsync(path);

        Assert.Equal(3, rows.Count);
        Assert.Equal(before, Directory.GetFiles(Folder).Order().ToList()); // no -wal, -shm or journal created
    }

    [Fact]
    public async Task A_file_name_with_spaces_and_uri_characters_opens()
    {
        var path = ImportFixtures.GeoPackage(Folder, "naselja", 3909, Settlements, fileName: "moj sloj #1 ?50%.gpkg");

        var (_, rows) = await ReadAllAsync(path);

        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_refused()
    {
        var path = ImportFixtures.Csv(Folder, "a;b\n1;2\n", System.Text.Encoding.UTF8, fileName: "layer.gpkg");

        var refusal = await RefusedAsync(path);

        Assert.Contains("not a GeoPackage", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sqlite_database_without_gpkg_tables_is_refused()
    {
        var path = Path.Combine(Folder, "plain.gpkg");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x');";
            command.ExecuteNonQuery();
        }

        var refusal = await RefusedAsync(path);

        Assert.Contains("no gpkg_contents table", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_geometry_blob_is_a_row_problem()
    {
        var path = ImportFixtures.GeoPackage(Folder, "layer", 4326, [new(ImportFixtures.Point(20, 44), ("a", "x")), new(ImportFixtures.Point(21, 45), ("a", "y"))]);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE layer SET geom = X'4750000100000000DEADBEEF' WHERE fid = 2";
            command.ExecuteNonQuery();
        }

        var (_, rows) = await ReadAllAsync(path);

        Assert.NotNull(rows[0].Geometry);
        Assert.Null(rows[1].Geometry);
        Assert.Contains("could not be read", rows[1].GeometryError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_name_with_quotes_is_data_not_sql()
    {
        var path = ImportFixtures.GeoPackage(Folder, "na\"selja; DROP TABLE x", 4326, [new(ImportFixtures.Point(20, 44), ("a", "x"))]);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal("na\"selja; DROP TABLE x", description.Layer);
        Assert.Single(rows);
    }
}
