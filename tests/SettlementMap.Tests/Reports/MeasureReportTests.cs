using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Reports;

/// <summary>
/// GET /api/reports/measures: its counts equal direct SQL over the measures for a municipality, a district and Serbia; a done
/// measure's outcome follows a settlement changed through the API afterwards; the gap is the map's unplanned filter and drops
/// when a measure is planned; amounts only for viewers who may see budgets; CSV with the page's headers and formulas kept as text.
/// </summary>
public sealed class MeasureReportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] WithoutNetwork = ["wells", "none"];

    private static readonly string Today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> ReportAsync(HttpClient client, string query)
    {
        var answer = await ReadAsync(client, "/api/reports/measures" + (query.Length > 0 ? "?" + query : ""));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body;
    }

    private async Task<List<(string Area, string Status, int Count)>> DirectCountsAsync(string where)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT m.priority_area, m.status, count(*)::int FROM measures m JOIN action_plans p ON p.id = m.action_plan_id " +
            "JOIN municipalities mu ON mu.id = p.municipality_id JOIN districts d ON d.id = mu.district_id " +
            $"WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2", connection);
        var rows = new List<(string, string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
        return rows;
    }

    private static List<(string Area, string Status, int Count)> Counts(JsonElement counts) =>
        [.. counts.EnumerateArray().Select(c => (c.GetProperty("priority_area").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("count").GetInt32()))
            .OrderBy(c => c.Item1, StringComparer.Ordinal).ThenBy(c => c.Item2, StringComparer.Ordinal)];

    [Theory]
    [InlineData("municipality=nis", "mu.code = 'nis'", "municipality")]
    [InlineData("district=RS.SE.20", "d.code = 'RS.SE.20'", "district")]
    [InlineData("", "TRUE", "serbia")]
    public async Task Counts_by_area_and_status_equal_the_measures_table(string query, string where, string kind)
    {
        using var client = app.Factory.CreateClient();
        var report = await ReportAsync(client, query);
        Assert.Equal(kind, report.GetProperty("area").GetProperty("kind").GetString());
        var expected = await DirectCountsAsync(where);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Counts(report.GetProperty("by_status")));
        Assert.Equal(expected.Sum(c => c.Count), report.GetProperty("measures").GetInt32());
        if (kind == "serbia")
        {
            await using var db = app.CreateContext();
            Assert.Equal(await db.Measures.CountAsync(), report.GetProperty("measures").GetInt32());
        }
        // The last quarter is counted on the report's day: the same as now.
        var overTime = report.GetProperty("over_time").EnumerateArray().ToList();
        Assert.True(overTime.Count > 4, $"{overTime.Count} quarters");
        Assert.Equal(Today, overTime[^1].GetProperty("day").GetString());
        Assert.Equal(expected, Counts(overTime[^1].GetProperty("counts")));
    }

    [Fact]
    public async Task A_past_quarter_counts_each_measure_by_its_status_days()
    {
        using var client = app.Factory.CreateClient();
        var report = await ReportAsync(client, "district=RS.SE.20");
        var quarters = report.GetProperty("over_time").EnumerateArray().ToList();
        var quarter = quarters[quarters.Count / 2];
        var day = DateOnly.Parse(quarter.GetProperty("day").GetString()!, CultureInfo.InvariantCulture);
        await using var db = app.CreateContext();
        var measures = await db.Measures.Where(m => m.ActionPlan!.Municipality!.District!.Code == "RS.SE.20")
            .Select(m => new { m.PriorityArea, m.CreatedAt, m.StartedOn, m.DoneOn, m.DroppedOn }).ToListAsync();
        string? StatusOn(DateOnly? started, DateOnly? done, DateOnly? dropped, DateTimeOffset created) =>
            dropped <= day ? "dropped" : done <= day ? "done" : started <= day ? "in_progress" : DateOnly.FromDateTime(created.UtcDateTime) <= day ? "planned" : null;
        var expected = measures.Select(m => (Area: EnumText.ToText(m.PriorityArea), Status: StatusOn(m.StartedOn, m.DoneOn, m.DroppedOn, m.CreatedAt)))
            .Where(m => m.Status is not null).GroupBy(m => m)
            .Select(g => (g.Key.Area, g.Key.Status!, g.Count())).OrderBy(c => c.Area, StringComparer.Ordinal).ThenBy(c => c.Item2, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Counts(quarter.GetProperty("counts")));
    }

    [Fact]
    public async Task Budgets_are_summed_by_area_and_currency_for_an_administrator_and_restricted_for_the_public()
    {
        using var anonymous = app.Factory.CreateClient();
        var signedOut = await ReportAsync(anonymous, "municipality=nis");
        Assert.True(signedOut.GetProperty("budgets").GetProperty("restricted").GetBoolean());
        Assert.Empty(signedOut.GetProperty("budgets").GetProperty("totals").EnumerateArray());
        Assert.NotEmpty(signedOut.GetProperty("by_status").EnumerateArray());
        Assert.DoesNotContain("\"planned\":", signedOut.GetRawText().Replace("\"status\":\"planned\"", "", StringComparison.Ordinal), StringComparison.Ordinal);

        using var admin = await ClientAsync(app, Admin);
        var report = await ReportAsync(admin, "");
        Assert.False(report.GetProperty("budgets").GetProperty("restricted").GetBoolean());
        await using var db = app.CreateContext();
        var measures = await db.Measures.Where(m => m.Currency != null).Select(m => new { m.PriorityArea, m.Currency, m.Status, m.BudgetAmount, m.SpentAmount }).ToListAsync();
        var expected = measures.GroupBy(m => (EnumText.ToText(m.PriorityArea), m.Currency!))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Where(m => m.Status != MeasureStatus.Dropped).Sum(m => m.BudgetAmount ?? 0), g.Sum(m => m.SpentAmount ?? 0)));
        var totals = report.GetProperty("budgets").GetProperty("totals").EnumerateArray()
            .ToDictionary(t => (t.GetProperty("priority_area").GetString()!, t.GetProperty("currency").GetString()!),
                t => (t.GetProperty("measures").GetInt32(), t.GetProperty("planned").GetDecimal(), t.GetProperty("spent").GetDecimal()));
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), totals.OrderBy(e => e.Key).ToList());
        Assert.Contains(totals.Keys, k => k.Item2 == "EUR");
        Assert.Contains(totals.Keys, k => k.Item2 == "RSD");
    }

    [Fact]
    public async Task A_settlement_changed_after_the_measure_was_done_reached_its_target_and_the_gap_shrinks_when_a_measure_is_planned()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        using var anonymous = app.Factory.CreateClient();
        long[] lacking;
        await using (var db = app.CreateContext())
        {
            // Two Niš settlements without a water network that no measure aims to connect.
            lacking = await db.Settlements.Where(s => s.Municipality!.Code == "nis" && (s.WaterSupply == WaterSupply.Wells || s.WaterSupply == WaterSupply.None)
                    && !db.Measures.Any(m => m.TargetAttribute == "water_supply" && m.Status != MeasureStatus.Dropped && m.Settlements.Any(x => x.Id == s.Id)))
                .OrderBy(s => s.Id).Select(s => s.Id).Take(2).ToArrayAsync();
        }
        Assert.Equal(2, lacking.Length);
        int Gap(JsonElement report) => report.GetProperty("gaps").EnumerateArray().Single(g => g.GetProperty("attribute").GetString() == "water_supply").GetProperty("settlements").GetInt32();
        var before = await ReportAsync(anonymous, "municipality=nis");
        var gap = before.GetProperty("gaps").EnumerateArray().Single(g => g.GetProperty("attribute").GetString() == "water_supply");
        Assert.Equal("network", gap.GetProperty("target").GetString());
        Assert.Equal("index.html#municipality=nis&unplanned=water_supply:network", gap.GetProperty("map_link").GetString());
        // The map's own filter counts the same settlements.
        var layer = await ReadAsync(anonymous, "/api/layers/settlements?municipality=nis&unplanned=water_supply:network");
        Assert.Equal(layer.Body.GetProperty("features").GetArrayLength(), Gap(before));

        var codes = new List<string>();
        await using (var db = app.CreateContext())
        {
            codes = await db.Settlements.Where(s => lacking.Contains(s.Id)).OrderBy(s => s.Id).Select(s => s.Code).ToListAsync();
        }
        var created = await CreateMeasureAsync(coordinator, WaterMeasure(await PlanOfAsync(app, "nis"), codes));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(Gap(before) - 2, Gap(await ReportAsync(anonymous, "municipality=nis")));

        var doneOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10);
        var done = await PatchMeasureAsync(coordinator, created.Id, new
        {
            status = "done",
            started_on = doneOn.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            done_on = doneOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, created.ETag);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        // The first settlement gets its network (today, after done_on); the second does not.
        var settlement = await GetAsync(coordinator, lacking[0]);
        using (var patched = await PatchAsync(coordinator, lacking[0], Properties("water_supply", "network"), settlement.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        using var admin = await ClientAsync(app, Admin);
        var report = await ReportAsync(admin, "municipality=nis");
        var outcomes = report.GetProperty("outcomes").EnumerateArray().Where(o => o.GetProperty("measure_id").GetInt64() == created.Id)
            .ToDictionary(o => o.GetProperty("settlement").GetProperty("id").GetInt64());
        Assert.Equal(lacking.Order(), outcomes.Keys.Order());
        var reached = outcomes[lacking[0]];
        Assert.Equal("reached", reached.GetProperty("outcome").GetString());
        Assert.Equal(Today, reached.GetProperty("reached_on").GetString());
        Assert.Contains(reached.GetProperty("value_at_done").GetString(), WithoutNetwork);
        Assert.Equal("network", reached.GetProperty("value_now").GetString());
        Assert.Equal(doneOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reached.GetProperty("done_on").GetString());
        var notReached = outcomes[lacking[1]];
        Assert.Equal("not_reached", notReached.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, notReached.GetProperty("reached_on").ValueKind);
        Assert.Equal(notReached.GetProperty("value_at_done").GetString(), notReached.GetProperty("value_now").GetString());

        // As of the day it was done, the settlement had not changed yet, and the measure was done that day.
        var then = await ReportAsync(admin, "municipality=nis&as_of=" + doneOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var past = then.GetProperty("outcomes").EnumerateArray().Single(o => o.GetProperty("measure_id").GetInt64() == created.Id && o.GetProperty("settlement").GetProperty("id").GetInt64() == lacking[0]);
        Assert.Equal("not_reached", past.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task An_outcome_or_a_gap_is_left_out_for_a_viewer_who_may_not_see_its_attribute()
    {
        // By default legal_status and electricity are for signed-in viewers, eviction_threat for administrators.
        string[] restricted = ["legal_status", "electricity", "eviction_threat"];
        using var anonymous = app.Factory.CreateClient();
        using var admin = await ClientAsync(app, Admin);
        var hidden = await ReportAsync(anonymous, "");
        var all = await ReportAsync(admin, "");
        static IEnumerable<string> Attributes(JsonElement report, string section) =>
            report.GetProperty(section).EnumerateArray().Select(o => o.GetProperty("attribute").GetString()!);
        Assert.Contains(Attributes(all, "outcomes"), restricted.Contains);
        Assert.DoesNotContain(Attributes(hidden, "outcomes"), restricted.Contains);
        Assert.Contains("water_supply", Attributes(hidden, "outcomes"));
        Assert.Equal(["water_supply", "sewerage", "electricity", "legal_status", "flood_zone", "hazard_nearby", "eviction_threat"], Attributes(all, "gaps"));
        Assert.DoesNotContain(Attributes(hidden, "gaps"), restricted.Contains);
    }

    [Fact]
    public async Task The_csv_has_the_pages_headers_and_keeps_a_formula_title_as_text()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var settlements = await SettlementsOfAsync(app, "nis", 1);
        var body = WaterMeasure(await PlanOfAsync(app, "nis"), settlements);
        body["title_latn"] = "=HYPERLINK(\"https://example.org\",\"x\")";
        body["title_en"] = "=HYPERLINK(\"https://example.org\",\"x\")";
        body["status"] = "done";
        body["started_on"] = "2025-01-10";
        body["done_on"] = "2025-02-10";
        var created = await CreateMeasureAsync(coordinator, body);
        Assert.Equal(HttpStatusCode.Created, created.Status);

        using var admin = await ClientAsync(app, Admin);
        using var response = await admin.GetAsync(new Uri("/api/reports/measures?municipality=nis&format=csv&lang=en", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split("\r\n");
        Assert.StartsWith("Measures,Niš,nis,", lines[0], StringComparison.Ordinal);
        Assert.Contains("Measures by priority area and status", lines);
        Assert.Contains("Priority area,Status,Measures", lines);
        Assert.Contains(lines, l => l.StartsWith("housing,done,", StringComparison.Ordinal));
        Assert.Contains("Budget planned and spent", lines);
        Assert.Contains("Priority area,Currency,Measures,Planned,Spent", lines);
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK(\"\"https://example.org\"\",\"\"x\"\")\",2025-02-10,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("\"=HYPERLINK", StringComparison.Ordinal) || l.StartsWith("=HYPERLINK", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(",index.html#municipality=nis&unplanned=water_supply:network", StringComparison.Ordinal));

        // The same by Accept, in Cyrillic; the public sees that budgets are restricted.
        using var anonymous = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/reports/measures?municipality=nis&lang=sr-Cyrl", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/csv");
        using var cyrillic = await anonymous.SendAsync(request);
        Assert.Equal("text/csv", cyrillic.Content.Headers.ContentType?.MediaType);
        var cyrillicText = await cyrillic.Content.ReadAsStringAsync();
        Assert.Contains("становање", cyrillicText, StringComparison.Ordinal);
        Assert.DoesNotContain("Planned,Spent", cyrillicText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("municipality=nis&district=RS.SE.20", "municipality")]
    [InlineData("municipality=nowhere", "municipality")]
    [InlineData("district=RS.XX.99", "district")]
    [InlineData("as_of=2026-02-30", "as_of")]
    [InlineData("as_of=9999-12-31", "as_of")]
    [InlineData("as_of=1900-01-01", "as_of")]
    [InlineData("format=xlsx", "format")]
    [InlineData("lang=de", "lang")]
    [InlineData("status=done", "status")]
    public async Task A_bad_parameter_is_a_problem_naming_it(string query, string field)
    {
        using var client = app.Factory.CreateClient();
        var answer = await ReadAsync(client, "/api/reports/measures?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([field], answer.Fields);
    }
}
