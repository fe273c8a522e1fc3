using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Measures;

/// <summary>The demo's synthetic plans and measures: every view has something to show on a fresh clone.</summary>
public sealed class DemoMeasuresTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Every_programme_municipality_has_a_plan_and_every_status_and_area_occurs()
    {
        await using var db = app.CreateContext();
        var programmeMunicipalities = await db.Coverage.Where(c => c.Kind == CoverageKind.Programme).Select(c => c.MunicipalityId).Distinct().ToListAsync();
        var planned = await db.ActionPlans.Select(p => p.MunicipalityId).Distinct().ToListAsync();
        Assert.Empty(programmeMunicipalities.Except(planned));
        Assert.True(await db.ActionPlans.AnyAsync(p => p.Municipality!.Code == "nis"));
        Assert.Equal(Enum.GetValues<MeasureStatus>(), (await db.Measures.Select(m => m.Status).Distinct().ToListAsync()).Order());
        Assert.Equal(Enum.GetValues<PriorityArea>(), (await db.Measures.Select(m => m.PriorityArea).Distinct().ToListAsync()).Order());
        Assert.Equal(Enum.GetValues<FundingSource>(), (await db.Measures.Select(m => m.FundingSource).Distinct().ToListAsync()).Order());
        // Clearly synthetic, and no person named: the titles say so, the changes carry the demo accounts.
        Assert.All(await db.Measures.Select(m => m.TitleLatn + "|" + m.TitleEn).ToListAsync(), t => Assert.Contains("demo", t, StringComparison.Ordinal));
        Assert.All(await db.ActionPlans.Select(p => p.DocumentUrl).ToListAsync(), u => Assert.StartsWith("https://example.org/demo/", u, StringComparison.Ordinal));
        Assert.All(await db.MeasureChanges.Select(c => c.ChangedBy).Distinct().ToListAsync(), by => Assert.StartsWith("coord-", by, StringComparison.Ordinal));
        // Every measure's audit begins with its creation and ends in its present status.
        var measures = await db.Measures.CountAsync();
        Assert.Equal(measures, await db.MeasureChanges.CountAsync(c => c.MeasureId != null && c.Action == ChangeAction.Create));
    }

    /// <summary>Done measures aiming at an attribute: for some it reached the value after done_on (the history says so), for some not.</summary>
    [Fact]
    public async Task Some_done_measures_saw_their_attribute_change_afterwards_and_some_did_not()
    {
        const string Sql = """
            SELECT m.id, EXISTS (
                SELECT 1 FROM measure_settlements ms JOIN settlement_changes c ON c.settlement_id = ms.settlement_id
                WHERE ms.measure_id = m.id AND COALESCE(c.effective_at, c.changed_at) > m.done_on
                  AND c.changes -> m.target_attribute ->> 'new' = m.target_value)
            FROM measures m WHERE m.status = 'done' AND m.target_attribute IS NOT NULL
            """;
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        var changed = new List<bool>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                changed.Add(reader.GetBoolean(1));
            }
        }
        Assert.True(changed.Count(c => c) >= 3, $"{changed.Count(c => c)} done measures saw their attribute change after");
        Assert.True(changed.Count(c => !c) >= 3, $"{changed.Count(c => !c)} done measures did not");
    }

    [Fact]
    public async Task The_api_lists_nis_measures_and_filters_them()
    {
        using var client = app.Factory.CreateClient();
        var nis = await ReadAsync(client, "/api/measures?municipality=nis");
        Assert.True(nis.Body.GetProperty("total").GetInt32() >= 4);
        Assert.All(nis.Body.GetProperty("items").EnumerateArray(), m => Assert.Equal("nis", m.GetProperty("municipality_code").GetString()));
        var done = await ReadAsync(client, "/api/measures?status=done&priority_area=housing&limit=5");
        Assert.Equal(5, done.Body.GetProperty("items").GetArrayLength());
        Assert.All(done.Body.GetProperty("items").EnumerateArray(), m =>
        {
            Assert.Equal("done", m.GetProperty("status").GetString());
            Assert.Equal("housing", m.GetProperty("priority_area").GetString());
        });
        var romacted = await ReadAsync(client, "/api/measures?programme=romacted");
        Assert.All(romacted.Body.GetProperty("items").EnumerateArray(), m => Assert.Equal("romacted", m.GetProperty("programme_code").GetString()));
        var settlement = nis.Body.GetProperty("items").EnumerateArray().SelectMany(m => m.GetProperty("settlement_codes").EnumerateArray()).First().GetString();
        var concerning = await ReadAsync(client, $"/api/measures?settlement={settlement}");
        Assert.All(concerning.Body.GetProperty("items").EnumerateArray(),
            m => Assert.Contains(settlement, m.GetProperty("settlement_codes").EnumerateArray().Select(s => s.GetString())));
        var all = await ReadAsync(client, "/api/measures?limit=200");
        var next = await ReadAsync(client, "/api/measures?limit=200&offset=200");
        Assert.Equal(all.Body.GetProperty("total").GetInt32(), next.Body.GetProperty("total").GetInt32());
        Assert.Empty(all.Body.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64())
            .Intersect(next.Body.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64())));
        var plans = await ReadAsync(client, "/api/action-plans?municipality=nis");
        Assert.Contains("demo", plans.Body.GetProperty("items")[0].GetProperty("title_en").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The status of each measure on a day, from its status days (MeasureSql.StatusOn), over the demo data.</summary>
public sealed class MeasureStatusOnTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<Dictionary<string, long>> CountsOnAsync(DateOnly day)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT COALESCE({SettlementMap.Web.Features.Measures.MeasureSql.StatusOn("@day")}, 'not_yet'), count(*) FROM measures m GROUP BY 1", connection);
        command.Parameters.AddWithValue("day", day);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    [Fact]
    public async Task Today_every_measure_has_its_present_status_and_earlier_fewer_were_done_and_some_not_yet_recorded()
    {
        await using var db = app.CreateContext();
        var now = (await db.Measures.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync())
            .ToDictionary(g => SettlementMap.Web.Data.EnumText.ToText(g.Key), g => g.Count, StringComparer.Ordinal);
        Assert.Equal(now.OrderBy(p => p.Key), (await CountsOnAsync(DateOnly.FromDateTime(DateTime.UtcNow))).OrderBy(p => p.Key));
        var earlier = await CountsOnAsync(new DateOnly(2022, 6, 30));
        Assert.True(earlier.GetValueOrDefault("not_yet") > 0);
        Assert.True(earlier.GetValueOrDefault("done") < now["done"]);
        Assert.True(earlier.GetValueOrDefault("in_progress") > 0);
        Assert.Equal(now.Values.Sum(), earlier.Values.Sum());
    }
}
