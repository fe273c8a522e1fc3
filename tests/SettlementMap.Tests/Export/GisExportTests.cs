using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Tests.Ogc;

namespace SettlementMap.Tests.Export;

/// <summary>GeoPackage and zipped Shapefile exports read by GDAL, and the metadata that goes with every export.</summary>
public sealed class GisExportTests(AppFixture app) : IClassFixture<AppFixture>
{
    // About formats and protocols, not who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    public static TheoryData<string, string, int, bool, string> Cases => new()
    {
        { "gpkg", "", 4326, true, "WGS 84" },
        { "gpkg", "EPSG:4326", 4326, true, "WGS 84" },
        { "gpkg", "EPSG:3909", 3909, false, "MGI 1901 / Balkans zone 7" },
        { "gpkg", "EPSG:32634", 32634, false, "WGS 84 / UTM zone 34N" },
        { "shapefile", "", 4326, true, "WGS 84" },
        { "shapefile", "EPSG:4326", 4326, true, "WGS 84" },
        { "shapefile", "EPSG:3909", 3909, false, "MGI 1901 / Balkans zone 7" },
        { "shapefile", "EPSG:8682", 8682, false, "SRB_ETRS89 / UTM zone 34N" },
    };

    [GdalTheory]
    [MemberData(nameof(Cases))]
    public async Task GDAL_opens_the_export_with_its_CRS_the_filtered_features_and_x_y_coordinates(string format, string crs, int srid, bool geographic, string crsName)
    {
        await using var db = app.CreateContext();
        var expected = await db.Settlements.Where(s => s.Municipality!.District!.Code == "RS.SE.20").OrderBy(s => s.Id).ToListAsync();
        var sample = expected[^1];
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/export/settlements?format={format}&district=RS.SE.20" + (crs == "" ? "" : "&crs=" + crs), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(format == "gpkg" ? "application/geopackage+sqlite3" : "application/zip", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition?.ToString() ?? "";
        Assert.Contains(format == "gpkg" ? ".gpkg" : ".shp.zip", disposition, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}" + (format == "gpkg" ? ".gpkg" : ".shp.zip"));
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var source = file; // GDAL opens a .shp.zip as it is
            var summary = await ExportGdal.OgrInfoAsync("-ro", "-so", "-al", source);
            Assert.Equal(expected.Count, ExportGdal.FeatureCount(summary));
            Assert.Contains($"\"{crsName}\"", summary, StringComparison.Ordinal);

            var feature = await ExportGdal.OgrInfoAsync("-ro", "-al", source, "-where", $"code = '{sample.Code}'");
            Assert.Contains($"name_cyrl (String) = {sample.NameCyrl}", feature, StringComparison.Ordinal);
            var vertex = await ExportGdal.PostgisVertexAsync(app.ConnectionString, sample.Code, srid);
            ExportGdal.AssertHasVertex(ExportGdal.Vertices(feature), vertex, geographic);
            // Reprojected by GDAL from the CRS the file declares back to WGS 84: the stored longitude/latitude
            // (to 1e-6°, 11 cm: PROJ's EPSG:3909 transformation and ours differ by 4.5 mm).
            var stored = await ExportGdal.PostgisVertexAsync(app.ConnectionString, sample.Code, 4326);
            ExportGdal.AssertHasVertex(await ExportGdal.ReprojectedToWgs84Async(source, "settlements", sample.Code), stored, geographic: true, within: 1e-6);
            Assert.Contains(format == "gpkg" ? "estimated_inhabitants (Integer64)" : "estimated_ (Integer64)", feature, StringComparison.Ordinal);
            Assert.Contains("area_m2 (Real)", feature, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_zipped_shapefile_has_a_UTF8_cpg_a_prj_and_the_table_of_full_field_names()
    {
        using var client = app.Factory.CreateClient();
        var bytes = await client.GetByteArrayAsync(new Uri("/api/export/settlements?format=shapefile&municipality=nis&crs=EPSG:3909", UriKind.Relative));
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var names = zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["settlements.cpg", "settlements.dbf", "settlements.prj", "settlements.shp", "settlements.shx", "settlements_fields.csv", "settlements_metadata.json"], names);
        string Text(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }
        Assert.Equal("UTF-8", Text("settlements.cpg").Trim());
        Assert.Contains("Balkans zone 7", Text("settlements.prj").Replace('_', ' '), StringComparison.Ordinal);

        var table = Text("settlements_fields.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("dbf_name,full_name", table[0]);
        var pairs = table[1..].Select(l => l.Split(',')).ToList();
        Assert.All(pairs, p => Assert.InRange(p[0].Length, 1, 10));
        Assert.Equal(pairs.Count, pairs.Select(p => p[0]).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(pairs, p => p[1] == "distance_to_primary_school_m");
        Assert.Contains(pairs, p => p[1] == "distance_to_preschool_m");
        Assert.Contains(pairs, p => p[0] == "code" && p[1] == "code");

        // The DBF's own field names are the table's short names, in the same order.
        using var dbf = new MemoryStream();
        using (var stream = zip.GetEntry("settlements.dbf")!.Open())
        {
            stream.CopyTo(dbf);
        }
        var header = dbf.ToArray();
        var dbfNames = new List<string>();
        for (var offset = 32; header[offset] != 0x0D; offset += 32)
        {
            dbfNames.Add(Encoding.ASCII.GetString(header, offset, 11).TrimEnd('\0'));
        }
        Assert.Equal(pairs.Select(p => p[0]), dbfNames);

        using var metadata = JsonDocument.Parse(Text("settlements_metadata.json"));
        Assert.Equal("http://www.opengis.net/def/crs/EPSG/0/3909", metadata.RootElement.GetProperty("crs").GetString());
    }

    [Fact]
    public async Task Repeated_exports_leave_no_temporary_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), "settlementmap-exports");
        int Count() => Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder).Count() : 0;
        var before = Count();
        using var client = app.Factory.CreateClient();
        foreach (var format in new[] { "gpkg", "shapefile", "gpkg", "shapefile" })
        {
            var bytes = await client.GetByteArrayAsync(new Uri($"/api/export/settlements?format={format}&municipality=vrsac", UriKind.Relative));
            Assert.True(bytes.Length > 1000);
        }
        // The folder is the machine's: exports of tests running beside this one come and go in it too. Theirs are
        // removed when they finish; a leak of ours stays, so the count must come back down to where it was.
        for (var wait = 0; wait < 100 && Count() > before; wait++)
        {
            await Task.Delay(100);
        }
        Assert.True(Count() <= before, $"{Count() - before} export file(s) left in {folder}");
    }

    [Theory]
    [InlineData("format=shp", "format")]
    [InlineData("format=gpkg&geometry=lonlat", "geometry")]
    [InlineData("format=shapefile&crs=EPSG:1234", "crs")]
    public async Task Bad_parameters_get_a_problem_naming_the_field(string query, string field)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/export/settlements?" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("format=metadata&crs=EPSG:3909", "http://www.opengis.net/def/crs/EPSG/0/3909", "MGI 1901 / Balkans zone 7", "easting")]
    [InlineData("format=metadata&crs=EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/4326", "WGS 84", "longitude")]
    [InlineData("format=metadata", "http://www.opengis.net/def/crs/OGC/1.3/CRS84", "WGS 84 longitude/latitude (CRS84)", "longitude")]
    public async Task The_metadata_names_the_CRS_used_and_the_order_of_the_files_coordinates(string query, string uri, string name, string firstAxis)
    {
        using var client = app.Factory.CreateClient();
        using var metadata = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/export/settlements?" + query, UriKind.Relative)));
        var root = metadata.RootElement;
        Assert.Equal(uri, root.GetProperty("crs").GetString());
        Assert.Equal(name, root.GetProperty("crs_name").GetString());
        Assert.StartsWith(firstAxis, root.GetProperty("coordinate_order").GetString(), StringComparison.Ordinal);
        if (!uri.EndsWith("CRS84", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("CRS84", root.GetProperty("geometry").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_coded_value_has_its_label_in_English_Serbian_Latin_and_Serbian_Cyrillic_in_the_metadata_and_the_GeoJSON()
    {
        using var client = app.Factory.CreateClient();
        var metadataText = await client.GetStringAsync(new Uri("/api/export/settlements?format=metadata", UriKind.Relative));
        var geojsonText = await client.GetStringAsync(new Uri("/api/export/settlements?format=geojson&municipality=vrsac", UriKind.Relative));
        using var geojson = JsonDocument.Parse(geojsonText);
        using var metadata = JsonDocument.Parse(metadataText);
        foreach (var root in new[] { metadata.RootElement, geojson.RootElement.GetProperty("metadata") })
        {
            var coded = root.GetProperty("attributes").EnumerateArray().Where(a => a.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Array).ToList();
            Assert.Equal(Web.Features.Editing.SettlementFields.All.Count(f => f.List is not null), coded.Count);
            foreach (var attribute in coded)
            {
                var list = Web.Features.Editing.SettlementFields.Find(attribute.GetProperty("name").GetString()!)!.List!;
                var values = attribute.GetProperty("values").EnumerateArray().ToList();
                Assert.Equal(Web.Features.Editing.SettlementFields.EnumValues(list), values.Select(v => v.GetProperty("value").GetString()));
                foreach (var value in values)
                {
                    var labels = value.GetProperty("labels");
                    foreach (var language in new[] { "en", "sr-Latn", "sr-Cyrl" })
                    {
                        Assert.False(string.IsNullOrWhiteSpace(labels.GetProperty(language).GetString()), $"{list}.{value.GetProperty("value")} {language}");
                    }
                }
            }
            var water = coded.Single(a => a.GetProperty("name").GetString() == "water_supply").GetProperty("values").EnumerateArray()
                .Single(v => v.GetProperty("value").GetString() == "wells").GetProperty("labels");
            Assert.Equal("wells", water.GetProperty("en").GetString());
            Assert.Equal("bunari", water.GetProperty("sr-Latn").GetString());
            Assert.Equal("бунари", water.GetProperty("sr-Cyrl").GetString());
            Assert.Equal(Web.Geo.Crs.CrsRegistry.Crs84Uri, root.GetProperty("crs").GetString());
        }
    }
}
