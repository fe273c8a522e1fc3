using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Ogc;

/// <summary>Real clients against the running service: GDAL's OAPIF driver, a GeoJSON validator, a CSV reader.</summary>
public sealed class RealClientTests(AppFixture app) : IClassFixture<AppFixture>
{
    // About formats and protocols, not who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    private static Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments) => RealClients.ClientProcess.RunAsync(file, arguments);

    private static int FeatureCount(string ogrinfo)
    {
        var line = ogrinfo.Split('\n').First(l => l.StartsWith("Feature Count:", StringComparison.Ordinal));
        return int.Parse(line["Feature Count:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    [GdalFact]
    public async Task Ogrinfo_and_ogr2ogr_read_every_settlement_with_its_attributes_through_OAPIF()
    {
        var service = "OAPIF:" + new Uri(app.Factory.StartKestrel(), "/ogc");
        await using var db = app.CreateContext();
        var count = await db.Settlements.CountAsync();
        var sample = await db.Settlements.Include(s => s.Municipality).Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).FirstAsync();

        var (listExit, list) = await RunAsync(GdalFactAttribute.OgrInfo, "-ro", "-q", service);
        Assert.True(listExit == 0, list);
        Assert.Contains("settlements", list, StringComparison.Ordinal);
        Assert.Contains("municipalities", list, StringComparison.Ordinal);
        Assert.Contains("coverage", list, StringComparison.Ordinal);
        Assert.Contains("measures", list, StringComparison.Ordinal);

        // Measures: every one, and an attribute filter GDAL hands to the server as CQL2.
        var (measuresExit, measures) = await RunAsync(GdalFactAttribute.OgrInfo, "-ro", "-so", service, "measures");
        Assert.True(measuresExit == 0, measures);
        Assert.Equal(await db.Measures.CountAsync(), FeatureCount(measures));
        Assert.Contains("Geometry: Multi Polygon", measures, StringComparison.Ordinal);
        Assert.Contains("priority_area: String", measures, StringComparison.Ordinal);
        var (doneExit, done) = await RunAsync(GdalFactAttribute.OgrInfo, "-ro", "-so", "-where", "status = 'done' AND priority_area = 'housing'", service, "measures");
        Assert.True(doneExit == 0, done);
        Assert.Equal(await db.Measures.CountAsync(m => m.Status == Web.Data.MeasureStatus.Done && m.PriorityArea == Web.Data.PriorityArea.Housing), FeatureCount(done));

        var (infoExit, info) = await RunAsync(GdalFactAttribute.OgrInfo, "-ro", "-so", service, "settlements");
        Assert.True(infoExit == 0, info);
        Assert.Equal(count, FeatureCount(info));

        var gpkg = Path.Combine(Path.GetTempPath(), $"settlements-{Guid.NewGuid():N}.gpkg");
        try
        {
            var (copyExit, copy) = await RunAsync(GdalFactAttribute.Ogr2Ogr, "-f", "GPKG", gpkg, service, "settlements");
            Assert.True(copyExit == 0, copy);
            var (readExit, read) = await RunAsync(GdalFactAttribute.OgrInfo, "-ro", "-so", gpkg, "settlements");
            Assert.True(readExit == 0, read);
            Assert.Equal(count, FeatureCount(read));
            var (rowExit, row) = await RunAsync(GdalFactAttribute.OgrInfo, "-ro", gpkg, "-sql",
                $"SELECT name_cyrl, water_supply, estimated_inhabitants FROM settlements WHERE code = '{sample.Code}'");
            Assert.True(rowExit == 0, row);
            Assert.Contains($"name_cyrl (String) = {sample.NameCyrl}", row, StringComparison.Ordinal);
            Assert.Contains($"water_supply (String) = {Web.Data.EnumText.ToText(sample.WaterSupply)}", row, StringComparison.Ordinal);
            Assert.Contains($"estimated_inhabitants (Integer", row, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(gpkg);
        }
    }

    [Fact]
    public async Task The_GeoJSON_export_passes_a_standard_validator_and_carries_its_metadata()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/export/settlements?format=geojson&district=RS.SE.20", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").First(), StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.geojson");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var (exit, output) = await RunAsync("node", Path.Combine(PostgisServer.Paths.Root, "scripts", "validate-geojson.mjs"), file);
            Assert.True(exit == 0, output);
            await using var db = app.CreateContext();
            Assert.Contains($"valid: {await db.Settlements.CountAsync(s => s.Municipality!.District!.Code == "RS.SE.20")} features", output, StringComparison.Ordinal);
            using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var metadata = document.RootElement.GetProperty("metadata");
            Assert.Equal("district=RS.SE.20", metadata.GetProperty("filter").GetString());
            Assert.Contains("CC BY 4.0", metadata.GetProperty("licence").GetString(), StringComparison.Ordinal);
            Assert.True(metadata.GetProperty("attributes").GetArrayLength() > 40);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_CSV_export_opens_as_UTF8_with_a_BOM_and_keeps_both_scripts()
    {
        using var client = app.Factory.CreateClient();
        var bytes = await client.GetByteArrayAsync(new Uri("/api/export/settlements?format=csv&municipality=nis&crs=EPSG:32634&geometry=lonlat", UriKind.Relative));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        using var reader = new StringReader(Encoding.UTF8.GetString(bytes.AsSpan(3)));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        await using var db = app.CreateContext();
        var expected = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(expected[0].NameCyrl, rows[0]["name_cyrl"]);
        Assert.Equal(expected[0].NameLatn, rows[0]["name_latn"]);
        // UTM 34N in metres, easting first: Niš lies near (570 km, 4795 km).
        Assert.InRange(double.Parse((string)rows[0]["easting"], CultureInfo.InvariantCulture), 540_000, 600_000);
        Assert.InRange(double.Parse((string)rows[0]["northing"], CultureInfo.InvariantCulture), 4_770_000, 4_820_000);
    }
}
