using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Data.Demo;

/// <summary>
/// The demo's seeded history (DemoHistory, written by DemoDataLoader through the real trigger): the
/// versions are exactly a replay of its audit rows, and it tells a story: the map of 2019 is not today's.
/// </summary>
public sealed class DemoHistoryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private sealed record AuditRow(long Id, long SettlementId, string Action, DateTimeOffset ChangedAt, string? After, string? GeometryHex);

    [Fact]
    public async Task The_state_as_of_any_instant_is_the_replay_of_the_audit_rows_up_to_it()
    {
        var audit = await AuditAsync();
        Assert.InRange(audit.Count, 1000, 4000);
        var random = new Random(23);
        var from = new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var instants = Enumerable.Range(0, 12).Select(_ => from.AddMinutes(random.NextDouble() * (DateTimeOffset.UtcNow - from).TotalMinutes))
            // Period edges: each survey's instant, the microsecond before it, and instants of coordinators' edits.
            .Concat(DemoHistory.Surveys.SelectMany(s => new[] { s, s.AddTicks(-10) }))
            .Concat(Enumerable.Range(0, 4).Select(_ => audit[random.Next(audit.Count)].ChangedAt))
            .Select(t => new DateTimeOffset(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero)) // PostgreSQL keeps microseconds
            .ToList();
        foreach (var at in instants)
        {
            // The model: each settlement's last audit row at or before the instant; a deletion leaves nothing.
            var model = audit.Where(c => c.ChangedAt <= at)
                .GroupBy(c => c.SettlementId)
                .Select(g => g.OrderBy(c => c.ChangedAt).ThenBy(c => c.Id).Last())
                .Where(c => c.Action != "delete")
                .ToDictionary(c => c.SettlementId);
            var actual = await AsOfAsync(at);
            Assert.Equal(model.Keys.Order(), actual.Keys.Order());
            foreach (var (id, row) in actual)
            {
                var expected = model[id];
                Assert.Equal(expected.GeometryHex, row.GeometryHex);
                using var snapshot = JsonDocument.Parse(expected.After!);
                using var state = JsonDocument.Parse(row.Json);
                foreach (var field in snapshot.RootElement.EnumerateObject())
                {
                    Assert.True(state.RootElement.TryGetProperty(field.Name, out var value), $"{field.Name} missing as of {at:O}");
                    Assert.True(SameValue(field.Value, value), $"settlement {id} as of {at:O}: {field.Name} is {value} in history, {field.Value} in the audit");
                }
            }
        }
    }

    [Fact]
    public async Task Every_version_starts_at_an_audit_row_and_every_audit_row_starts_or_ends_a_version()
    {
        var cs = app.ConnectionString;
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlement_versions v WHERE NOT EXISTS (SELECT 1 FROM settlement_changes c WHERE c.settlement_id = v.id AND c.changed_at = lower(v.valid) AND c.action <> 'delete')"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlement_changes c WHERE NOT EXISTS (SELECT 1 FROM settlement_versions v WHERE v.id = c.settlement_id AND (CASE WHEN c.action = 'delete' THEN upper(v.valid) ELSE lower(v.valid) END) = c.changed_at)"));
        // The demo's actors: its synthetic surveys and its accounts, never the loader or a clock of the load.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlement_changes WHERE changed_by NOT LIKE 'demo-survey-20__' AND changed_by NOT LIKE 'coord-%' AND changed_by <> 'admin'"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlement_changes WHERE changed_at > now()"));
        // Today's rows carry their last change.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            """
            SELECT count(*) FROM settlements s WHERE NOT EXISTS (
                SELECT 1 FROM (SELECT c.changed_at, c.changed_by FROM settlement_changes c WHERE c.settlement_id = s.id ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) l
                WHERE l.changed_at = s.updated_at AND l.changed_by = s.updated_by)
            """));
    }

    [Fact]
    public async Task The_map_as_of_2019_differs_from_today_and_most_settlements_improved()
    {
        var cs = app.ConnectionString;
        const string Then = "'2019-01-01T23:59:59Z'";
        var newSince = await Sql.ScalarAsync<long>(cs, $"SELECT count(*) FROM settlements s WHERE NOT EXISTS (SELECT 1 FROM settlements_as_of({Then}) t WHERE t.id = s.id)");
        var goneSince = await Sql.ScalarAsync<long>(cs, $"SELECT count(*) FROM settlements_as_of({Then}) t WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.id = t.id)");
        Assert.InRange(newSince, 40, 250);
        Assert.InRange(goneSince, 4, 30);
        // Water network, sewerage, legal electricity and legalisation: many improved, a few worsened.
        foreach (var (column, best) in new[] { ("water_supply", "network"), ("sewerage", "network"), ("electricity", "legal"), ("legal_status", "legalised") })
        {
            var improved = await Sql.ScalarAsync<long>(cs, $"SELECT count(*) FROM settlements s JOIN settlements_as_of({Then}) t USING (id) WHERE s.{column} = '{best}' AND t.{column} <> '{best}'");
            var worsened = await Sql.ScalarAsync<long>(cs, $"SELECT count(*) FROM settlements s JOIN settlements_as_of({Then}) t USING (id) WHERE s.{column} <> '{best}' AND t.{column} = '{best}'");
            Assert.True(improved > 2 * worsened && worsened > 0, $"{column}: {improved} improved, {worsened} worsened");
        }
        Assert.True(await Sql.ScalarAsync<decimal>(cs, $"SELECT avg(substandard_share_pct) FROM settlements_as_of({Then})")
            > await Sql.ScalarAsync<decimal>(cs, "SELECT avg(substandard_share_pct) FROM settlements") + 3);
        // Estimates move; today's total is not 2019's.
        Assert.NotEqual(await Sql.ScalarAsync<long>(cs, $"SELECT sum(estimated_inhabitants) FROM settlements_as_of({Then})"),
            await Sql.ScalarAsync<long>(cs, "SELECT sum(estimated_inhabitants) FROM settlements"));
        // Some municipalities were last touched in 2016–2019 (freshness), most since 2024.
        Assert.InRange(await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM (SELECT municipality_id FROM settlements GROUP BY 1 HAVING max(updated_at) < '2020-01-01') x"), 8, 80);
        Assert.True(await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM (SELECT municipality_id FROM settlements GROUP BY 1 HAVING max(updated_at) >= '2024-01-01') x") > 40);
    }

    [Fact]
    public async Task The_layer_as_of_2019_01_01_shows_other_settlements_than_today()
    {
        using var client = app.Factory.CreateClient();
        var today = await IdsAsync(client, "/api/layers/settlements");
        var then = await IdsAsync(client, "/api/layers/settlements?as_of=2019-01-01");
        Assert.Equal(await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM settlements"), today.Count);
        Assert.Equal(await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM settlements_as_of('2019-01-01T23:59:59.999999Z')"), then.Count);
        Assert.NotEmpty(then.Except(today));
        Assert.NotEmpty(today.Except(then));
    }

    private static async Task<HashSet<long>> IdsAsync(HttpClient client, string path)
    {
        using var layer = await client.GetFromJsonAsync<JsonDocument>(new Uri(path, UriKind.Relative));
        return [.. layer!.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64())];
    }

    private static bool SameValue(JsonElement expected, JsonElement actual) => expected.ValueKind switch
    {
        JsonValueKind.Number => actual.ValueKind == JsonValueKind.Number && expected.GetDecimal() == actual.GetDecimal(),
        JsonValueKind.Null => actual.ValueKind == JsonValueKind.Null,
        _ => expected.ToString() == actual.ToString(),
    };

    private async Task<List<AuditRow>> AuditAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, settlement_id, action, changed_at, attributes_after, encode(ST_AsBinary(geom_after), 'hex') FROM settlement_changes ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return rows;
    }

    private async Task<Dictionary<long, (string Json, string GeometryHex)>> AsOfAsync(DateTimeOffset at)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT s.id, (to_jsonb(s) - 'geom' || jsonb_build_object('municipality_code', m.code))::text, encode(ST_AsBinary(s.geom), 'hex')
            FROM settlements_as_of(@at) s JOIN municipalities m ON m.id = s.municipality_id
            """, connection);
        command.Parameters.AddWithValue("at", at);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<long, (string, string)>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetInt64(0)] = (reader.GetString(1), reader.GetString(2));
        }
        return rows;
    }
}
