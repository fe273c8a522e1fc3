using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Ogc.RealClients;

/// <summary>
/// The clients researchers use, against the app on a real Kestrel port: QGIS's own OAPIF
/// provider (PyQGIS, headless), GDAL's OAPIF driver paging with a filter and a crs in the
/// dataset URL, OWSLib, and R sf when it is installed.
/// </summary>
public sealed class OgcRealClientTests(AppFixture app) : IClassFixture<AppFixture>
{
    // About formats and protocols, not who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    private const string Qgis = "/usr/lib/python3/dist-packages/qgis/__init__.py";
    private const string OwsLib = "/usr/lib/python3/dist-packages/owslib/__init__.py";
    private const string RSf = "/usr/lib/R/site-library/sf/DESCRIPTION";

    // Kestrel first: the fixture's database context would otherwise start the in-memory server.
    private string Landing() => new Uri(app.Factory.StartKestrel(), "/ogc").ToString();

    [RealClientFact(Qgis, "python3-qgis")]
    public async Task QGIS_loads_every_collection_from_the_landing_page_with_counts_paging_a_filter_and_Cyrillic()
    {
        RealClientFactAttribute.Require(Qgis, "python3-qgis");
        var landing = Landing();
        await using var db = app.CreateContext();
        var nis = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).FirstAsync();
        var cases = new (string Collection, int Count, string Subset, int SubsetCount, string KeyField, string KeyValue)[]
        {
            ("settlements", await db.Settlements.CountAsync(), "\"water_supply\" = 'wells'", await db.Settlements.CountAsync(s => s.WaterSupply == WaterSupply.Wells), "code", nis.Code),
            ("municipalities", await db.Municipalities.CountAsync(), "\"kind\" = 'city'", await db.Municipalities.CountAsync(m => m.Kind == MunicipalityKind.City), "code", "nis"),
            ("coverage", await db.Coverage.CountAsync(), "\"kind\" = 'coordinator'", await db.Coverage.CountAsync(c => c.Kind == CoverageKind.Coordinator), "municipality_code", "nis"),
            ("measures", await db.Measures.CountAsync(), "\"status\" = 'done'", await db.Measures.CountAsync(m => m.Status == MeasureStatus.Done), "municipality_code", "nis"),
        };
        foreach (var (collection, count, subset, subsetCount, keyField, keyValue) in cases)
        {
            // A page size below the count makes QGIS follow the next links.
            var pageSize = (count / 4).ToString(CultureInfo.InvariantCulture);
            var (exit, output) = await ClientProcess.RunAsync(ClientProcess.Python, ClientProcess.Script("qgis_oapif.py"), landing, collection, pageSize, subset, keyField, keyValue);
            Assert.True(exit == 0, output);
            var seen = ClientProcess.LastJsonLine(output);
            Assert.True(seen.GetProperty("valid").GetBoolean(), $"QGIS could not open {collection}: {output}");
            Assert.Equal(count, seen.GetProperty("featureCount").GetInt32());
            Assert.Equal(count, seen.GetProperty("iterated").GetInt32());
            Assert.Equal(subsetCount, seen.GetProperty("subsetCount").GetInt32());
            Assert.NotEmpty(seen.GetProperty("key").EnumerateArray());
            if (collection == "settlements")
            {
                var feature = seen.GetProperty("key")[0];
                Assert.Equal(nis.NameCyrl, feature.GetProperty("name_cyrl").GetString());
                Assert.Equal(nis.NameLatn, feature.GetProperty("name_latn").GetString());
                Assert.Equal("Integer", seen.GetProperty("fields").GetProperty("estimated_inhabitants").GetString());
            }
            if (collection == "municipalities")
            {
                Assert.Equal("Ниш", seen.GetProperty("key")[0].GetProperty("name_cyrl").GetString());
            }
            if (collection == "coverage")
            {
                // Declared integer in the queryables; QGIS 3.22 types fields from the first ten items.
                Assert.Equal("Integer", seen.GetProperty("fields").GetProperty("count").GetString());
            }
        }
    }

    [RealClientFact(GdalFactAttribute.Ogr2Ogr, "gdal-bin")]
    public async Task GDAL_pages_through_with_a_filter_and_a_crs_in_the_dataset_URL()
    {
        RealClientFactAttribute.Require(GdalFactAttribute.Ogr2Ogr, "gdal-bin");
        var landing = Landing();
        await using var db = app.CreateContext();
        var expected = await db.Settlements.CountAsync(s => s.EstimatedInhabitants > 300);
        var pageSize = expected / 4; // at least four pages, each next link followed with GDAL's own copy of filter and crs
        Assert.True(pageSize > 10);
        // As a person writes it (+ for spaces, the crs unescaped), so it differs from the next link's own
        // spelling of the same values and GDAL appends its copy (it skips a byte-identical one).
        var dataset = $"OAPIF:{landing}/collections/settlements?filter=estimated_inhabitants+%3E+300&crs=http://www.opengis.net/def/crs/EPSG/0/32634";
        var file = Path.Combine(Path.GetTempPath(), $"oapif-{Guid.NewGuid():N}.geojson");
        try
        {
            var (exit, output) = await ClientProcess.RunAsync(GdalFactAttribute.Ogr2Ogr, "-f", "GeoJSON", file, dataset, "-oo", $"PAGE_SIZE={pageSize}", "settlements");
            Assert.True(exit == 0, output);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var features = document.RootElement.GetProperty("features");
            Assert.Equal(expected, features.GetArrayLength());
            Assert.All(features.EnumerateArray(), f => Assert.True(f.GetProperty("properties").GetProperty("estimated_inhabitants").GetInt32() > 300));
            // UTM 34N metres, as crs asked.
            var corner = features[0].GetProperty("geometry").GetProperty("coordinates")[0][0][0];
            Assert.InRange(corner[0].GetDouble(), 166_000, 834_000);
            Assert.InRange(corner[1].GetDouble(), 4_600_000, 5_200_000);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The gap planners look for ("lacking a water network, nothing planned") read by GDAL with unplanned in the dataset URL, over pages.</summary>
    [RealClientFact(GdalFactAttribute.Ogr2Ogr, "gdal-bin")]
    public async Task GDAL_reads_the_settlements_lacking_a_water_network_with_no_measure_planned()
    {
        RealClientFactAttribute.Require(GdalFactAttribute.Ogr2Ogr, "gdal-bin");
        var landing = Landing();
        await using var db = app.CreateContext();
        var expected = await db.Settlements
            .Where(s => (s.WaterSupply == WaterSupply.Wells || s.WaterSupply == WaterSupply.None)
                && !db.Measures.Any(m => m.TargetAttribute == "water_supply" && m.Status != MeasureStatus.Dropped && m.Settlements.Any(x => x.Id == s.Id)))
            .Select(s => s.Code).ToListAsync();
        var planned = await db.Measures.Where(m => m.TargetAttribute == "water_supply" && m.Status != MeasureStatus.Dropped)
            .SelectMany(m => m.Settlements).Where(s => s.WaterSupply == WaterSupply.Wells || s.WaterSupply == WaterSupply.None).CountAsync();
        Assert.True(planned > 0, "some settlements lacking a network have a measure planned: the filter leaves them out");
        var pageSize = Math.Max(5, expected.Count / 3);
        var dataset = $"OAPIF:{landing}/collections/settlements?unplanned=water_supply:network";
        var file = Path.Combine(Path.GetTempPath(), $"oapif-{Guid.NewGuid():N}.geojson");
        try
        {
            var (exit, output) = await ClientProcess.RunAsync(GdalFactAttribute.Ogr2Ogr, "-f", "GeoJSON", file, dataset, "-oo", $"PAGE_SIZE={pageSize}", "settlements");
            Assert.True(exit == 0, output);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var codes = document.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("code").GetString()).ToList();
            Assert.Equal(expected.Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [RealClientFact(GdalFactAttribute.OgrInfo, "gdal-bin")]
    public async Task GDAL_types_every_settlement_field_from_the_schema_even_one_empty_on_the_first_page()
    {
        RealClientFactAttribute.Require(GdalFactAttribute.OgrInfo, "gdal-bin");
        var (exit, output) = await ClientProcess.RunAsync(GdalFactAttribute.OgrInfo, "-ro", "-so", $"OAPIF:{Landing()}", "settlements");
        Assert.True(exit == 0, output);
        var fields = output.Split('\n').Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^(\w+): (\w+) \(")).Where(m => m.Success)
            .Select(m => (Name: m.Groups[1].Value, Type: m.Groups[2].Value)).ToList();
        Assert.Equal(fields.Count, fields.Select(f => f.Name).Distinct().Count());
        foreach (var attribute in SettlementMap.Web.Features.Settlements.SettlementSchema.In(SettlementMap.Web.Features.Settlements.Outputs.Export))
        {
            var expected = attribute.Type switch
            {
                SettlementMap.Web.Features.Settlements.AttributeType.WholeNumber => "Integer",
                SettlementMap.Web.Features.Settlements.AttributeType.Number => "Real",
                SettlementMap.Web.Features.Settlements.AttributeType.Date => "Date",
                SettlementMap.Web.Features.Settlements.AttributeType.DateTime => "DateTime",
                _ => "String",
            };
            Assert.Equal((attribute.Name, expected), fields.Single(f => f.Name == attribute.Name));
        }
        // No demo settlement has a value: without the schema GDAL would take it for text.
        await using var db = app.CreateContext();
        Assert.False(await db.Settlements.AnyAsync(s => s.ResidentsWithoutDocuments != null));
    }

    [RealClientFact(OwsLib, "python3-owslib")]
    public async Task OWSLib_lists_the_collections_and_queryables_and_reads_items()
    {
        RealClientFactAttribute.Require(OwsLib, "python3-owslib");
        var (exit, output) = await ClientProcess.RunAsync(ClientProcess.Python, ClientProcess.Script("owslib_client.py"), Landing());
        Assert.True(exit == 0, output);
        var seen = ClientProcess.LastJsonLine(output);
        Assert.Equal(["settlements", "municipalities", "coverage", "measures"], seen.GetProperty("collections").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("water_supply", seen.GetProperty("queryables").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal("бунари", seen.GetProperty("water_supply_labels").GetProperty("wells").GetString());
        await using var db = app.CreateContext();
        var items = seen.GetProperty("items");
        Assert.Equal(await db.Settlements.CountAsync(s => s.WaterSupply == WaterSupply.Wells), items.GetProperty("numberMatched").GetInt32());
        Assert.Equal(7, items.GetProperty("returned").GetInt32());
        Assert.Equal(["wells"], items.GetProperty("water_supply").EnumerateArray().Select(v => v.GetString()));
        var first = new DateOnly(2015, 1, 1);
        var last = new DateOnly(2015, 12, 31);
        Assert.Equal(await db.Coverage.CountAsync(c => (c.ValidFrom == null || c.ValidFrom <= last) && (c.ValidTo == null || c.ValidTo >= first)), seen.GetProperty("coverage_2015").GetInt32());
        var housing = await db.Measures.CountAsync(m => m.Status == MeasureStatus.InProgress && m.PriorityArea == PriorityArea.Housing);
        Assert.InRange(housing, 1, await db.Measures.CountAsync() - 1);
        Assert.Equal(housing, seen.GetProperty("measures_housing_in_progress").GetInt32());
        Assert.Contains("programme_code", seen.GetProperty("measure_queryables").EnumerateArray().Select(q => q.GetString()));
    }

    [RealClientFact(RSf, "r-cran-sf", optional: true)]
    public async Task R_sf_reads_every_collection_through_GDAL()
    {
        var landing = Landing();
        await using var db = app.CreateContext();
        var expected = new Dictionary<string, int>
        {
            ["settlements"] = await db.Settlements.CountAsync(),
            ["municipalities"] = await db.Municipalities.CountAsync(),
            ["coverage"] = await db.Coverage.CountAsync(),
            ["measures"] = await db.Measures.CountAsync(),
        };
        foreach (var (collection, count) in expected)
        {
            var script = $"library(sf); x <- st_read('OAPIF:{landing}', '{collection}', quiet = TRUE); cat('rows', nrow(x), class(x$geometry)[1], '\\n')";
            var (exit, output) = await ClientProcess.RunAsync("/usr/bin/Rscript", "-e", script);
            Assert.True(exit == 0, output);
            Assert.Contains($"rows {count} sfc_MULTIPOLYGON", output, StringComparison.Ordinal);
        }
    }
}
