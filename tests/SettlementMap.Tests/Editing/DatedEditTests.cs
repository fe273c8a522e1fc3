using System.Net;
using System.Text.Json;
using Npgsql;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// A change dated by its editor (valid_from beside properties, issue 23 item 2): the new version begins
/// then and the audit row keeps both times; a date in the future, before 1900 or before the settlement's
/// current version began is a 422 naming valid_from with its code; one not written as a date is a 400.
/// Without a date, the change is dated now, as before.
/// </summary>
public sealed class DatedEditTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>A new settlement in Niš whose history begins on <paramref name="validFrom"/>; its id and ETag.</summary>
    private async Task<(long Id, string ETag)> CreateAsync(HttpClient client, string validFrom)
    {
        var square = await Edits.SquareInsideAsync(app, "nis");
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["valid_from"] = validFrom,
            ["properties"] = new Dictionary<string, object?> { ["name_latn"] = "Datirano naselje", ["estimated_inhabitants"] = 50 },
            ["geometry"] = JsonSerializer.SerializeToElement(square, Web.Http.GeoJson.ApiOptions),
        });
        using var response = await Edits.CreateAsync(client, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await Edits.BodyAsync(response);
        return (json.GetProperty("id").GetInt64(), response.Headers.ETag!.Tag);
    }

    private static string Dated(int inhabitants, object? validFrom) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["valid_from"] = validFrom,
            ["properties"] = new Dictionary<string, object?> { ["estimated_inhabitants"] = inhabitants },
        });

    private async Task<List<(DateTimeOffset From, int? Inhabitants)>> VersionsAsync(long id)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT lower(valid), estimated_inhabitants FROM settlement_versions WHERE id = @id ORDER BY lower(valid)", connection);
        command.Parameters.AddWithValue("id", id);
        var versions = new List<(DateTimeOffset, int?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetInt32(1)));
        }
        return versions;
    }

    [Fact]
    public async Task A_dated_change_begins_its_version_then_and_the_audit_keeps_both_times()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var (id, etag) = await CreateAsync(admin, "2020-01-01");

        using var response = await Edits.PatchAsync(admin, id, Dated(70, "2022-05-01T10:30:00+02:00"), etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), (int?)50), (new DateTimeOffset(2022, 5, 1, 8, 30, 0, TimeSpan.Zero), 70)],
            await VersionsAsync(id));
        var changes = await Edits.ChangesAsync(app, id);
        var update = Assert.Single(changes, c => c.Action == Web.Data.ChangeAction.Update);
        Assert.Equal(new DateTimeOffset(2022, 5, 1, 8, 30, 0, TimeSpan.Zero), update.EffectiveAt);
        Assert.True(update.ChangedAt > DateTimeOffset.UtcNow.AddMinutes(-5), "written now");
        var history = await Edits.HistoryAsync(admin, id);
        Assert.Equal("2022-05-01T08:30:00+00:00", history[0].GetProperty("effective_at").GetString());
        Assert.Equal("2020-01-01T00:00:00+00:00", history[1].GetProperty("effective_at").GetString());
    }

    [Fact]
    public async Task Without_a_date_a_change_is_dated_now_as_before()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var (id, etag) = await CreateAsync(admin, "2020-01-01");

        using var response = await Edits.PatchAsync(admin, id, Edits.Properties("estimated_inhabitants", 60), etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var update = Assert.Single(await Edits.ChangesAsync(app, id), c => c.Action == Web.Data.ChangeAction.Update);
        Assert.Null(update.EffectiveAt);
        Assert.Equal(update.ChangedAt, (await VersionsAsync(id))[^1].From);
    }

    [Fact]
    public async Task A_change_dated_before_the_current_version_began_is_refused_saying_when_it_began()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var (id, etag) = await CreateAsync(admin, "2021-03-15");

        using var response = await Edits.PatchAsync(admin, id, Dated(80, "2019-01-01"), etag);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Edits.BodyAsync(response);
        var refusal = problem.GetProperty("error_codes").GetProperty("valid_from")[0];
        Assert.Equal("before_current_version", refusal.GetProperty("code").GetString());
        Assert.Equal("2021-03-15T00:00:00Z", refusal.GetProperty("params").GetProperty("since").GetString());
        Assert.Contains("2021-03-15", problem.GetProperty("errors").GetProperty("valid_from")[0].GetString(), StringComparison.Ordinal);
        Assert.Single(await VersionsAsync(id));
        Assert.Equal(50, (await Edits.RowAsync(app, id))!.EstimatedInhabitants);
    }

    [Theory]
    [InlineData("9999-12-31", "future_date")]
    [InlineData("0001-01-01", "change_too_early")]
    [InlineData("1899-12-31", "change_too_early")]
    public async Task A_date_out_of_bounds_is_a_422_naming_valid_from(string validFrom, string code)
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var (id, etag) = await CreateAsync(admin, "2020-01-01");

        using var response = await Edits.PatchAsync(admin, id, Dated(90, validFrom), etag);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Edits.BodyAsync(response);
        Assert.Equal(code, problem.GetProperty("error_codes").GetProperty("valid_from")[0].GetProperty("code").GetString());
        Assert.Equal(50, (await Edits.RowAsync(app, id))!.EstimatedInhabitants);
    }

    [Fact]
    public async Task An_instant_a_minute_ahead_is_the_future_and_a_new_settlement_cannot_be_dated_there_either()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var (id, etag) = await CreateAsync(admin, "2020-01-01");
        var ahead = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        using var response = await Edits.PatchAsync(admin, id, Dated(90, ahead), etag);
        using var create = await Edits.CreateAsync(admin, JsonSerializer.Serialize(new { type = "Feature", valid_from = ahead, properties = new { name_latn = "Buduće" } }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, create.StatusCode);
        Assert.Equal("future_date", (await Edits.BodyAsync(create)).GetProperty("error_codes").GetProperty("valid_from")[0].GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("\"2015-02-30\"")]
    [InlineData("\"2015-06-30T00:00:00\"")]
    [InlineData("\"30.06.2015\"")]
    [InlineData("\"\"")]
    [InlineData("20150630")]
    [InlineData("true")]
    [InlineData("{\"date\": \"2015-06-30\"}")]
    public async Task A_date_not_written_as_a_date_is_a_400_naming_valid_from(string validFromJson)
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var (id, etag) = await CreateAsync(admin, "2020-01-01");

        using var response = await Edits.PatchAsync(admin, id, "{\"valid_from\": " + validFromJson + ", \"properties\": {\"estimated_inhabitants\": 91}}", etag);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Edits.BodyAsync(response);
        Assert.Equal("not_change_instant", problem.GetProperty("error_codes").GetProperty("valid_from")[0].GetProperty("code").GetString());
        Assert.Equal(50, (await Edits.RowAsync(app, id))!.EstimatedInhabitants);
    }
}
