using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.Coverage;

/// <summary>
/// Administrators create, replace and delete coverage records and add programmes; every change is
/// audited in coverage_changes (append-only); nobody else may write, and bad input writes nothing.
/// </summary>
public sealed class CoverageEditingTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string District = "RS.SE.20";
    private static readonly ChangeAction[] CreateUpdateDelete = [ChangeAction.Create, ChangeAction.Update, ChangeAction.Delete];
    private static readonly string[] OnlyDoljevac = ["doljevac"];

    private static Figure Plus(Figure f, int settlements, long population) => new(
        f.SettlementsCovered + settlements, f.SettlementsNotCovered - settlements, f.PopulationCovered + population, f.PopulationNotCovered - population,
        f.MunicipalitiesCovered + 1, f.MunicipalitiesNotCovered - 1);

    private async Task<(int Settlements, int Population)> SizeAsync(string municipality)
    {
        await using var db = app.CreateContext();
        var settlements = db.Settlements.Where(s => s.Municipality!.Code == municipality);
        return (await settlements.CountAsync(), await settlements.SumAsync(s => s.EstimatedInhabitants) ?? 0);
    }

    private async Task<(int Records, int Changes, int Programmes)> CountsAsync()
    {
        await using var db = app.CreateContext();
        return (await db.Coverage.CountAsync(), await db.CoverageChanges.CountAsync(), await db.Programmes.CountAsync());
    }

    /// <summary>A record written straight into the database (no audit row), for the refusals to leave alone.</summary>
    private async Task<CoverageRecord> InsertAsync(string municipality, CoverageKind kind)
    {
        await using var db = app.CreateContext();
        var record = new CoverageRecord
        {
            MunicipalityId = await db.Municipalities.Where(m => m.Code == municipality).Select(m => m.Id).SingleAsync(),
            Kind = kind, Count = 4, ValidFrom = new DateOnly(2021, 1, 1), Source = "inserted by the test",
        };
        db.Coverage.Add(record);
        await db.SaveChangesAsync();
        return record;
    }

    private async Task<CoverageRecord?> StoredAsync(long id)
    {
        await using var db = app.CreateContext();
        return await db.Coverage.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> WriteAsync(HttpClient client, HttpMethod method, string url, string? body)
    {
        using var response = await SendAsync(client, method, url, body);
        return (response.StatusCode, await BodyAsync(response));
    }

    /// <summary>
    /// Today's figures: they count today's settlements, those <see cref="SizeAsync"/> reads (the figures of a named day
    /// count the settlements of that day, which the demo data need not have had).
    /// </summary>
    private static Task<JsonElement> TodayFiguresAsync(HttpClient client) => GetOkAsync(client, "/api/coverage/figures");

    [Fact]
    public async Task An_administrator_creates_replaces_and_deletes_a_record_and_the_figures_and_audit_follow()
    {
        const string AsOf = "2024-06-01";
        using var reader = app.Factory.CreateClient();
        using var admin = await ClientAsync(app, Admin);
        var (settlements, population) = await SizeAsync("nis");
        Assert.True(settlements > 0 && population > 0);
        var start = await TodayFiguresAsync(reader);
        Assert.DoesNotContain("mobile_team", CoverageOf((await LayerAsync(reader, AsOf))["nis"]).Keys);

        // Create: Niš gets a mobile team from 2024-01-01.
        using var created = await SendAsync(admin, HttpMethod.Post, "/api/coverage", RecordJson("nis", "mobile_team", 2, "2024-01-01", null, "test: outreach list"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = await BodyAsync(created);
        var id = record.GetProperty("id").GetInt64();
        Assert.Equal(Invariant($"/api/coverage/{id}"), created.Headers.Location?.OriginalString);
        Assert.Equal("mobile_team", record.GetProperty("kind").GetString());
        Assert.Equal("2024-01-01", record.GetProperty("valid_from").GetString());
        var afterCreate = await TodayFiguresAsync(reader);
        Assert.Equal(Plus(FigureOf(start, "mobile_team", District), settlements, population), FigureOf(afterCreate, "mobile_team", District));
        Assert.Equal(Plus(FigureOf(start, "mobile_team"), settlements, population), FigureOf(afterCreate, "mobile_team"));
        Assert.Equal(2, CoverageOf((await LayerAsync(reader, AsOf))["nis"])["mobile_team"]);
        var listed = await GetOkAsync(reader, $"/api/coverage?municipality=nis&as_of={AsOf}");
        Assert.Contains(id, listed.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        // Replace: the record becomes an inter-ethnic council from 2024 to 2099 (active today, when the figures are read).
        var (replacedStatus, replaced) = await WriteAsync(admin, HttpMethod.Put, Invariant($"/api/coverage/{id}"),
            RecordJson("nis", "inter_ethnic_council", 1, "2024-01-01", "2099-12-31", "test: council minutes", note: "replaced"));
        Assert.Equal(HttpStatusCode.OK, replacedStatus);
        Assert.Equal(id, replaced.GetProperty("id").GetInt64());
        Assert.Equal("inter_ethnic_council", replaced.GetProperty("kind").GetString());
        var afterReplace = await TodayFiguresAsync(reader);
        Assert.Equal(FigureOf(start, "mobile_team", District), FigureOf(afterReplace, "mobile_team", District));
        Assert.Equal(Plus(FigureOf(start, "inter_ethnic_council", District), settlements, population), FigureOf(afterReplace, "inter_ethnic_council", District));

        // Delete: back to where it started.
        var (deletedStatus, _) = await WriteAsync(admin, HttpMethod.Delete, Invariant($"/api/coverage/{id}"), null);
        Assert.Equal(HttpStatusCode.NoContent, deletedStatus);
        Assert.Null(await StoredAsync(id));
        var afterDelete = await TodayFiguresAsync(reader);
        Assert.Equal(start.GetProperty("national").GetRawText(), afterDelete.GetProperty("national").GetRawText());
        Assert.Equal(start.GetProperty("districts").GetRawText(), afterDelete.GetProperty("districts").GetRawText());

        await using var db = app.CreateContext();
        var nisId = await db.Municipalities.Where(m => m.Code == "nis").Select(m => m.Id).SingleAsync();
        var rows = await db.CoverageChanges.AsNoTracking().Where(c => c.CoverageId == id).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(CreateUpdateDelete, rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal(Admin, r.ChangedBy));
        Assert.All(rows, r => Assert.Equal(nisId, r.MunicipalityId));
        Assert.All(rows, r => Assert.InRange(r.ChangedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Null(rows[0].Before);
        Assert.Equal("mobile_team", Parse(rows[0].After).GetProperty("kind").GetString());
        Assert.Equal("mobile_team", Parse(rows[1].Before).GetProperty("kind").GetString());
        Assert.Equal("inter_ethnic_council", Parse(rows[1].After).GetProperty("kind").GetString());
        Assert.Equal("2099-12-31", Parse(rows[1].After).GetProperty("valid_to").GetString());
        Assert.Equal("inter_ethnic_council", Parse(rows[2].Before).GetProperty("kind").GetString());
        Assert.Null(rows[2].After);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "anonymous", "POST /api/coverage" }, { "coordinator", "POST /api/coverage" },
        { "anonymous", "PUT /api/coverage/{id}" }, { "coordinator", "PUT /api/coverage/{id}" },
        { "anonymous", "DELETE /api/coverage/{id}" }, { "coordinator", "DELETE /api/coverage/{id}" },
        { "anonymous", "POST /api/programmes" }, { "coordinator", "POST /api/programmes" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Only_administrators_write_anonymous_gets_401_and_a_coordinator_403_with_nothing_written(string role, string endpoint)
    {
        // coord-nis may edit Niš's settlements, but not its coverage.
        var record = await InsertAsync("nis", CoverageKind.HealthMediator);
        var counts = await CountsAsync();
        using var client = await ClientAsync(app, UserFor(role));
        var parts = endpoint.Split(' ');
        var body = parts[1] == "/api/programmes"
            ? """{"code": "refused_programme", "name_en": "Refused"}"""
            : RecordJson("nis", "coordinator", 9, "2020-01-01", null);
        using var response = await SendAsync(client, new HttpMethod(parts[0]), parts[1].Replace("{id}", Invariant($"{record.Id}"), StringComparison.Ordinal),
            parts[0] == "DELETE" ? null : body);

        Assert.Equal(role == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(counts, await CountsAsync());
        var stored = (await StoredAsync(record.Id))!;
        Assert.Equal((CoverageKind.HealthMediator, 4, "inserted by the test"), (stored.Kind, stored.Count!.Value, stored.Source));
    }

    public static TheoryData<string, string> InvalidRecords => new()
    {
        { RecordJson("atlantis", "coordinator", 1, null, null), "municipality_code" },
        { RecordJson(null, "coordinator", 1, null, null), "municipality_code" },
        { RecordJson("nis", "wizard", 1, null, null), "kind" },
        { RecordJson("nis", "Coordinator", 1, null, null), "kind" },
        { RecordJson("nis", "programme", null, null, null), "programme_code" },
        { RecordJson("nis", "programme", null, null, null, programmeCode: "no_such_programme"), "programme_code" },
        { RecordJson("nis", "coordinator", 1, null, null, programmeCode: "romacted"), "programme_code" },
        { RecordJson("nis", "coordinator", 1, "2024-05-01", "2024-04-30"), "valid_to" },
        { RecordJson("nis", "coordinator", -1, null, null), "count" },
        { RecordJson("nis", "coordinator", 10_001, null, null), "count" },
        { RecordJson("nis", "coordinator", 1, "2024-02-30", null), "valid_from" },
        { RecordJson("nis", "coordinator", 1, null, null, source: null), "source" },
        { RecordJson("nis", "coordinator", 1, null, null, source: "   "), "source" },
        { """{"municipality_code": "nis", "kind": "coordinator", "source": "test", "colour": "red"}""", "colour" },
        { """{"municipality_code": "nis", "kind": "coordinator", "source": "test", "count": "three"}""", "count" },
    };

    [Theory]
    [MemberData(nameof(InvalidRecords))]
    public async Task Invalid_input_is_a_400_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var record = await InsertAsync("nis", CoverageKind.PedagogicalAssistant);
        var counts = await CountsAsync();
        using var admin = await ClientAsync(app, Admin);

        var (status, problem) = await WriteAsync(admin, HttpMethod.Post, "/api/coverage", body);
        AssertBadRequestNaming(status, problem, field);
        (status, problem) = await WriteAsync(admin, HttpMethod.Put, Invariant($"/api/coverage/{record.Id}"), body);
        AssertBadRequestNaming(status, problem, field);

        Assert.Equal(counts, await CountsAsync());
        var stored = (await StoredAsync(record.Id))!;
        Assert.Equal((CoverageKind.PedagogicalAssistant, 4, new DateOnly(2021, 1, 1), (DateOnly?)null, "inserted by the test"),
            (stored.Kind, stored.Count!.Value, stored.ValidFrom!.Value, stored.ValidTo, stored.Source));
    }

    [Fact]
    public async Task Replacing_or_deleting_an_unknown_record_is_a_404()
    {
        using var admin = await ClientAsync(app, Admin);
        var counts = await CountsAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await WriteAsync(admin, HttpMethod.Put, "/api/coverage/999999999", RecordJson("nis", "coordinator", 1, null, null))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await WriteAsync(admin, HttpMethod.Delete, "/api/coverage/999999999", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await WriteAsync(admin, HttpMethod.Delete, "/api/coverage/abc", null)).Status);
        Assert.Equal(counts, await CountsAsync());
    }

    [Theory]
    [InlineData("UPDATE coverage_changes SET changed_by = 'someone else'")]
    [InlineData("DELETE FROM coverage_changes")]
    [InlineData("TRUNCATE coverage_changes")]
    public async Task Coverage_changes_refuses_update_delete_and_truncate(string sql)
    {
        using var admin = await ClientAsync(app, Admin);
        using var created = await SendAsync(admin, HttpMethod.Post, "/api/coverage", RecordJson("svrljig", "local_action_plan", null, "2022-01-01", "2026-12-31"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var before = await Sql.ColumnAsync(app.ConnectionString, "SELECT id || ' ' || action || ' ' || changed_by FROM coverage_changes ORDER BY id");
        Assert.NotEmpty(before);

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);

        Assert.Equal(before, await Sql.ColumnAsync(app.ConnectionString, "SELECT id || ' ' || action || ' ' || changed_by FROM coverage_changes ORDER BY id"));
    }

    [Fact]
    public async Task A_new_programme_and_its_membership_appear_as_a_programme_kind_in_the_figures_and_the_layer()
    {
        using var reader = app.Factory.CreateClient();
        using var admin = await ClientAsync(app, Admin);
        var (settlements, population) = await SizeAsync("doljevac");
        Assert.True(settlements > 0);

        var (status, programme) = await WriteAsync(admin, HttpMethod.Post, "/api/programmes",
            """{"code": "test_outreach", "name_en": "Test outreach", "funders": "Test fund", "started_on": "2024-01-01"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("programme:test_outreach", programme.GetProperty("key").GetString());
        var (duplicateStatus, duplicate) = await WriteAsync(admin, HttpMethod.Post, "/api/programmes", """{"code": "test_outreach", "name_en": "Again"}""");
        AssertBadRequestNaming(duplicateStatus, duplicate, "code");

        // Known as a kind at once, covering nobody yet.
        var before = await TodayFiguresAsync(reader);
        Assert.Contains("programme:test_outreach", before.GetProperty("kinds").EnumerateArray().Select(k => k.GetProperty("key").GetString()));
        Assert.Equal(0, FigureOf(before, "programme:test_outreach").MunicipalitiesCovered);

        var (memberStatus, member) = await WriteAsync(admin, HttpMethod.Post, "/api/coverage",
            RecordJson("doljevac", "programme", null, "2024-01-01", null, "test: programme report", programmeCode: "test_outreach"));
        Assert.Equal(HttpStatusCode.Created, memberStatus);
        Assert.Equal("test_outreach", member.GetProperty("programme_code").GetString());

        var layer = await LayerAsync(reader, "2024-06-01");
        var doljevac = CoverageOf(layer["doljevac"]);
        Assert.True(doljevac.ContainsKey("programme:test_outreach"));
        Assert.Null(doljevac["programme:test_outreach"]);
        Assert.Equal(OnlyDoljevac, layer.Where(m => CoverageOf(m.Value).ContainsKey("programme:test_outreach")).Select(m => m.Key));
        Assert.DoesNotContain("programme:test_outreach", CoverageOf((await LayerAsync(reader, "2023-12-31"))["doljevac"]).Keys);
        Assert.Equal(Plus(FigureOf(before, "programme:test_outreach", District), settlements, population),
            FigureOf(await TodayFiguresAsync(reader), "programme:test_outreach", District));
    }
}
