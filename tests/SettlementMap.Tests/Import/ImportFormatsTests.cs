using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Import.Readers;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Tests.Import;

/// <summary>
/// Every format and CRS end to end through the upload API on PostGIS: the outlines land where they
/// were drawn (to a metre), Cyrillic values and code pages survive, and bad files change nothing.
/// </summary>
public sealed class ImportFormatsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly GeometryFactory LonLat = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    /// <summary>A lon/lat square (about 200 m) in another CRS, x = easting as files write it.</summary>
    private static Polygon SquareIn(int epsg, double lon, double lat)
    {
        var square = LonLat.CreatePolygon(
        [
            new Coordinate(lon - 0.001, lat - 0.001), new Coordinate(lon + 0.001, lat - 0.001), new Coordinate(lon + 0.001, lat + 0.001),
            new Coordinate(lon - 0.001, lat + 0.001), new Coordinate(lon - 0.001, lat - 0.001),
        ]);
        Assert.True(CrsRegistry.TryParse($"EPSG:{epsg}", out var crs));
        var projected = CrsRegistry.FromCrs84(square, crs);
        return (Polygon)(crs.FirstAxisIsNorthing ? XyOrder.Swapped(projected) : projected);
    }

    private async Task AssertLandsAtAsync(string code, double lon, double lat)
    {
        await using var db = app.CreateContext();
        var centroid = await db.Settlements.Where(s => s.Code == code).Select(s => s.Centroid).SingleAsync();
        // 1e-5 degrees is about a metre.
        Assert.InRange(centroid!.X, lon - 1e-5, lon + 1e-5);
        Assert.InRange(centroid.Y, lat - 1e-5, lat + 1e-5);
    }

    [Fact]
    public async Task A_messy_EPSG_3909_shapefile_with_Cyrillic_values_lists_exactly_its_bad_rows_loads_the_rest_and_reimports_as_unchanged()
    {
        var spots = await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 5);
        var bowTie = SquareIn(3909, spots[3].Lon, spots[3].Lat).Coordinates;
        var invalid = LonLat.CreatePolygon([bowTie[0], bowTie[2], bowTie[1], bowTie[3], bowTie[0]]);
        FixtureFeature Row(Geometry geometry, string code, string name, string water, object? people) =>
            new(geometry, ("SIFRA", code), ("NAZIV", name), ("OPSTINA", "Ниш"), ("VODA", water), ("BR_STAN", people));
        var folder = ImportFixtures.NewFolder();
        var zip = ImportFixtures.ShapefileZip(folder, "naselja_nis", [
            Row(SquareIn(3909, spots[0].Lon, spots[0].Lat), "SHP-3909-1", "Бубањ", "водовод", 310),
            Row(SquareIn(3909, spots[1].Lon, spots[1].Lat), "SHP-3909-2", "Ћеле кула", "бунари", 95),
            Row(SquareIn(3909, spots[2].Lon, spots[2].Lat), "SHP-3909-3", "Црвени крст", "поток", 40),     // not a water supply
            Row(invalid, "SHP-3909-4", "Лептир", "нема", 12),                                                 // self-crossing outline
            Row(SquareIn(3909, spots[4].Lon, spots[4].Lat), "SHP-3909-1", "Двојник", "водовод", 50),         // the code of row 1 again
            Row(SquareIn(3909, 10.5, 45.0), "SHP-3909-6", "Далеко", "водовод", 20),                           // not in Serbia
        ], new ShapefileFixture { Prj = ImportFixtures.EsriPrj(3909), Encoding = ImportFixtures.Windows1251, Cpg = "1251" });
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "naselja_nis.zip", await File.ReadAllBytesAsync(zip));

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal("EPSG:3909", dryRun.Json.GetProperty("crs").GetString());
        Assert.Equal("file", dryRun.Json.GetProperty("crs_source").GetString());
        Assert.Equal([3L, 4L, 5L, 6L], dryRun.BadRows);
        Assert.Contains(dryRun.Reasons(3), r => r.Contains("поток", StringComparison.Ordinal));
        Assert.Contains(dryRun.Reasons(4), r => r.Contains("not valid", StringComparison.Ordinal));
        Assert.Contains(dryRun.Reasons(5), r => r.Contains("earlier row", StringComparison.Ordinal));
        Assert.Contains(dryRun.Reasons(6), r => r.Contains("outside Serbia", StringComparison.Ordinal));

        var applied = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: true);
        Assert.True(applied.Json.GetProperty("applied").GetBoolean());
        Assert.Equal(2, applied.Number("created"));
        await AssertLandsAtAsync("SHP-3909-1", spots[0].Lon, spots[0].Lat);
        await AssertLandsAtAsync("SHP-3909-2", spots[1].Lon, spots[1].Lat);
        await using (var db = app.CreateContext())
        {
            var bubanj = await db.Settlements.SingleAsync(s => s.Code == "SHP-3909-1");
            Assert.Equal("Бубањ", bubanj.NameCyrl);
            Assert.Equal("Bubanj", bubanj.NameLatn);
            Assert.Equal(WaterSupply.Network, bubanj.WaterSupply);
        }
        // The map's layer shows them.
        var layer = await admin.GetStringAsync(new Uri("/api/layers/settlements?municipality=nis", UriKind.Relative));
        Assert.Contains("\"SHP-3909-1\"", layer, StringComparison.Ordinal);
        Assert.Contains("\"SHP-3909-2\"", layer, StringComparison.Ordinal);

        var again = await ImportSteps.UploadAsync(admin, "naselja_nis.zip", await File.ReadAllBytesAsync(zip));
        Assert.Equal(0, again.Number("created"));
        Assert.Equal(0, again.Number("updated"));
        Assert.Equal(2, again.Number("unchanged"));
    }

    [Fact]
    public async Task A_GeoPackage_in_UTM_34N_is_read_from_its_SRS()
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "leskovac", 1))[0];
        var folder = ImportFixtures.NewFolder();
        var gpkg = ImportFixtures.GeoPackage(folder, "romska_naselja", 32634, [
            new FixtureFeature(SquareIn(32634, spot.Lon, spot.Lat), ("code", "GPKG-32634-1"), ("name", "Slepi Jarak"), ("municipality", "Leskovac")),
        ]);
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "survey.gpkg", await File.ReadAllBytesAsync(gpkg));
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal("EPSG:32634", dryRun.Json.GetProperty("crs").GetString());
        Assert.Empty(dryRun.BadRows);
        Assert.True((await ImportSteps.ApplyAsync(admin, dryRun.Id, false)).Json.GetProperty("applied").GetBoolean());
        await AssertLandsAtAsync("GPKG-32634-1", spot.Lon, spot.Lat);

        var wrongLayer = await ImportSteps.UploadAsync(admin, "survey.gpkg", await File.ReadAllBytesAsync(gpkg), "&layer=naselja");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongLayer.Status);
        Assert.Contains("romska_naselja", wrongLayer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8682, "windows-1250")]
    [InlineData(3857, "utf-8")]
    [InlineData(4326, "utf-8")]
    public async Task A_CSV_with_WKT_in_the_CRS_the_user_chose_lands_in_place(int epsg, string encoding)
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "pirot", 3))[epsg switch { 8682 => 0, 3857 => 1, _ => 2 }];
        var wkt = SquareIn(epsg, spot.Lon, spot.Lat).AsText();
        var code = $"CSV-{epsg}";
        var text = $"šifra;naziv;opština;voda;wkt\n{code};Čačak mahala;Pirot;bunari;\"{wkt}\"\n";
        var folder = ImportFixtures.NewFolder();
        var csv = ImportFixtures.Csv(folder, text, Encoding.GetEncoding(encoding));
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "anketa.csv", await File.ReadAllBytesAsync(csv), $"&crs=EPSG:{epsg}&encoding={encoding}");

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Empty(dryRun.BadRows);
        Assert.Equal($"EPSG:{epsg}", dryRun.Json.GetProperty("crs").GetString());
        Assert.True((await ImportSteps.ApplyAsync(admin, dryRun.Id, false)).Json.GetProperty("applied").GetBoolean());
        await AssertLandsAtAsync(code, spot.Lon, spot.Lat);
        await using var db = app.CreateContext();
        Assert.Equal("Čačak mahala", await db.Settlements.Where(s => s.Code == code).Select(s => s.NameLatn).SingleAsync());
    }

    [Fact]
    public async Task A_legacy_GeoJSON_crs_member_is_honoured()
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "vranje", 1))[0];
        var folder = ImportFixtures.NewFolder();
        var file = ImportFixtures.GeoJson(folder, [
            new FixtureFeature(SquareIn(3857, spot.Lon, spot.Lat), ("code", "GJ-3857-1"), ("name", "Gornja čaršija"), ("municipality", "vranje")),
        ], legacyCrsName: "urn:ogc:def:crs:EPSG::3857");
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "old.geojson", await File.ReadAllBytesAsync(file));

        Assert.Equal("EPSG:3857", dryRun.Json.GetProperty("crs").GetString());
        Assert.True((await ImportSteps.ApplyAsync(admin, dryRun.Id, false)).Json.GetProperty("applied").GetBoolean());
        await AssertLandsAtAsync("GJ-3857-1", spot.Lon, spot.Lat);
    }

    [Fact]
    public async Task A_spreadsheet_updates_existing_settlements_by_code_and_reports_unknown_codes()
    {
        await using var db = app.CreateContext();
        var target = await db.Settlements.Where(s => s.Municipality!.Code == "kragujevac").OrderBy(s => s.Id).FirstAsync();
        var households = (target.Households ?? 10) + 7;
        var folder = ImportFixtures.NewFolder();
        var xlsx = ImportFixtures.Xlsx(folder, "Podaci", [
            ["Šifra", "Domaćinstva", "Kanalizacija"],
            [target.Code, households, "septička jama"],
            ["NEMA-TAKVOG-1", 4, "нема"],
        ]);
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "podaci.xlsx", await File.ReadAllBytesAsync(xlsx));

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([2L], dryRun.BadRows); // data rows count from 1 under the header
        Assert.Contains(dryRun.Reasons(2), r => r.Contains("NEMA-TAKVOG-1", StringComparison.Ordinal));
        Assert.Equal(1, dryRun.Number("updated"));
        Assert.True((await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: true)).Json.GetProperty("applied").GetBoolean());
        await using var after = app.CreateContext();
        var updated = await after.Settlements.SingleAsync(s => s.Id == target.Id);
        Assert.Equal(households, updated.Households);
        Assert.Equal(Sewerage.Septic, updated.Sewerage);
        Assert.True(SettlementMap.Web.Features.Editing.SettlementAudit.GeometryEquals(target.Geom, updated.Geom));
    }

    [Fact]
    public async Task A_CSV_with_lon_lat_updates_attributes_of_existing_settlements_and_cannot_create_one()
    {
        await using var db = app.CreateContext();
        var target = await db.Settlements.Where(s => s.Municipality!.Code == "leskovac").OrderBy(s => s.Id).Select(s => new { s.Code, s.Centroid, s.Geom }).FirstAsync();
        var lon = target.Centroid!.X.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        var lat = target.Centroid.Y.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        var text = $"code,lon,lat,electricity\n{target.Code},{lon},{lat},partial\nLONLAT-NEW-1,{lon},{lat},legal\n{target.Code.Replace("-0", "-9", StringComparison.Ordinal)}X,10.5,45.0,legal\n";
        var csv = ImportFixtures.Csv(ImportFixtures.NewFolder(), text, Encoding.UTF8);
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "tacke.csv", await File.ReadAllBytesAsync(csv));

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([2L, 3L], dryRun.BadRows);
        Assert.Contains(dryRun.Reasons(2), r => r.Contains("only a Point", StringComparison.Ordinal));
        Assert.Contains(dryRun.Reasons(3), r => r.Contains("outside Serbia", StringComparison.Ordinal));
        Assert.Equal(1, dryRun.Number("updated"));
        Assert.True((await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: true)).Json.GetProperty("applied").GetBoolean());
        await using var after = app.CreateContext();
        var updated = await after.Settlements.SingleAsync(s => s.Code == target.Code);
        Assert.Equal(Electricity.Partial, updated.Electricity);
        Assert.True(SettlementMap.Web.Features.Editing.SettlementAudit.GeometryEquals(target.Geom, updated.Geom));
    }

    public static TheoryData<string, string> BadFiles() => new()
    {
        { "no-shx", "no .shx" },
        { "no-dbf", "no .dbf" },
        { "bomb", "more than 512" },
        { "traversal", "../evil.shp" },
        { "wrong-code-page", "windows-1251" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_zip_is_refused_with_a_clear_message_and_changes_nothing(string kind, string expected)
    {
        var folder = ImportFixtures.NewFolder();
        var square = SquareIn(3909, 21.9, 43.3);
        FixtureFeature[] features = [new(square, ("SIFRA", "BAD-1"), ("NAZIV", "Ђурђевдан"))];
        var zip = kind switch
        {
            "no-shx" => ImportFixtures.ShapefileZip(folder, "a", features, new ShapefileFixture { Prj = ImportFixtures.EsriPrj(3909), Omit = [".shx"] }),
            "no-dbf" => ImportFixtures.ShapefileZip(folder, "a", features, new ShapefileFixture { Prj = ImportFixtures.EsriPrj(3909), Omit = [".dbf"] }),
            "bomb" => ImportFixtures.ZipBomb(folder, 2L * 1024 * 1024 * 1024),
            "traversal" => ImportFixtures.ZipWithEntry(folder, "../evil.shp", [1, 2, 3]),
            _ => ImportFixtures.ShapefileZip(folder, "a", features, new ShapefileFixture { Prj = ImportFixtures.EsriPrj(3909), Encoding = ImportFixtures.Windows1251, Cpg = "UTF-8" }),
        };
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        await using var db = app.CreateContext();
        var settlements = await db.Settlements.CountAsync();
        var imports = await db.Imports.CountAsync();

        var answer = await ImportSteps.UploadAsync(admin, "upload.zip", await File.ReadAllBytesAsync(zip));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains(expected, answer.Json.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(settlements, await db.Settlements.CountAsync());
        Assert.Equal(imports, await db.Imports.CountAsync());
    }
}
