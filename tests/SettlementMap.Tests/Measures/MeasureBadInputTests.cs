using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Measures;

/// <summary>Hostile and mistaken input to plans and measures: a 4xx problem naming the field, never a 500, nothing written.</summary>
public sealed class MeasureBadInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static Dictionary<string, object?> With(Dictionary<string, object?> body, string name, object? value)
    {
        body[name] = value;
        return body;
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        // member, JSON value, the field the problem names
        { "title_latn", JsonSerializer.Serialize(new string('a', 301)), "title_latn" },
        { "title_en", "\"bad\\u0000text\"", "title_en" },
        { "title_en", "\"\\u202Eevil\"", "title_en" },
        { "title_latn", "42", "title_latn" },
        { "budget", """{"currency": "RSD", "amount": -1}""", "budget.amount" },
        { "budget", """{"currency": "RSD", "amount": 1e30}""", "budget.amount" },
        { "budget", """{"currency": "RSD", "amount": 100000000000.01}""", "budget.amount" },
        { "budget", """{"currency": "RSD", "spent": 1.001}""", "budget.spent" },
        { "budget", """{"amount": 5}""", "budget.currency" },
        { "budget", """{"currency": "USD", "amount": 5}""", "budget.currency" },
        { "budget", """{"currency": "RSD", "extra": 5}""", "budget.extra" },
        { "budget", "[1, 2]", "budget" },
        { "target_attribute", "\"water_supplies\"", "target_attribute" },
        { "target_attribute", "\"area_m2\"", "target_attribute" },
        { "target_attribute", "\"name_latn\"", "target_attribute" },
        { "target_value", "\"lake\"", "target_value" },
        { "target_value", "[[[[[[[[\"deep\"]]]]]]]]", "target_value" },
        { "priority_area", "\"roads\"", "priority_area" },
        { "status", "\"finished\"", "status" },
        { "done_on", "\"2026-13-01\"", "done_on" },
        { "started_on", "\"2999-01-01\"", "started_on" },
        { "funding_source", "\"donor\"", "donor_name" },
        { "programme_code", "\"no_such_programme\"", "programme_code" },
        { "donor_name", "\"A donor\"", "donor_name" },
        { "settlement_codes", "\"NIS-001\"", "settlement_codes" },
        { "settlement_codes", "[\"NO-SUCH-CODE\"]", "settlement_codes" },
        { "settlement_codes", JsonSerializer.Serialize(Enumerable.Range(0, 51).Select(i => $"X-{i}")), "settlement_codes" },
        { "indicators", """[{"name": "x", "target": "many"}]""", "indicators[0].target" },
        { "indicators", """[{"unit": "x"}]""", "indicators[0].name" },
        { "indicators", """[{"name": {"a": {"b": {"c": {"d": {"e": 1}}}}}}]""", "indicators[0].name" },
        { "indicators", JsonSerializer.Serialize(Enumerable.Range(0, 21).Select(i => new { name = $"i{i}" })), "indicators" },
        { "action_plan_id", "999999", "action_plan_id" },
        { "action_plan_id", "\"1; DROP TABLE measures\"", "action_plan_id" },
        { "id", "5", "id" },
        { "colour", "\"red\"", "colour" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_value_is_refused_naming_its_field_and_nothing_is_written(string member, string json, string field)
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var body = WaterMeasure(await PlanOfAsync(app, "nis"), []);
        body[member] = JsonSerializer.Deserialize<JsonElement>(json);
        if (member == "donor_name")
        {
            body["funding_source"] = "programme";
        }
        var before = await CountAsync();
        var answer = await CreateMeasureAsync(coordinator, body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(field, answer.Fields);
        Assert.True(answer.Body.GetProperty("error_codes").TryGetProperty(field, out _) || field == "id" || answer.Body.TryGetProperty("rules", out _));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_new_measure_without_a_title_is_refused_once_at_the_latin_title()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var body = WaterMeasure(await PlanOfAsync(app, "nis"), []);
        (body["title_latn"], body["title_cyrl"]) = (null, null); // as a form sends its empty fields
        var answer = await CreateMeasureAsync(coordinator, body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Single(answer.Body.GetProperty("errors").GetProperty("title_latn").EnumerateArray());
        Assert.Single(answer.Body.GetProperty("error_codes").GetProperty("title_latn").EnumerateArray());
    }

    [Fact]
    public async Task Json_deeper_than_the_reader_allows_or_too_large_is_a_4xx_not_a_500()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var deep = new StringBuilder("{\"title_latn\":");
        deep.Append(string.Concat(Enumerable.Repeat("[", 200))).Append(string.Concat(Enumerable.Repeat("]", 200))).Append('}');
        var answer = await RequestAsync(coordinator, HttpMethod.Post, "/api/measures", deep.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var large = JsonSerializer.Serialize(With(WaterMeasure(await PlanOfAsync(app, "nis"), []), "title_en", new string('x', 70_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await RequestAsync(coordinator, HttpMethod.Post, "/api/measures", large)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await RequestAsync(coordinator, HttpMethod.Post, "/api/measures", "[1]")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await RequestAsync(coordinator, HttpMethod.Post, "/api/measures", "{\"title_latn\": ")).Status);
    }

    public static TheoryData<string, string> RefusedLinks => new()
    {
        { "javascript:alert(1)", "document_url" },
        { "JAVASCRIPT://example.org/%0aalert(1)", "document_url" },
        { "data:text/html,<script>alert(1)</script>", "document_url" },
        { "ftp://example.org/plan.pdf", "document_url" },
        { "//example.org/plan.pdf", "document_url" },
        { "https://example.org/" + new string('a', 2000), "document_url" },
        { "https://exa mple.org/plan.pdf", "document_url" },
    };

    [Theory]
    [MemberData(nameof(RefusedLinks))]
    public async Task A_plan_s_document_link_is_http_or_https_only(string link, string field)
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var answer = await RequestAsync(coordinator, HttpMethod.Post, "/api/action-plans",
            new { municipality_code = "nis", title_latn = "Plan", period_start = "2025-01-01", period_end = "2029-12-31", document_url = link });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([field], answer.Fields);
    }

    [Fact]
    public async Task A_plan_s_period_ends_after_it_starts_and_names_and_days_are_bounded()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var reversed = await RequestAsync(coordinator, HttpMethod.Post, "/api/action-plans",
            new { municipality_code = "nis", title_latn = "Plan", period_start = "2025-01-01", period_end = "2024-12-31" });
        Assert.Equal(["period_end"], reversed.Fields);
        var far = await RequestAsync(coordinator, HttpMethod.Post, "/api/action-plans",
            new { municipality_code = "nis", title_latn = "Plan", period_start = "0001-01-01", period_end = "9999-12-31" });
        Assert.Equal(["period_end", "period_start"], far.Fields.Order(StringComparer.Ordinal));
        var unknown = await RequestAsync(coordinator, HttpMethod.Post, "/api/action-plans",
            new { municipality_code = "atlantis", title_latn = "Plan", period_start = "2025-01-01", period_end = "2029-12-31" });
        Assert.Equal(["municipality_code"], unknown.Fields);
    }

    [Fact]
    public async Task Status_days_follow_the_status_and_their_order()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var plan = await PlanOfAsync(app, "nis");
        var planned = With(WaterMeasure(plan, []), "done_on", "2025-01-01");
        Assert.Equal(["done_on"], (await CreateMeasureAsync(coordinator, planned)).Fields);
        var reversed = With(With(With(WaterMeasure(plan, []), "status", "done"), "started_on", "2025-05-01"), "done_on", "2025-04-01");
        Assert.Equal(["done_on"], (await CreateMeasureAsync(coordinator, reversed)).Fields);
        var dropped = await CreateMeasureAsync(coordinator, With(With(WaterMeasure(plan, []), "status", "dropped"), "dropped_on", "2025-04-01"));
        Assert.Equal(HttpStatusCode.Created, dropped.Status);
        // Reopened: the dropped day goes; the audit keeps it.
        var reopened = await PatchMeasureAsync(coordinator, dropped.Id, new { status = "in_progress", started_on = "2025-06-01" }, dropped.ETag);
        Assert.Equal(HttpStatusCode.OK, reopened.Status);
        Assert.Equal(JsonValueKind.Null, reopened.Body.GetProperty("dropped_on").ValueKind);
        Assert.Equal("2025-06-01", reopened.Body.GetProperty("started_on").GetString());
        var moved = await PatchMeasureAsync(coordinator, dropped.Id, new { action_plan_id = plan + 1000 }, reopened.ETag);
        Assert.Equal(["action_plan_id"], moved.Fields);
    }

    [Fact]
    public async Task Bad_ids_and_query_parameters_are_400_naming_them()
    {
        using var client = app.Factory.CreateClient();
        Assert.Equal(["id"], (await ReadAsync(client, "/api/measures/abc")).Fields);
        Assert.Equal(["id"], (await ReadAsync(client, "/api/measures/99999999999999")).Fields);
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(client, "/api/measures/999999")).Status);
        Assert.Equal(["limit"], (await ReadAsync(client, "/api/measures?limit=100000")).Fields);
        Assert.Equal(["status"], (await ReadAsync(client, "/api/measures?status=finished")).Fields);
        Assert.Equal(["municipality"], (await ReadAsync(client, "/api/measures?municipality=atlantis")).Fields);
        Assert.Equal(["colour"], (await ReadAsync(client, "/api/measures?colour=red")).Fields);
        Assert.Equal(["offset"], (await ReadAsync(client, "/api/action-plans?offset=-1")).Fields);
    }

    private async Task<int> CountAsync()
    {
        await using var db = app.CreateContext();
        return await db.Measures.CountAsync();
    }
}
