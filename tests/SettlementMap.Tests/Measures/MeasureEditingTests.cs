using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Measures;

/// <summary>
/// Coordinators add, change and delete the measures of their own municipalities, each change audited once in
/// measure_changes (append-only); a stale version is refused with the current one; another municipality's plans and
/// settlements are refused; cookie writes need the antiforgery token.
/// </summary>
public sealed class MeasureEditingTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_coordinator_creates_starts_finishes_and_deletes_a_measure_with_one_audit_row_per_change()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var plan = await PlanOfAsync(app, "nis");
        var settlements = await SettlementsOfAsync(app, "nis", 2);

        var created = await CreateMeasureAsync(coordinator, WaterMeasure(plan, settlements));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Id;
        Assert.Equal("planned", created.Body.GetProperty("status").GetString());
        Assert.Equal(settlements, created.Body.GetProperty("settlement_codes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("Проширење водоводне мреже", created.Body.GetProperty("title_cyrl").GetString());
        Assert.Equal(12_500_000.5m, created.Body.GetProperty("budget").GetProperty("amount").GetDecimal());
        Assert.Equal("romacted", created.Body.GetProperty("programme_code").GetString());
        Assert.Equal($"\"{created.Body.GetProperty("version").GetString()}\"", created.ETag);
        Assert.Equal(1, await ChangeCountAsync(app, id));

        var started = await PatchMeasureAsync(coordinator, id, new { status = "in_progress" }, created.ETag);
        Assert.Equal(HttpStatusCode.OK, started.Status);
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), started.Body.GetProperty("started_on").GetString());
        Assert.NotEqual(created.ETag, started.ETag);
        Assert.Equal(2, await ChangeCountAsync(app, id));

        // The same values again change nothing and write no audit row.
        var same = await PatchMeasureAsync(coordinator, id, new { status = "in_progress", title_latn = "Proširenje vodovodne mreže" }, started.ETag);
        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal(started.ETag, same.ETag);
        Assert.Equal(2, await ChangeCountAsync(app, id));

        var done = await PatchMeasureAsync(coordinator, id, new
        {
            status = "done",
            budget = new { currency = "RSD", amount = 12_500_000.5m, spent = 11_000_000 },
            indicators = new[] { new { name = "Priključena domaćinstva", unit = "domaćinstva", target = 40, achieved = 38 } },
        }, started.ETag);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("done", done.Body.GetProperty("status").GetString());
        Assert.Equal(38, done.Body.GetProperty("indicators")[0].GetProperty("achieved").GetDecimal());
        Assert.Equal(3, await ChangeCountAsync(app, id));

        var history = await ReadAsync(coordinator, $"/api/measures/{id}/history");
        Assert.Equal(["update", "update", "create"], history.Body.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var last = history.Body[0].GetProperty("changes");
        Assert.Equal("in_progress", last.GetProperty("status").GetProperty("old").GetString());
        Assert.Equal("done", last.GetProperty("status").GetProperty("new").GetString());
        Assert.True(last.TryGetProperty("budget", out _));
        Assert.False(last.TryGetProperty("title_latn", out _));

        var deleted = await DeleteMeasureAsync(coordinator, id, done.ETag);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(coordinator, $"/api/measures/{id}")).Status);
        Assert.Equal(4, await ChangeCountAsync(app, id));
        await using var db = app.CreateContext();
        Assert.False(await db.MeasureIndicators.AnyAsync(i => i.MeasureId == id));
    }

    [Fact]
    public async Task A_stale_version_is_refused_with_412_and_the_current_measure_and_a_missing_one_with_428()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var created = await CreateMeasureAsync(coordinator, WaterMeasure(await PlanOfAsync(app, "nis"), []));
        var changed = await PatchMeasureAsync(coordinator, created.Id, new { responsible_body = "Centar za socijalni rad" }, created.ETag);
        Assert.Equal(HttpStatusCode.OK, changed.Status);

        var stale = await PatchMeasureAsync(coordinator, created.Id, new { responsible_body = "Someone else" }, created.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(changed.ETag, stale.ETag);
        Assert.Equal("Centar za socijalni rad", stale.Body.GetProperty("current").GetProperty("responsible_body").GetString());
        Assert.Equal("stale", stale.Body.GetProperty("error_code").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await DeleteMeasureAsync(coordinator, created.Id, created.ETag)).Status);
        Assert.Equal((HttpStatusCode)428, (await PatchMeasureAsync(coordinator, created.Id, new { responsible_body = "x" }, null)).Status);
        Assert.Equal(2, await ChangeCountAsync(app, created.Id));
    }

    [Fact]
    public async Task A_coordinator_is_refused_another_municipality_s_plan_and_measures_and_settlements_outside_the_plan()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        using var admin = await ClientAsync(app, Admin);
        var zvezdara = await PlanOfAsync(app, "zvezdara");
        var before = await CountAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await CreateMeasureAsync(coordinator, WaterMeasure(zvezdara, []))).Status);
        var theirs = await CreateMeasureAsync(admin, WaterMeasure(zvezdara, []));
        Assert.Equal(HttpStatusCode.Created, theirs.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchMeasureAsync(coordinator, theirs.Id, new { status = "in_progress" }, theirs.ETag)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteMeasureAsync(coordinator, theirs.Id, theirs.ETag)).Status);
        var plan = await RequestAsync(coordinator, HttpMethod.Post, "/api/action-plans",
            new { municipality_code = "zvezdara", title_latn = "Plan", period_start = "2025-01-01", period_end = "2029-12-31" });
        Assert.Equal(HttpStatusCode.Forbidden, plan.Status);

        // A settlement of Zvezdara in Niš's plan: refused, naming the field and the settlement.
        var elsewhere = (await SettlementsOfAsync(app, "zvezdara", 1))[0];
        var refused = await CreateMeasureAsync(coordinator, WaterMeasure(await PlanOfAsync(app, "nis"), [.. await SettlementsOfAsync(app, "nis", 1), elsewhere]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(["settlement_codes"], refused.Fields);
        Assert.Equal("settlement_outside_municipality", refused.Body.GetProperty("error_codes").GetProperty("settlement_codes")[0].GetProperty("code").GetString());
        Assert.Contains(elsewhere, refused.Body.GetProperty("errors").GetProperty("settlement_codes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task Anonymous_writes_are_refused_and_cookie_writes_need_the_antiforgery_token()
    {
        var body = WaterMeasure(await PlanOfAsync(app, "nis"), []);
        using var anonymous = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await CreateMeasureAsync(anonymous, body)).Status);

        using var browser = CookieClient(app);
        var token = await SignInWithCookieAsync(browser, CoordinatorNis, CoordinatorPassword);
        var before = await CountAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await RequestAsync(browser, HttpMethod.Post, "/api/measures", body)).Status);
        Assert.Equal(before, await CountAsync());
        var created = await RequestAsync(browser, HttpMethod.Post, "/api/measures", body, csrfToken: token);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await RequestAsync(browser, HttpMethod.Delete, $"/api/measures/{created.Id}", null, created.ETag)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await RequestAsync(browser, HttpMethod.Delete, $"/api/measures/{created.Id}", null, created.ETag, token)).Status);
    }

    [Fact]
    public async Task A_request_sent_again_with_its_idempotency_key_is_answered_not_applied_twice()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        coordinator.DefaultRequestHeaders.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var body = WaterMeasure(await PlanOfAsync(app, "nis"), []);
        var before = await CountAsync();
        var first = await CreateMeasureAsync(coordinator, body);
        var again = await CreateMeasureAsync(coordinator, body);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task The_measures_history_is_append_only_in_the_database()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "UPDATE measure_changes SET changed_by = 'x'", "DELETE FROM measure_changes", "TRUNCATE measure_changes" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Fact]
    public async Task An_administrator_creates_and_changes_a_plan_with_its_audit_and_etag()
    {
        using var admin = await ClientAsync(app, Admin);
        var created = await RequestAsync(admin, HttpMethod.Post, "/api/action-plans", new
        {
            municipality_code = "doljevac", title_latn = "Lokalni akcioni plan", period_start = "2025-01-01", period_end = "2029-12-31",
            adopted_on = "2024-12-20", document_url = "https://example.org/lap.pdf",
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Локални акциони план", created.Body.GetProperty("title_cyrl").GetString());
        var id = created.Body.GetProperty("id").GetInt32();
        var changed = await RequestAsync(admin, HttpMethod.Patch, $"/api/action-plans/{id}", new { period_end = "2030-12-31" }, created.ETag);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal("2030-12-31", changed.Body.GetProperty("period_end").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await RequestAsync(admin, HttpMethod.Patch, $"/api/action-plans/{id}", new { title_en = "x" }, created.ETag)).Status);
        await using var db = app.CreateContext();
        Assert.Equal([ChangeAction.Create, ChangeAction.Update],
            await db.MeasureChanges.Where(c => c.ActionPlanId == id && c.MeasureId == null).OrderBy(c => c.Id).Select(c => c.Action).ToListAsync());
        var listed = await ReadAsync(admin, "/api/action-plans?municipality=doljevac");
        Assert.Contains(id, listed.Body.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
    }

    private async Task<int> CountAsync()
    {
        await using var db = app.CreateContext();
        return await db.Measures.CountAsync();
    }
}
