using System.IO.Compression;
using System.Text;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Readers;

namespace SettlementMap.Tests.Import.Readers;

public sealed class ShapefileReaderTests : ReaderTestBase
{
    private static readonly FixtureFeature[] CyrillicSettlements =
    [
        new(ImportFixtures.Square(7455000, 4960000, 500), ("MB", "70017"), ("NAZIV", "Београд"), ("STAN", 1197714), ("POVRSINA", 359.96), ("POPIS", new DateTime(2022, 10, 1))),
        new(ImportFixtures.Square(7420000, 5010000, 500), ("MB", "70018"), ("NAZIV", "Нови Сад"), ("STAN", 368967), ("POVRSINA", 129.4), ("POPIS", null)),
        new(ImportFixtures.Square(7570000, 4800000, 500), ("MB", "70019"), ("NAZIV", "Ниш — Ђердап, Љиг, Њ, Ћ, Џ"), ("STAN", 260237), ("POVRSINA", 596.7), ("POPIS", new DateTime(2022, 10, 1))),
    ];

    [Fact]
    public async Task Reads_a_zipped_shapefile_in_3909_with_windows_1251_cyrillic_declared_by_its_cpg()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "naselja", CyrillicSettlements, new ShapefileFixture
        {
            Prj = ImportFixtures.EsriPrj(3909),
            Encoding = ImportFixtures.Windows1251,
            Cpg = "1251",
            LanguageDriver = 0x57, // "ANSI": says nothing, the .cpg decides
        });

        var (description, rows) = await ReadAllAsync(zip);

        Assert.Equal("Shapefile", description.Format);
        Assert.Equal("naselja", description.Layer);
        Assert.Equal(3909, description.Crs?.Epsg);
        Assert.Equal("windows-1251", description.Encoding);
        Assert.Equal(["MB", "NAZIV", "STAN", "POVRSINA", "POPIS"], description.Columns);
        Assert.Equal(["Београд", "Нови Сад", "Ниш — Ђердап, Љиг, Њ, Ћ, Џ"], rows.Select(r => r.Values["NAZIV"]));
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Number));
        Assert.Equal("1197714", rows[0].Values["STAN"]);
        Assert.Equal("359.96", rows[0].Values["POVRSINA"]);
        Assert.Equal("2022-10-01", rows[0].Values["POPIS"]);
        Assert.Null(rows[1].Values["POPIS"]);
        var polygon = Assert.IsAssignableFrom<Geometry>(rows[0].Geometry);
        Assert.InRange(polygon.EnvelopeInternal.MinX, 7454999, 7455001); // x = easting, as the file has it
        Assert.InRange(polygon.EnvelopeInternal.MinY, 4959999, 4960001);
        Assert.True(double.IsNaN(polygon.Coordinate.Z)); // 2D stays 2D (only real Z makes a row "3D")
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(3857)]
    [InlineData(32634)]
    [InlineData(3909)]
    [InlineData(8682)]
    public async Task The_esri_prj_of_each_supported_crs_is_recognised(int epsg)
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(ImportFixtures.Point(1, 2), ("a", "x"))], new ShapefileFixture { Prj = ImportFixtures.EsriPrj(epsg) });

        await using var source = await OpenAsync(zip);

        Assert.Equal(epsg, source.Description.Crs?.Epsg);
        Assert.Null(source.Description.CrsNote);
    }

    [Theory]
    [InlineData(ImportFixtures.OgcPrj3909, 3909)]
    [InlineData("""PROJCS["WGS 84 / UTM zone 34N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",21],UNIT["metre",1],AUTHORITY["EPSG","32634"]]""", 32634)]
    [InlineData("""PROJCS["MGI_1901_Balkans_7_NE_deprecated",GEOGCS["GCS_MGI_1901",DATUM["D_MGI_1901",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["Meter",1.0]]""", 3909)]
    [InlineData("""PROJCS["SRB_ETRS89 / UTM zone 34N",GEOGCS["SRB_ETRS89",DATUM["Serbian_Spatial_Reference_System_2000",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["metre",1]]""", 8682)]
    public async Task Ogc_wkt_with_an_authority_and_other_spellings_are_recognised(string prj, int epsg)
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(ImportFixtures.Point(1, 2), ("a", "x"))], new ShapefileFixture { Prj = prj });

        await using var source = await OpenAsync(zip);

        Assert.Equal(epsg, source.Description.Crs?.Epsg);
    }

    [Fact]
    public async Task The_austrian_mgi_zone_7_is_not_silently_taken_for_3909()
    {
        const string prj = """PROJCS["MGI_Balkans_7",GEOGCS["GCS_MGI",DATUM["D_MGI",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",7500000.0],PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9999],UNIT["Meter",1.0]]""";
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(ImportFixtures.Point(1, 2), ("a", "x"))], new ShapefileFixture { Prj = prj });

        await using var source = await OpenAsync(zip);

        Assert.Null(source.Description.Crs);
        Assert.Contains("MGI_Balkans_7", source.Description.CrsNote, StringComparison.Ordinal);
        Assert.Contains("EPSG:3909", source.Description.CrsNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_prj_the_crs_is_unknown_and_said_so()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(ImportFixtures.Point(1, 2), ("a", "x"))], new ShapefileFixture { Prj = null });

        await using var source = await OpenAsync(zip);

        Assert.Null(source.Description.Crs);
        Assert.Contains("no .prj", source.Description.CrsNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dbf_language_driver_names_the_code_page_when_there_is_no_cpg()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", CyrillicSettlements, new ShapefileFixture { Encoding = ImportFixtures.Windows1251, Cpg = "", LanguageDriver = 0xC9 });

        var (description, rows) = await ReadAllAsync(zip);

        Assert.Equal("windows-1251", description.Encoding);
        Assert.Equal("Нови Сад", rows[1].Values["NAZIV"]);
    }

    [Fact]
    public async Task Utf8_is_the_default_and_reads_cyrillic()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", CyrillicSettlements, new ShapefileFixture { Cpg = "", LanguageDriver = 0 });

        var (description, rows) = await ReadAllAsync(zip);

        Assert.Equal("utf-8", description.Encoding);
        Assert.Equal("Београд", rows[0].Values["NAZIV"]);
    }

    [Fact]
    public async Task A_utf8_letter_cut_off_by_the_field_width_does_not_refuse_the_file()
    {
        var name = "a" + new string('ж', 60); // 121 bytes in a 100-byte field: the writer cuts the 50th letter in half
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(ImportFixtures.Point(1, 2), ("NAZIV", name))]);

        var (_, rows) = await ReadAllAsync(zip);

        Assert.Equal("a" + new string('ж', 49), rows[0].Values["NAZIV"]);
    }

    [Fact]
    public async Task A_windows_1251_dbf_that_does_not_say_so_is_refused_asking_for_the_code_page()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", CyrillicSettlements, new ShapefileFixture { Encoding = ImportFixtures.Windows1251, Cpg = "", LanguageDriver = 0x57 });

        var refusal = await RefusedAsync(zip);

        Assert.Contains("not UTF-8", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("windows-1251", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cpg_that_says_utf8_over_windows_1250_text_is_refused()
    {
        FixtureFeature[] latin = [new(ImportFixtures.Point(1, 2), ("NAZIV", "Čačak, Šabac, Đurđevo"))];
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", latin, new ShapefileFixture { Encoding = ImportFixtures.Windows1250, Cpg = "UTF-8" });

        var refusal = await RefusedAsync(zip);

        Assert.Contains("although its .cpg file says UTF-8", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_users_encoding_overrides_a_wrong_cpg()
    {
        FixtureFeature[] latin = [new(ImportFixtures.Point(1, 2), ("NAZIV", "Čačak, Šabac, Đurđevo"))];
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", latin, new ShapefileFixture { Encoding = ImportFixtures.Windows1250, Cpg = "UTF-8" });

        var (description, rows) = await ReadAllAsync(zip, new ImportReadOptions(Encoding: "windows-1250"));

        Assert.Equal("windows-1250", description.Encoding);
        Assert.Equal("Čačak, Šabac, Đurđevo", rows[0].Values["NAZIV"]);
    }

    [Theory]
    [InlineData("ANSI 1251", "windows-1251")]
    [InlineData("CP1250", "windows-1250")]
    [InlineData("utf8", "utf-8")]
    [InlineData("65001", "utf-8")]
    public async Task Cpg_spellings_are_understood(string cpg, string encoding)
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(ImportFixtures.Point(1, 2), ("a", "plain"))], new ShapefileFixture { Cpg = cpg });

        await using var source = await OpenAsync(zip);

        Assert.Equal(encoding, source.Description.Encoding);
    }

    [Fact]
    public async Task Z_coordinates_are_kept()
    {
        var point = ImportFixtures.Factory().CreatePoint(new CoordinateZ(7457000, 4963000, 117.5));
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(point, ("a", "x"))]);

        var (_, rows) = await ReadAllAsync(zip);

        Assert.Equal(117.5, rows[0].Geometry!.Coordinate.Z);
    }

    [Fact]
    public async Task A_shapefile_in_a_folder_of_the_zip_is_found()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", [new(ImportFixtures.Point(1, 2), ("a", "x"))], new ShapefileFixture { ZipFolder = "export/2024/" });

        var (description, rows) = await ReadAllAsync(zip);

        Assert.Equal("layer", description.Layer);
        Assert.Single(rows);
    }

    [Theory]
    [InlineData(".shx", "has no .shx (index) file")]
    [InlineData(".dbf", "has no .dbf (attribute table) file")]
    [InlineData(".shp", "holds no shapefile")]
    public async Task A_shapefile_missing_a_part_is_refused(string omitted, string reason)
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "naselja", [new(ImportFixtures.Point(1, 2), ("a", "x"))], new ShapefileFixture { Omit = [omitted] });

        var refusal = await RefusedAsync(zip);

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_shapefiles_need_a_layer_to_be_chosen()
    {
        var zip = Path.Combine(Folder, "two.zip");
        var first = ImportFixtures.ShapefileZip(Folder, "naselja", [new(ImportFixtures.Point(1, 2), ("a", "first"))]);
        var second = ImportFixtures.ShapefileZip(Folder, "opstine", [new(ImportFixtures.Point(3, 4), ("a", "second"))]);
        using (var target = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var source in new[] { first, second })
            {
                using var archive = ZipFile.OpenRead(source);
                foreach (var entry in archive.Entries)
                {
                    using var from = entry.Open();
                    using var to = target.CreateEntry(entry.FullName).Open();
                    from.CopyTo(to);
                }
            }
        }

        var refusal = await RefusedAsync(zip);
        var (description, rows) = await ReadAllAsync(zip, new ImportReadOptions(Layer: "OPSTINE"));
        var missing = await RefusedAsync(zip, new ImportReadOptions(Layer: "putevi"));

        Assert.Contains("naselja.shp, opstine.shp", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("opstine", description.Layer);
        Assert.Equal("second", rows[0].Values["a"]);
        Assert.Contains("no shapefile named \"putevi\"", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_zip_is_refused()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", CyrillicSettlements);
        var bytes = File.ReadAllBytes(zip);
        File.WriteAllBytes(zip, bytes[..(bytes.Length / 2)]); // cut off: the central directory is gone

        var refusal = await RefusedAsync(zip);

        Assert.Contains("not a readable zip archive", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_named_zip_is_refused_as_not_a_zip()
    {
        var path = ImportFixtures.Csv(Folder, "this is not a zip", Encoding.UTF8, fileName: "layer.zip");

        var refusal = await RefusedAsync(path);

        Assert.Contains("not a readable zip archive", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Damaged_shp_and_dbf_that_disagree_are_refused()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", CyrillicSettlements, new ShapefileFixture { Omit = [".dbf"] });
        var other = ImportFixtures.ShapefileZip(Folder, "other", [CyrillicSettlements[0]]);
        using (var target = ZipFile.Open(zip, ZipArchiveMode.Update))
        using (var source = ZipFile.OpenRead(other))
        {
            using var from = source.GetEntry("other.dbf")!.Open();
            using var to = target.CreateEntry("layer.dbf").Open();
            from.CopyTo(to); // one attribute record for three shapes
        }

        var refusal = await RefusedAsync(zip);

        Assert.Contains("damaged", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.shp")]
    [InlineData("data/../../evil.shp")]
    [InlineData("/etc/evil.shp")]
    [InlineData("..\\evil.shp")]
    [InlineData("C:/Windows/evil.shp")]
    [InlineData("C:evil.shp")]
    public async Task An_entry_name_leading_out_of_the_folder_is_refused_naming_it(string name)
    {
        var zip = ImportFixtures.ZipWithEntry(Folder, name, [1, 2, 3]);

        var refusal = await RefusedAsync(zip);

        Assert.Contains($"\"{name}\"", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("outside", refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "evil.shp")));
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_by_its_compression_ratio_before_unpacking()
    {
        var zip = ImportFixtures.ZipBomb(Folder, 50L * 1024 * 1024);
        Assert.True(new FileInfo(zip).Length < 200 * 1024); // tiny on disk

        var refusal = await RefusedAsync(zip);

        Assert.Contains("zip bomb", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_unpacking_beyond_the_size_limit_is_refused()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", CyrillicSettlements);

        var refusal = await RefusedAsync(zip, limits: new ImportLimits(MaxUncompressedBytes: 500));

        Assert.Contains("unpacks to more than 500 bytes", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_of_too_many_entries_is_refused()
    {
        var zip = ImportFixtures.ZipWithEntries(Folder, 30);

        var refusal = await RefusedAsync(zip, limits: new ImportLimits(MaxEntries: 20));

        Assert.Contains("30 files", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_that_unpacks_to_more_than_it_declares_is_not_unpacked_beyond_its_declaration()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "layer", CyrillicSettlements);
        ImportFixtures.DeclareSize(zip, "layer.dbf", 40); // the header alone is longer

        var refusal = await RefusedAsync(zip);

        Assert.Contains("layer", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unpacked_parts_are_deleted_when_the_source_is_disposed()
    {
        var zip = ImportFixtures.ShapefileZip(Folder, "disposed", [new(ImportFixtures.Point(1, 2), ("ID", Guid.NewGuid().ToString()))]);
        var dbf = File.ReadAllBytes(Path.Combine(Folder, "disposed-parts", "disposed.dbf"));
        var before = Directory.GetDirectories(Path.GetTempPath(), "settlementmap-import-*").ToHashSet();

        var source = await OpenAsync(zip);
        var created = Directory.GetDirectories(Path.GetTempPath(), "settlementmap-import-*").Except(before).ToList();
        // Ours is the one holding this test's unique .dbf (other tests may be importing at the same time).
        var folder = Assert.Single(created, d => File.Exists(Path.Combine(d, "layer.dbf")) && File.ReadAllBytes(Path.Combine(d, "layer.dbf")).SequenceEqual(dbf));
        await source.DisposeAsync();

        Assert.False(Directory.Exists(folder));
    }
}
