using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using SettlementMap.Tests.Http;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.History;

/// <summary>
/// OGC datetime on the settlements collection reads their history in every form Part 1 allows (an instant
/// as a date or a date-time, closed and open intervals with ".." or an empty end), refuses every other form
/// with a problem naming datetime, and the collection states its temporal extent. as_of on the layer, the
/// summary, the tiles and the export refuses bad values the same way, naming as_of.
/// </summary>
public sealed class AsOfOgcDatetimeTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>
    /// A: created 2017-03-01 10:00 (no water), a water network from 2019-06-01 12:00, deleted 2021-01-01 00:00.
    /// B: created 2020-02-02 08:00 (wells).
    /// </summary>
    private async Task<(long A, long B, string Box, HttpClient Client, DatedEdits Edits)> HistoryAsync()
    {
        var edits = await DatedEdits.StartAsync(app, new DateTimeOffset(2017, 3, 1, 10, 0, 0, TimeSpan.Zero));
        var outlines = await AsOfReplayTests.OutlinesAsync(app, 2);
        var a = await edits.CreateAsync(new DateTimeOffset(2017, 3, 1, 10, 0, 0, TimeSpan.Zero), outlines[0], "Staro", "none", 120);
        using (var response = await edits.PatchAsync(new DateTimeOffset(2019, 6, 1, 12, 0, 0, TimeSpan.Zero), a, new Dictionary<string, object?> { ["water_supply"] = "network" }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var b = await edits.CreateAsync(new DateTimeOffset(2020, 2, 2, 8, 0, 0, TimeSpan.Zero), outlines[1], "Novo", "wells", 60);
        await edits.DeleteAsync(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), a);
        var box = AsOfEdgeTests.Bbox(outlines[0].Union(outlines[1]));
        return (a, b, box, edits.Client, edits);
    }

    [Fact]
    public async Task Every_datetime_form_gives_the_settlements_of_that_time()
    {
        var (a, b, box, client, edits) = await HistoryAsync();
        await using var history = edits;
        var cases = new (string Datetime, string? A, bool B)[]
        {
            ("2019-06-01", "network", false), // a date: the end of that UTC day
            ("2019-06-01T11:59:59Z", "none", false),
            ("2019-06-01T12:00:00Z", "network", false), // exactly at the change: the new state
            ("2019-06-01T13:59:59.9999999+02:00", "none", false), // an offset: 11:59:59.9999999 UTC
            ("2019-06-01t12:00:00z", "network", false), // RFC 3339 allows lower-case T and Z
            ("2017-02-28", null, false),
            ("2018-01-01/2019-01-01", "none", false), // closed interval
            ("2018-01-01/2019-12-31", "network", false), // its last state in the interval
            ("../2020-01-01", "network", false), // open start
            ("/2020-01-01", "network", false),
            ("../2017-02-28", null, false),
            ("2019-01-01/..", "network", true), // open end
            ("2019-01-01/", "network", true),
            ("2021-01-01", null, true), // A was deleted at that day's first instant
            ("2020-12-31", "network", true),
            ("2021-06-01/..", null, true),
            ("2020-12-31T23:59:59Z/2021-01-01T00:00:00Z", "network", true),
        };
        foreach (var (datetime, expectedA, expectedB) in cases)
        {
            using var response = await client.GetAsync(new Uri($"/ogc/collections/settlements/items?f=json&limit=1000&bbox={box}&datetime={Uri.EscapeDataString(datetime)}", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{datetime}: {text}");
            var ours = JsonDocument.Parse(text).RootElement.GetProperty("features").EnumerateArray()
                .Where(f => f.GetProperty("id").GetInt64() == a || f.GetProperty("id").GetInt64() == b)
                .ToDictionary(f => f.GetProperty("id").GetInt64(), f => f.GetProperty("properties").GetProperty("water_supply").GetString());
            Assert.True(expectedA == ours.GetValueOrDefault(a) && expectedB == ours.ContainsKey(b),
                $"datetime={datetime}: expected A {expectedA ?? "absent"}, B {(expectedB ? "present" : "absent")}; got {JsonSerializer.Serialize(ours)}");
        }
    }

    [Theory]
    [InlineData("2019-13-01")]
    [InlineData("2019-02-30")]
    [InlineData("2019-1-1")]
    [InlineData("20190101")]
    [InlineData("1899-12-31")]
    [InlineData("2019-01-01T00:00:00")] // no offset: RFC 3339 requires one
    [InlineData("2019-01-01 00:00:00Z")]
    [InlineData("2019-01-01T24:00:00Z")]
    [InlineData("../..")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("2020-01-01/2019-01-01")] // reversed
    [InlineData("2019-01-01T12:00:00Z/2019-01-01T11:59:59Z")]
    [InlineData("2019-01-01/2020-01-01/2021-01-01")]
    [InlineData("2019-01-01/P1Y")]
    [InlineData("now")]
    public async Task A_bad_datetime_is_a_400_problem_naming_datetime(string datetime)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/ogc/collections/settlements/items?datetime=" + Uri.EscapeDataString(datetime), UriKind.Relative));
        await Problems.AssertAsync(response, 400, "datetime");
    }

    [Fact]
    public async Task A_datetime_of_more_than_80_characters_is_refused_before_it_is_read()
    {
        using var client = app.Factory.CreateClient();
        var datetime = "2019-01-01T00:00:00.0000000+00:00/2020-01-01T00:00:00.0000000+00:00" + new string(' ', 14);
        Assert.Equal(81, datetime.Length);
        using var response = await client.GetAsync(new Uri("/ogc/collections/settlements/items?datetime=" + Uri.EscapeDataString(datetime), UriKind.Relative));
        await Problems.AssertAsync(response, 400, "datetime");
        // Without the padding the same interval is fine.
        using var fine = await client.GetAsync(new Uri("/ogc/collections/settlements/items?limit=1&datetime=" + Uri.EscapeDataString(datetime.TrimEnd()), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task The_collection_states_its_temporal_extent_from_the_first_version_on_open()
    {
        var (_, _, _, _, edits) = await HistoryAsync();
        await using var history = edits;
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (min(lower(valid)) AT TIME ZONE 'UTC')::date FROM settlement_versions", connection);
        var first = (DateOnly)(await command.ExecuteScalarAsync())!;
        Assert.True(first <= new DateOnly(2017, 3, 1), "the history written here begins in 2017");

        using var client = app.Factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ogc/collections/settlements?f=json", UriKind.Relative)));
        var temporal = document.RootElement.GetProperty("extent").GetProperty("temporal");
        var interval = temporal.GetProperty("interval")[0];
        Assert.Equal(first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z", interval[0].GetString());
        Assert.Equal(JsonValueKind.Null, interval[1].ValueKind);
        Assert.Equal("http://www.opengis.net/def/uom/ISO-8601/0/Gregorian", temporal.GetProperty("trs").GetString());
        Assert.Contains("datetime reads the history", document.RootElement.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadAsOf => new()
    {
        { "/api/layers/settlements", "2019-13-01" },
        { "/api/layers/settlements", "2019-01-01T00:00:00" },
        { "/api/layers/settlements", "2019-01-01/2020-01-01" },
        { "/api/layers/settlements", "yesterday" },
        { "/api/layers/settlements", "1899-12-31" },
        { "/api/layers/settlements", "2019-01-01T00:00:00.0000000+00:00" + new string('0', 10) },
        { "/api/layers/settlements/summary", "2019-02-30" },
        { "/api/layers/settlements/summary", "../2020-01-01" },
        { "/tiles/settlements/8/142/92.mvt", "2019-13-01" },
        { "/tiles/settlements/8/142/92.mvt", "2019-01-01T00:00:00" },
        { "/api/export/settlements", "2019-13-01" },
        { "/api/export/settlements?format=csv", "tomorrow" },
    };

    [Theory]
    [MemberData(nameof(BadAsOf))]
    public async Task A_bad_as_of_is_a_400_problem_naming_as_of(string path, string asOf)
    {
        using var client = app.Factory.CreateClient();
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        using var response = await client.GetAsync(new Uri(path + separator + "as_of=" + Uri.EscapeDataString(asOf), UriKind.Relative));
        await Problems.AssertAsync(response, 400, "as_of");
    }

    [Fact]
    public async Task The_layer_summary_tiles_and_export_as_of_a_day_agree_with_history()
    {
        var (a, b, _, client, edits) = await HistoryAsync();
        await using var history = edits;
        // 2020-06-01: A (water network) and B exist.
        const string Day = "2020-06-01";
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM settlements_as_of(@at)", connection);
        command.Parameters.AddWithValue("at", SettlementMap.Web.Features.History.SettlementTime.EndOf(new DateOnly(2020, 6, 1)));
        var count = (long)(await command.ExecuteScalarAsync())!;

        using var layer = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/settlements?as_of=" + Day, UriKind.Relative)));
        var ids = layer.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(count, ids.Count);
        Assert.Contains(a, ids);
        Assert.Contains(b, ids);
        using var summary = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/layers/settlements/summary?as_of=" + Day, UriKind.Relative)));
        Assert.Equal(count, summary.RootElement.GetProperty("matched").GetInt64());

        using var export = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/export/settlements?format=geojson&as_of=" + Day, UriKind.Relative)));
        var exported = export.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(ids.Order(), exported.Select(f => f.GetProperty("id").GetInt64()).Order());
        Assert.Equal("network", exported.Single(f => f.GetProperty("id").GetInt64() == a).GetProperty("properties").GetProperty("water_supply").GetString());
        using var csv = await client.GetAsync(new Uri("/api/export/settlements?format=csv&as_of=" + Day, UriKind.Relative));
        Assert.Contains("as-of-" + Day, csv.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);

        // Today's tile of A's place has A no more; as of the day, the same tile is another one.
        var tile = await TileOfAsync(connection, a);
        var today = await client.GetByteArrayAsync(new Uri(tile, UriKind.Relative));
        var then = await client.GetByteArrayAsync(new Uri(tile + "?as_of=" + Day, UriKind.Relative));
        Assert.NotEqual(today, then);
        Assert.NotEmpty(then);
    }

    /// <summary>The z12 tile that holds the settlement's centroid as of 2020.</summary>
    private static async Task<string> TileOfAsync(NpgsqlConnection connection, long id)
    {
        await using var command = new NpgsqlCommand("""
            SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) AS c FROM settlement_versions WHERE id = @id ORDER BY lower(valid) LIMIT 1) v
            """, connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var (lon, lat) = (reader.GetDouble(0), reader.GetDouble(1));
        const int Z = 12;
        var n = 1 << Z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var latRad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n);
        return string.Create(CultureInfo.InvariantCulture, $"/tiles/settlements/{Z}/{x}/{y}.mvt");
    }
}
