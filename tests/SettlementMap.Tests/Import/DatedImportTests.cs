using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Import;

namespace SettlementMap.Tests.Import;

/// <summary>
/// Dated surveys (issue 23, item 2): an import carries the day its data describes; a survey older than a
/// settlement's current version goes into its history (the current settlement, its ETag and its audit's
/// current state untouched) and surveys loaded in any order give the same history; the dry run says which
/// rows become current state and which history; the date is bounded and refused in the page's words.
/// </summary>
public sealed class DatedImportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly (string Day, int Inhabitants, string Water)[] Surveys =
        [("2016-06-30", 100, "бунари"), ("2019-06-30", 200, "nema"), ("2023-06-30", 300, "vodovod")];

    private static readonly (string Day, int Inhabitants, string Water)[] Expected =
        [("2016-06-30", 100, "wells"), ("2019-06-30", 200, "none"), ("2023-06-30", 300, "network")];

    private static string SurveyFile(string code, (double Lon, double Lat) spot, (string Day, int Inhabitants, string Water) survey) =>
        ImportSteps.FeatureCollection((ImportSteps.Square(spot.Lon, spot.Lat), new
        {
            sifra = code, naziv = "Anketna mahala", opstina = "Niš", vodosnabdevanje = survey.Water,
            broj_stanovnika = survey.Inhabitants.ToString(CultureInfo.InvariantCulture),
        }));

    private static async Task<ImportAnswer> LoadAsync(HttpClient client, string code, (double Lon, double Lat) spot, (string Day, int Inhabitants, string Water) survey)
    {
        var dryRun = await ImportSteps.UploadAsync(client, $"anketa-{survey.Day}.geojson", SurveyFile(code, spot, survey), "&describes=" + survey.Day);
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        var applied = await ImportSteps.ApplyAsync(client, dryRun.Id, skipBadRows: false);
        Assert.True(applied.Json.GetProperty("applied").GetBoolean(), applied.Json.ToString());
        return dryRun;
    }

    /// <summary>The settlement's versions, oldest first: start day (UTC), inhabitants, water supply, open.</summary>
    private async Task<List<(string From, int? Inhabitants, string? Water, bool Open)>> VersionsAsync(string code)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT to_char(lower(valid) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), estimated_inhabitants, water_supply, upper_inf(valid)
            FROM settlement_versions WHERE code = @code ORDER BY lower(valid)
            """, connection);
        command.Parameters.AddWithValue("code", code);
        var versions = new List<(string, int?, string?, bool)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3)));
        }
        return versions;
    }

    [Theory]
    [InlineData(2, 0, 1)]
    [InlineData(0, 1, 2)]
    [InlineData(1, 2, 0)]
    [InlineData(2, 1, 0)]
    public async Task Surveys_loaded_in_any_order_give_the_history_in_the_order_of_their_dates(int first, int second, int third)
    {
        var code = ImportSteps.Code($"SURV{first}{second}{third}", 1);
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        foreach (var index in new[] { first, second, third })
        {
            await LoadAsync(admin, code, spot, Surveys[index]);
        }

        var versions = await VersionsAsync(code);
        Assert.Equal(Expected.Select(e => (e.Day, (int?)e.Inhabitants, (string?)e.Water)), versions.Select(v => (v.From, v.Inhabitants, v.Water)));
        Assert.Equal([false, false, true], versions.Select(v => v.Open));
        await using var db = app.CreateContext();
        var current = await db.Settlements.SingleAsync(s => s.Code == code);
        Assert.Equal(300, current.EstimatedInhabitants);
        Assert.Equal(WaterSupply.Network, current.WaterSupply);
    }

    [Fact]
    public async Task An_older_survey_is_history_the_current_settlement_and_its_etag_stay_as_they_are_and_as_of_shows_it()
    {
        var code = ImportSteps.Code("SURVH", 1);
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        await LoadAsync(admin, code, spot, Surveys[2]);
        long id;
        await using (var db = app.CreateContext())
        {
            id = await db.Settlements.Where(s => s.Code == code).Select(s => s.Id).SingleAsync();
        }
        var before = await Edits.GetAsync(admin, id);
        var layerBefore = await LayerETagAsync(admin, "2017-01-01");
        var areasBefore = await EditAreaCountAsync();

        var dryRun = await ImportSteps.UploadAsync(admin, "anketa-2016.geojson", SurveyFile(code, spot, Surveys[0]), "&describes=2016-06-30");
        Assert.Equal("2016-06-30", dryRun.Json.GetProperty("describes").GetString());
        var placement = Assert.Single(dryRun.Json.GetProperty("placements").EnumerateArray());
        Assert.Equal("history", placement.GetProperty("becomes").GetString());
        Assert.Equal(1, placement.GetProperty("row").GetInt64());
        Assert.Equal(1, dryRun.Number("history"));
        Assert.Equal(0, dryRun.Number("updated"));
        Assert.Contains("1 to history", dryRun.Json.GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Single(await VersionsAsync(code)); // a dry run writes nothing
        var applied = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: false);
        Assert.True(applied.Json.GetProperty("applied").GetBoolean());

        var after = await Edits.GetAsync(admin, id);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(300, after.Properties.GetProperty("estimated_inhabitants").GetInt32());
        Assert.NotEqual(layerBefore, await LayerETagAsync(admin, "2017-01-01"));
        Assert.True(await EditAreaCountAsync() > areasBefore, "the history insertion logs its edit area for the as-of tiles");
        Assert.Equal(100, await InhabitantsAsOfAsync(code, "2017-01-01"));
        Assert.Equal(300, await InhabitantsAsOfAsync(code, "2024-01-01"));
        Assert.Null(await InhabitantsAsOfAsync(code, "2016-06-29"));

        // The audit tells the two times apart: written now, in effect on the survey's day.
        var changes = await Edits.ChangesAsync(app, id);
        var history = Assert.Single(changes, c => c.EffectiveAt == new DateTimeOffset(2016, 6, 30, 0, 0, 0, TimeSpan.Zero));
        Assert.True(history.ChangedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Contains("into history as of 2016-06-30", history.Note, StringComparison.Ordinal);
        var entries = await Edits.HistoryAsync(admin, id);
        Assert.Equal(history.Id, entries[^1].GetProperty("id").GetInt64()); // the oldest in effect comes last
        Assert.Equal("2016-06-30T00:00:00+00:00", entries[^1].GetProperty("effective_at").GetString());
        Assert.NotEqual(entries[^1].GetProperty("changed_at").GetString(), entries[^1].GetProperty("effective_at").GetString());
    }

    [Fact]
    public async Task A_newer_survey_updates_the_current_state_dated_on_its_day()
    {
        var code = ImportSteps.Code("SURVN", 1);
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        await LoadAsync(admin, code, spot, Surveys[0]);

        var dryRun = await LoadAsync(admin, code, spot, Surveys[1]);

        Assert.Equal("current", Assert.Single(dryRun.Json.GetProperty("placements").EnumerateArray()).GetProperty("becomes").GetString());
        Assert.Equal(1, dryRun.Number("updated"));
        var versions = await VersionsAsync(code);
        Assert.Equal(["2016-06-30", "2019-06-30"], versions.Select(v => v.From));
        await using var db = app.CreateContext();
        var current = await db.Settlements.SingleAsync(s => s.Code == code);
        Assert.Equal(200, current.EstimatedInhabitants);
        var update = Assert.Single(await Edits.ChangesAsync(app, current.Id), c => c.Action == ChangeAction.Update);
        Assert.Equal(new DateTimeOffset(2019, 6, 30, 0, 0, 0, TimeSpan.Zero), update.EffectiveAt);
    }

    [Fact]
    public async Task An_undated_import_lists_no_placements_and_its_changes_take_effect_when_written()
    {
        var code = ImportSteps.Code("SURVU", 1);
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var dryRun = await ImportSteps.UploadAsync(admin, "anketa.geojson", SurveyFile(code, spot, Surveys[0]));
        Assert.Equal(JsonValueKind.Null, dryRun.Json.GetProperty("describes").ValueKind);
        Assert.Empty(dryRun.Json.GetProperty("placements").EnumerateArray());
        await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: false);
        await using var db = app.CreateContext();
        var id = await db.Settlements.Where(s => s.Code == code).Select(s => s.Id).SingleAsync();
        Assert.Null(Assert.Single(await Edits.ChangesAsync(app, id)).EffectiveAt);
    }

    [Theory]
    [InlineData("0001-01-01", "change_too_early")]
    [InlineData("1899-12-31", "change_too_early")]
    [InlineData("9999-12-31", "future_date")]
    [InlineData("2015-02-30", "not_date")]
    [InlineData("2015-06-30T00:00:00", "not_date")]
    [InlineData("2015-06-30T00:00:00Z", "not_date")]
    [InlineData("30.06.2015", "not_date")]
    [InlineData("tomorrow", "not_date")]
    public async Task A_bad_date_is_refused_naming_describes_with_its_code(string describes, string code)
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var answer = await ImportSteps.UploadAsync(admin, "x.geojson", ImportSteps.FeatureCollection(), "&describes=" + Uri.EscapeDataString(describes));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.True(answer.Json.GetProperty("errors").TryGetProperty("describes", out _));
        Assert.Equal(code, answer.Json.GetProperty("error_codes").GetProperty("describes")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Tomorrow_is_the_future_and_today_is_accepted()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var tomorrow = await ImportSteps.UploadAsync(admin, "x.geojson", ImportSteps.FeatureCollection(), "&describes=" + today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        var todays = await ImportSteps.UploadAsync(admin, "x.geojson", SurveyFile("SURVT-001", spot, Surveys[0]), "&describes=" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.BadRequest, tomorrow.Status);
        Assert.Equal("future_date", tomorrow.Json.GetProperty("error_codes").GetProperty("describes")[0].GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, todays.Status);
        Assert.Equal("current", Assert.Single(todays.Json.GetProperty("placements").EnumerateArray()).GetProperty("becomes").GetString());
    }

    /// <summary>The command line reads its options through the same parser (ImportCommand passes --describes as describes).</summary>
    [Fact]
    public async Task The_command_line_option_reads_as_the_api_s_and_its_usage_names_it()
    {
        Assert.Contains("--describes", ImportCommand.Usage, StringComparison.Ordinal);
        await using var db = app.CreateContext();
        var fixedNow = new FixedClock(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));

        var (good, goodErrors) = await ImportApi.ReadOptionsAsync(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["describes"] = "2015-06-30" }), db, fixedNow, default);
        var (_, future) = await ImportApi.ReadOptionsAsync(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["describes"] = "2027-03-02" }), db, fixedNow, default);

        Assert.Equal(0, goodErrors.Count);
        Assert.Equal(new DateOnly(2015, 6, 30), good!.Describes);
        Assert.Contains("describes", future.Messages.Keys);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static async Task<string?> LayerETagAsync(HttpClient client, string asOf)
    {
        using var response = await client.GetAsync(new Uri($"/api/layers/settlements?as_of={asOf}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag?.Tag;
    }

    private async Task<long> EditAreaCountAsync() => await ScalarAsync<long>("SELECT count(*) FROM settlement_edit_areas");

    private async Task<int?> InhabitantsAsOfAsync(string code, string day)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        // as_of a date: the state at the end of that day, as the API reads it.
        await using var command = new NpgsqlCommand("SELECT estimated_inhabitants FROM settlements_as_of(((@day::date + 1)::timestamp AT TIME ZONE 'UTC') - interval '1 microsecond') WHERE code = @code", connection);
        command.Parameters.AddWithValue("day", DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("code", code);
        return await command.ExecuteScalarAsync() is int n ? n : null;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
