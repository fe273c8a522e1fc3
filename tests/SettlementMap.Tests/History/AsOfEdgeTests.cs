using System.Net;
using System.Text.Json;
using Npgsql;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.History;

/// <summary>
/// The edges of history: an instant exactly at a version's start, a date meaning the end of its UTC day,
/// a settlement deleted and restored, two edits at the same instant (of one settlement: If-Match lets one
/// through; of two: both), and the trigger's refusal of a change dated before the current version.
/// </summary>
public sealed class AsOfEdgeTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_instant_at_a_versions_start_sees_it_and_a_date_means_the_end_of_that_UTC_day()
    {
        var created = new DateTimeOffset(2011, 3, 4, 10, 0, 0, TimeSpan.Zero);
        // The second change at the very first instant of a day: "as of" the day before must not see it.
        var midnight = new DateTimeOffset(2011, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var lastTick = new DateTimeOffset(2011, 6, 1, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990);
        await using var edits = await DatedEdits.StartAsync(app, created);
        var outline = (await AsOfReplayTests.OutlinesAsync(app, 1))[0];
        var id = await edits.CreateAsync(created, outline, "Ivica", "wells", 100);
        await PatchAsync(edits, midnight, id, "network");
        await PatchAsync(edits, lastTick, id, "none");

        Assert.Empty(await edits.AsOfAsync(created.AddTicks(-10), [id]));
        Assert.Equal("wells", (await edits.AsOfAsync(created, [id]))[id].WaterSupply);
        Assert.Equal("wells", (await edits.AsOfAsync(midnight.AddTicks(-10), [id]))[id].WaterSupply);
        Assert.Equal("network", (await edits.AsOfAsync(midnight, [id]))[id].WaterSupply);
        Assert.Equal("network", (await edits.AsOfAsync(lastTick.AddTicks(-10), [id]))[id].WaterSupply);
        Assert.Equal("none", (await edits.AsOfAsync(lastTick, [id]))[id].WaterSupply);

        // A date is the state at the end of that UTC day: everything changed during it is in.
        Assert.Null(await LayerWaterAsync(edits.Client, "2011-03-03", id));
        Assert.Equal("wells", await LayerWaterAsync(edits.Client, "2011-03-04", id));
        Assert.Equal("wells", await LayerWaterAsync(edits.Client, "2011-04-30", id));
        Assert.Equal("network", await LayerWaterAsync(edits.Client, "2011-05-01", id));
        Assert.Equal("network", await LayerWaterAsync(edits.Client, "2011-05-31", id));
        // The change at 23:59:59.9999990 is in its day (a microsecond is PostgreSQL's resolution).
        Assert.Equal("none", await LayerWaterAsync(edits.Client, "2011-06-01", id));
        // A date-time with an offset is that instant: 01:59 in +02:00 is 23:59 UTC of the day before.
        Assert.Equal("wells", await LayerWaterAsync(edits.Client, "2011-05-01T01:59:59+02:00", id));
        Assert.Equal("network", await LayerWaterAsync(edits.Client, "2011-05-01T02:00:00+02:00", id));
    }

    [Fact]
    public async Task A_settlement_deleted_and_restored_is_absent_only_in_between_and_an_interval_there_misses_it()
    {
        var created = new DateTimeOffset(2012, 2, 1, 9, 0, 0, TimeSpan.Zero);
        var deleted = new DateTimeOffset(2012, 8, 15, 12, 30, 0, TimeSpan.Zero);
        var restored = new DateTimeOffset(2013, 1, 10, 8, 0, 0, TimeSpan.Zero);
        await using var edits = await DatedEdits.StartAsync(app, created);
        var outline = (await AsOfReplayTests.OutlinesAsync(app, 1))[0];
        var id = await edits.CreateAsync(created, outline, "Povratak", "none", 40);
        await edits.DeleteAsync(deleted, id);
        var deleteChange = (await edits.ChangesAsync([id]))[^1];
        Assert.Equal(SettlementMap.Web.Data.ChangeAction.Delete, deleteChange.Action);
        await edits.RestoreAsync(restored, id, deleteChange.Id);

        Assert.True((await edits.AsOfAsync(deleted.AddTicks(-10), [id])).ContainsKey(id));
        Assert.Empty(await edits.AsOfAsync(deleted, [id]));
        Assert.Empty(await edits.AsOfAsync(restored.AddTicks(-10), [id]));
        var back = (await edits.AsOfAsync(restored, [id]))[id];
        Assert.Equal(("Povratak", "none", (int?)40), (back.NameLatn, back.WaterSupply, back.EstimatedInhabitants));
        Assert.True(back.Geom.EqualsTopologically(outline));
        Assert.Null(await LayerWaterAsync(edits.Client, "2012-09-01", id));
        Assert.Equal("none", await LayerWaterAsync(edits.Client, "2013-01-10", id));

        // OGC intervals: one wholly in the gap misses it, one touching either side has it.
        var box = Bbox(outline);
        Assert.DoesNotContain(id, await OgcIdsAsync(edits.Client, "2012-09-01/2012-12-31", box));
        Assert.Contains(id, await OgcIdsAsync(edits.Client, "2012-08-15/2012-12-31", box));
        Assert.Contains(id, await OgcIdsAsync(edits.Client, "2012-09-01/2013-01-10", box));
        Assert.DoesNotContain(id, await OgcIdsAsync(edits.Client, "2012-08-15T12:30:00Z/2013-01-10T07:59:59Z", box));
    }

    [Fact]
    public async Task Two_edits_of_one_settlement_at_the_same_instant_one_wins_and_history_holds_exactly_it()
    {
        var created = new DateTimeOffset(2014, 4, 1, 0, 0, 0, TimeSpan.Zero);
        var same = new DateTimeOffset(2014, 9, 9, 9, 9, 9, TimeSpan.Zero).AddTicks(1234560);
        await using var edits = await DatedEdits.StartAsync(app, created);
        var outline = (await AsOfReplayTests.OutlinesAsync(app, 1))[0];
        var id = await edits.CreateAsync(created, outline, "Istovremeno", "unknown", 10);
        var read = await Edits.GetAsync(edits.Client, id);
        edits.Clock.Now = same;

        // Both with the version they read, sent together: the row's xmin (If-Match) lets one through.
        var values = new[] { "network", "wells" };
        var responses = await Task.WhenAll(values.Select(value => Edits.PatchAsync(edits.Client, id, Edits.Properties("water_supply", value), read.ETag)));
        try
        {
            var statuses = responses.Select(r => r.StatusCode).ToArray();
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
            var winner = values[Array.FindIndex(statuses, s => s == HttpStatusCode.OK)];

            var changes = await edits.ChangesAsync([id]);
            Assert.Equal(new[] { SettlementMap.Web.Data.ChangeAction.Create, SettlementMap.Web.Data.ChangeAction.Update }, changes.Select(c => c.Action));
            Assert.Equal(same.AddTicks(-(same.Ticks % 10)), changes[1].ChangedAt);
            Assert.Equal(winner, (await edits.AsOfAsync(same, [id]))[id].WaterSupply);
            var versions = await VersionsAsync(id);
            Assert.Equal(new (DateTimeOffset From, DateTimeOffset? Until, string WaterSupply)[] { (created, changes[1].ChangedAt, "unknown"), (changes[1].ChangedAt, null, winner) }, versions);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Edits_of_two_settlements_at_the_same_instant_both_begin_then()
    {
        var created = new DateTimeOffset(2015, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var same = new DateTimeOffset(2015, 6, 6, 6, 6, 6, TimeSpan.Zero);
        await using var edits = await DatedEdits.StartAsync(app, created);
        var outlines = await AsOfReplayTests.OutlinesAsync(app, 2);
        var first = await edits.CreateAsync(created, outlines[0], "Prvo", "none", 10);
        var second = await edits.CreateAsync(created, outlines[1], "Drugo", "none", 20);
        var reads = new[] { await Edits.GetAsync(edits.Client, first), await Edits.GetAsync(edits.Client, second) };
        edits.Clock.Now = same;

        var responses = await Task.WhenAll(new[] { first, second }.Select((id, i) => Edits.PatchAsync(edits.Client, id, Edits.Properties("water_supply", "network"), reads[i].ETag)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
        var before = await edits.AsOfAsync(same.AddTicks(-10), [first, second]);
        var after = await edits.AsOfAsync(same, [first, second]);
        Assert.All(before.Values, s => Assert.Equal("none", s.WaterSupply));
        Assert.Equal(2, after.Count);
        Assert.All(after.Values, s => Assert.Equal("network", s.WaterSupply));
        Assert.Equal(same, (await VersionsAsync(first))[^1].From);
        Assert.Equal(same, (await VersionsAsync(second))[^1].From);
    }

    [Fact]
    public async Task The_trigger_refuses_a_change_dated_before_the_current_version_and_writes_nothing()
    {
        var created = new DateTimeOffset(2016, 3, 3, 0, 0, 0, TimeSpan.Zero);
        await using var edits = await DatedEdits.StartAsync(app, created);
        var outline = (await AsOfReplayTests.OutlinesAsync(app, 1))[0];
        var id = await edits.CreateAsync(created, outline, "Redosled", "wells", 30);
        await PatchAsync(edits, created.AddDays(10), id, "network");
        var versions = await VersionsAsync(id);

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => UpdateDatedAsync(connection, id, created.AddDays(5)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refusal.SqlState);
        Assert.Equal("ck_settlement_versions_order", refusal.ConstraintName);
        // The same instant as the current version's start replaces it (rolled back here too).
        Assert.Equal(1, await UpdateDatedAsync(connection, id, created.AddDays(10)));
        Assert.Equal(versions, await VersionsAsync(id));
        Assert.Equal(30, (await edits.AsOfAsync(created.AddDays(6), [id]))[id].EstimatedInhabitants);
    }

    /// <summary>Changes the estimate in a transaction dated <paramref name="at"/> as the application dates one, then rolls it back.</summary>
    private static async Task<int> UpdateDatedAsync(NpgsqlConnection connection, long id, DateTimeOffset at)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var setting = new NpgsqlCommand("SELECT set_config('settlementmap.change_time', @at, true)", connection, transaction))
        {
            setting.Parameters.AddWithValue("at", DatedEdits.At(at));
            await setting.ExecuteNonQueryAsync();
        }
        await using var update = new NpgsqlCommand("UPDATE settlements SET estimated_inhabitants = estimated_inhabitants + 1 WHERE id = @id", connection, transaction);
        update.Parameters.AddWithValue("id", id);
        var rows = await update.ExecuteNonQueryAsync();
        await transaction.RollbackAsync();
        return rows;
    }

    private static async Task PatchAsync(DatedEdits edits, DateTimeOffset at, long id, string waterSupply)
    {
        using var response = await edits.PatchAsync(at, id, new Dictionary<string, object?> { ["water_supply"] = waterSupply });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The settlement's versions, oldest first: start, end (null while open) and water supply.</summary>
    private async Task<List<(DateTimeOffset From, DateTimeOffset? Until, string WaterSupply)>> VersionsAsync(long id)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT lower(valid), upper(valid), water_supply::text FROM settlement_versions WHERE id = @id ORDER BY lower(valid)", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<(DateTimeOffset, DateTimeOffset?, string)>();
        while (await reader.ReadAsync())
        {
            versions.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
        }
        return versions;
    }

    /// <summary>The settlement's water supply in the layer as of <paramref name="asOf"/>; null when the layer does not have it.</summary>
    public static async Task<string?> LayerWaterAsync(HttpClient client, string asOf, long id)
    {
        using var response = await client.GetAsync(new Uri("/api/layers/settlements?municipality=nis&as_of=" + Uri.EscapeDataString(asOf), UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("id").GetInt64() == id)
            .Select(f => f.GetProperty("properties").GetProperty("water_supply").GetString()).SingleOrDefault();
    }

    /// <summary>A bbox parameter around an outline.</summary>
    public static string Bbox(NetTopologySuite.Geometries.Geometry outline)
    {
        ArgumentNullException.ThrowIfNull(outline);
        var e = outline.EnvelopeInternal;
        return string.Join(",", new[] { e.MinX, e.MinY, e.MaxX, e.MaxY }.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The ids of the OGC items at a datetime within a bbox.</summary>
    public static async Task<List<long>> OgcIdsAsync(HttpClient client, string datetime, string bbox)
    {
        using var response = await client.GetAsync(new Uri($"/ogc/collections/settlements/items?f=json&limit=1000&bbox={bbox}&datetime={Uri.EscapeDataString(datetime)}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64())];
    }
}
