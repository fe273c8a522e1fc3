using System.Globalization;
using System.Text.Json;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Tests.Ogc;
using SettlementMap.Tests.Ogc.RealClients;

namespace SettlementMap.Tests.History;

/// <summary>
/// A researcher's way to the map as of a day: OGC datetime through the clients they use, against the app on a
/// real Kestrel port. GDAL's OAPIF driver has no datetime option: datetime goes into the dataset URL of the
/// collection (as the page's "Use in QGIS / GDAL" line writes it), and GDAL repeats it in every page it
/// fetches. QGIS 3.22's provider keeps a query written into the service URL on every request. OWSLib passes
/// collection_items' datetime keyword on. Each must return exactly the settlements of that time, in their state then.
/// </summary>
public sealed class AsOfRealClientTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    // About a protocol, not who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    private const string Qgis = "/usr/lib/python3/dist-packages/qgis/__init__.py";
    private const string OwsLib = "/usr/lib/python3/dist-packages/owslib/__init__.py";

    private (long A, long B, string NameA, string NameB) _history;

    /// <summary>
    /// A: no water from 2017-03-01, a water network from 2019-06-01 12:00, deleted on 2021-01-01.
    /// B: wells from 2020-02-02. Named uniquely, so a client's features can be told apart.
    /// </summary>
    public async Task InitializeAsync()
    {
        Landing(); // Kestrel before anything asks the fixture for its services
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var edits = await DatedEdits.StartAsync(app, new DateTimeOffset(2017, 3, 1, 10, 0, 0, TimeSpan.Zero));
        var outlines = await AsOfReplayTests.OutlinesAsync(app, 2);
        var a = await edits.CreateAsync(new DateTimeOffset(2017, 3, 1, 10, 0, 0, TimeSpan.Zero), outlines[0], "Klijent A " + tag, "none", 120);
        using (var response = await edits.PatchAsync(new DateTimeOffset(2019, 6, 1, 12, 0, 0, TimeSpan.Zero), a, new Dictionary<string, object?> { ["water_supply"] = "network" }))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var b = await edits.CreateAsync(new DateTimeOffset(2020, 2, 2, 8, 0, 0, TimeSpan.Zero), outlines[1], "Klijent B " + tag, "wells", 60);
        await edits.DeleteAsync(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), a);
        _history = (a, b, "Klijent A " + tag, "Klijent B " + tag);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    // Kestrel first: the fixture's database context would otherwise start the in-memory server.
    private string Landing() => new Uri(app.Factory.StartKestrel(), "/ogc").ToString();

    /// <summary>The datetimes asked, and what history says of them: the settlements' count and each one's water supply by name.</summary>
    public static TheoryData<string> Datetimes => new() { "2020-06-01", "2019-06-01T11:59:59Z", "2019-01-01/2020-12-31", "2021-06-01/.." };

    /// <summary>
    /// What the server must answer for a datetime, from SQL (every settlement's name and water supply then, checked
    /// against the story), and a page size below it: each next link a client follows must keep the datetime.
    /// </summary>
    private async Task<(Dictionary<long, (string? Name, string? Water)> Expected, string PageSize)> ExpectedAsync(string datetime)
    {
        var expected = await HistoryAtAsync(datetime);
        AssertStory(datetime, expected);
        return (expected, Math.Max(1, expected.Count / 3).ToString(CultureInfo.InvariantCulture));
    }

    private async Task<Dictionary<long, (string? Name, string? Water)>> HistoryAtAsync(string datetime)
    {
        Assert.True(SettlementMap.Web.Features.Ogc.OgcDatetime.TryParse(datetime, out var parsed, out var error), error);
        var time = parsed!.SettlementTime;
        var parameters = new List<NpgsqlParameter>();
        time.AddParameters(parameters);
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT s.id, s.name_latn, s.water_supply::text FROM {time.Sql} s", connection);
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var expected = new Dictionary<long, (string?, string?)>();
        while (await reader.ReadAsync())
        {
            expected[reader.GetInt64(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }
        return expected;
    }

    /// <summary>Our two settlements in what history says of the datetime: the SQL is checked against the story too.</summary>
    private void AssertStory(string datetime, Dictionary<long, (string? Name, string? Water)> expected)
    {
        var (a, b, nameA, nameB) = _history;
        var story = datetime switch
        {
            "2020-06-01" => ("network", true),
            "2019-06-01T11:59:59Z" => ("none", false),
            "2019-01-01/2020-12-31" => ("network", true),
            "2021-06-01/.." => ((string?)null, true),
            _ => throw new ArgumentOutOfRangeException(nameof(datetime), datetime, "a datetime of the theory"),
        };
        (string?, string?)? storyA = story.Item1 is null ? null : (nameA, story.Item1);
        (string?, string?)? historyA = expected.TryGetValue(a, out var stateA) ? stateA : null;
        Assert.Equal(storyA, historyA);
        Assert.Equal(story.Item2, expected.ContainsKey(b) && expected[b] == (nameB, "wells"));
    }

    [RealClientTheory(GdalFactAttribute.Ogr2Ogr, "gdal-bin")]
    [MemberData(nameof(Datetimes))]
    public async Task GDAL_reads_the_settlements_of_a_datetime_from_the_collection_URL_through_every_page(string datetime)
    {
        RealClientFactAttribute.Require(GdalFactAttribute.Ogr2Ogr, "gdal-bin");
        var (expected, pageSize) = await ExpectedAsync(datetime);
        var dataset = $"OAPIF:{Landing()}/collections/settlements?datetime={Uri.EscapeDataString(datetime)}";
        var file = Path.Combine(Path.GetTempPath(), $"oapif-asof-{Guid.NewGuid():N}.geojson");
        try
        {
            var (exit, output) = await ClientProcess.RunAsync(GdalFactAttribute.Ogr2Ogr, "-f", "GeoJSON", file, dataset, "-oo", $"PAGE_SIZE={pageSize}", "settlements");
            Assert.True(exit == 0, output);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var seen = document.RootElement.GetProperty("features").EnumerateArray()
                .Select(f => f.GetProperty("properties"))
                .Select(p => (p.GetProperty("name_latn").GetString(), p.GetProperty("water_supply").GetString())).ToList();
            Assert.Equal(expected.Values.Order(), seen.Order());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [RealClientTheory(OwsLib, "python3-owslib")]
    [MemberData(nameof(Datetimes))]
    public async Task OWSLib_reads_the_settlements_of_a_datetime_with_collection_items(string datetime)
    {
        RealClientFactAttribute.Require(OwsLib, "python3-owslib");
        var (expected, pageSize) = await ExpectedAsync(datetime);
        var script = Path.Combine(PostgisServer.Paths.Root, "tests", "SettlementMap.Tests", "History", "owslib_as_of.py");
        var (exit, output) = await ClientProcess.RunAsync(ClientProcess.Python, script, Landing(), datetime, pageSize);
        Assert.True(exit == 0, output);
        var seen = ClientProcess.LastJsonLine(output);
        Assert.Equal(expected.Count, seen.GetProperty("numberMatched").GetInt32());
        var features = seen.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(expected.Keys.Order(), features.Select(f => f.GetProperty("id").GetInt64()).Order());
        Assert.All(features, f => Assert.Equal(expected[f.GetProperty("id").GetInt64()],
            (f.GetProperty("name_latn").GetString(), f.GetProperty("water_supply").GetString())));
    }

    [RealClientTheory(Qgis, "python3-qgis")]
    [MemberData(nameof(Datetimes))]
    public async Task QGIS_reads_the_settlements_of_a_datetime_written_into_the_service_URL(string datetime)
    {
        RealClientFactAttribute.Require(Qgis, "python3-qgis");
        var (expected, pageSize) = await ExpectedAsync(datetime);
        var (a, _, nameA, _) = _history;
        var landing = Landing() + "?datetime=" + Uri.EscapeDataString(datetime);
        // The repository's QGIS harness: count, every feature through paging, a subset on the client, one feature by name.
        var (exit, output) = await ClientProcess.RunAsync(ClientProcess.Python, ClientProcess.Script("qgis_oapif.py"),
            landing, "settlements", pageSize, "\"water_supply\" = 'network'", "name_latn", nameA);
        Assert.True(exit == 0, output);
        var seen = ClientProcess.LastJsonLine(output);
        Assert.True(seen.GetProperty("valid").GetBoolean(), output);
        Assert.Equal(expected.Count, seen.GetProperty("featureCount").GetInt32());
        Assert.Equal(expected.Count, seen.GetProperty("iterated").GetInt32());
        Assert.Equal(expected.Values.Count(v => v.Water == "network"), seen.GetProperty("subsetCount").GetInt32());
        var key = seen.GetProperty("key").EnumerateArray().ToList();
        if (expected.TryGetValue(a, out var stateA))
        {
            Assert.Equal(stateA.Water, Assert.Single(key).GetProperty("water_supply").GetString());
        }
        else
        {
            Assert.Empty(key);
        }
    }
}

/// <summary>A <see cref="RealClientFactAttribute"/> for theories: a missing client fails unless SETTLEMENTMAP_ALLOW_MISSING_CLIENTS=1.</summary>
public sealed class RealClientTheoryAttribute : TheoryAttribute
{
    public RealClientTheoryAttribute(string marker, string package)
    {
        if (!File.Exists(marker) && Environment.GetEnvironmentVariable(RealClientFactAttribute.AllowMissing) == "1")
        {
            Skip = $"{package} is not installed ({marker} is missing): apt-get install {package}; skipped because {RealClientFactAttribute.AllowMissing}=1.";
        }
    }
}
