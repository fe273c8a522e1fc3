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
/// The measures on the map (GET /api/measures/layer and /api/measures/coverage) on real PostGIS over the demo data: the
/// points against the tables, the list's filters, what each viewer is shown (a generalised settlement's displaced point,
/// never an amount or a target), and the caches following a saved measure.
/// </summary>
public sealed class MeasureMapTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] PropertyNames =
        ["measure_id", "status", "priority_area", "title_latn", "title_cyrl", "title_en", "municipality_code", "settlement_id", "settlement_code", "settlement_name_latn", "settlement_name_cyrl"];

    private static async Task<JsonElement> JsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<JsonElement> Features(JsonElement collection) => [.. collection.GetProperty("features").EnumerateArray()];

    /// <summary>Points a measure gives, counted from the tables: one per settlement it names, one for a measure naming none.</summary>
    private async Task<int> PointsInTablesAsync(Func<IQueryable<Measure>, IQueryable<Measure>> filter)
    {
        await using var db = app.CreateContext();
        return await filter(db.Measures).SumAsync(m => m.Settlements.Count == 0 ? 1 : m.Settlements.Count);
    }

    [Fact]
    public async Task The_layer_has_a_point_per_measure_and_settlement_with_the_lists_filters_and_no_amount_or_target()
    {
        using var anonymous = app.Factory.CreateClient();
        var all = await JsonAsync(anonymous, "/api/measures/layer");
        Assert.Equal(await PointsInTablesAsync(q => q), Features(all).Count);
        Assert.True(Features(all).Count >= 201);
        foreach (var feature in Features(all))
        {
            Assert.Equal("Point", feature.GetProperty("geometry").GetProperty("type").GetString());
            Assert.Equal(PropertyNames, feature.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        }
        Assert.DoesNotContain("budget", all.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("target", all.GetRawText(), StringComparison.Ordinal);

        var housingDone = await JsonAsync(anonymous, "/api/measures/layer?status=done,in_progress&priority_area=housing&municipality=nis");
        var expected = await PointsInTablesAsync(q => q.Where(m => (m.Status == MeasureStatus.Done || m.Status == MeasureStatus.InProgress)
            && m.PriorityArea == PriorityArea.Housing && m.ActionPlan!.Municipality!.Code == "nis"));
        Assert.Equal(expected, Features(housingDone).Count);
        Assert.All(Features(housingDone), f =>
        {
            var p = f.GetProperty("properties");
            Assert.Equal("nis", p.GetProperty("municipality_code").GetString());
            Assert.Equal("housing", p.GetProperty("priority_area").GetString());
            Assert.True(p.GetProperty("status").GetString() is "done" or "in_progress");
        });
    }

    [Fact]
    public async Task A_measure_naming_no_settlement_is_a_point_on_its_municipality_and_one_naming_two_is_two_points()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var plan = await PlanOfAsync(app, "nis");
        var none = await CreateMeasureAsync(coordinator, WaterMeasure(plan, []));
        var codes = await SettlementsOfAsync(app, "nis", 2);
        var two = await CreateMeasureAsync(coordinator, WaterMeasure(plan, codes));
        Assert.Equal(HttpStatusCode.Created, two.Status);

        var layer = Features(await JsonAsync(coordinator, "/api/measures/layer?municipality=nis"));
        var own = layer.Where(f => f.GetProperty("properties").GetProperty("measure_id").GetInt64() == none.Id).ToList();
        var point = Assert.Single(own).GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(JsonValueKind.Null, own[0].GetProperty("properties").GetProperty("settlement_code").ValueKind);
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT ST_Contains(geom, ST_SetSRID(ST_MakePoint(@x, @y), 4326)) FROM municipalities WHERE code = 'nis'", connection);
            command.Parameters.AddWithValue("x", point[0].GetDouble());
            command.Parameters.AddWithValue("y", point[1].GetDouble());
            Assert.True((bool)(await command.ExecuteScalarAsync())!);
        }
        var pair = layer.Where(f => f.GetProperty("properties").GetProperty("measure_id").GetInt64() == two.Id).ToList();
        Assert.Equal(codes, pair.Select(f => f.GetProperty("properties").GetProperty("settlement_code").GetString()));
        Assert.Equal("Water network extension", pair[0].GetProperty("properties").GetProperty("title_en").GetString());
    }

    [Fact]
    public async Task The_public_gets_a_generalised_settlements_displaced_point_and_an_administrator_its_centroid()
    {
        await using var db = app.CreateContext();
        // A small settlement (under the generalisation's 100 inhabitants, or none recorded) of a municipality with a plan: the public view moves its point.
        var small = await db.Settlements.Where(s => (s.EstimatedInhabitants == null || s.EstimatedInhabitants < 100)
                && db.ActionPlans.Any(p => p.MunicipalityId == s.MunicipalityId))
            .OrderBy(s => s.Code).Select(s => new { s.Id, s.Code, Municipality = s.Municipality!.Code }).FirstAsync();
        using var admin = await ClientAsync(app, Admin);
        var created = await CreateMeasureAsync(admin, WaterMeasure(await PlanOfAsync(app, small.Municipality), [small.Code]));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var layer = "/api/measures/layer?municipality=" + small.Municipality;

        using var anonymous = app.Factory.CreateClient();
        JsonElement PointOf(List<JsonElement> features) => features
            .Single(f => f.GetProperty("properties").GetProperty("measure_id").GetInt64() == created.Id).GetProperty("geometry").GetProperty("coordinates");
        var seenByPublic = PointOf(Features(await JsonAsync(anonymous, layer)));
        var seenByAdministrator = PointOf(Features(await JsonAsync(admin, layer)));
        // The settlements layer gives the public the same point, as its geometry; the administrator sees the centroid.
        var settlement = Features(await JsonAsync(anonymous, "/api/layers/settlements?municipality=" + small.Municipality))
            .Single(f => f.GetProperty("properties").GetProperty("code").GetString() == small.Code).GetProperty("geometry");
        Assert.Equal("Point", settlement.GetProperty("type").GetString());
        Assert.Equal(settlement.GetProperty("coordinates").GetRawText(), seenByPublic.GetRawText());
        var centroid = await db.Settlements.Where(s => s.Id == small.Id).Select(s => s.Centroid!).SingleAsync();
        Assert.Equal(centroid.X, seenByAdministrator[0].GetDouble(), 5);
        Assert.Equal(centroid.Y, seenByAdministrator[1].GetDouble(), 5);
        Assert.NotEqual(seenByAdministrator.GetRawText(), seenByPublic.GetRawText());
    }

    [Fact]
    public async Task The_coverage_per_municipality_is_the_count_from_the_tables_and_follows_the_filters()
    {
        using var anonymous = app.Factory.CreateClient();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        async Task<(int Settlements, int Named, Dictionary<string, int> ByStatus)> CountAsync(string municipality, string? area)
        {
            await using var command = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM settlements s JOIN municipalities mu ON mu.id = s.municipality_id WHERE mu.code = @code)::int,
                       (SELECT count(DISTINCT ms.settlement_id) FROM measure_settlements ms JOIN measures m ON m.id = ms.measure_id
                          JOIN settlements s ON s.id = ms.settlement_id JOIN municipalities mu ON mu.id = s.municipality_id
                        WHERE mu.code = @code AND m.status <> 'dropped' AND (@area::text IS NULL OR m.priority_area = @area))::int,
                       (SELECT json_object_agg(st, (SELECT count(*) FROM measures m JOIN action_plans p ON p.id = m.action_plan_id
                          JOIN municipalities mu ON mu.id = p.municipality_id WHERE mu.code = @code AND m.status = st AND (@area::text IS NULL OR m.priority_area = @area)))
                        FROM unnest(ARRAY['planned', 'in_progress', 'done', 'dropped']) st)::text
                """, connection);
            command.Parameters.AddWithValue("code", municipality);
            command.Parameters.Add(new NpgsqlParameter<string?>("area", area));
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt32(0), reader.GetInt32(1), JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(2))!);
        }
        void Check(JsonElement coverage, string code, (int Settlements, int Named, Dictionary<string, int> ByStatus) expected)
        {
            var row = coverage.GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("code").GetString() == code);
            Assert.Equal(expected.Settlements, row.GetProperty("settlements").GetInt32());
            Assert.Equal(expected.Named, row.GetProperty("settlements_with_measure").GetInt32());
            Assert.Equal(expected.ByStatus, row.GetProperty("measures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
        }

        var coverage = await JsonAsync(anonymous, "/api/measures/coverage");
        var nis = await CountAsync("nis", null);
        Assert.True(nis.Named > 0 && nis.ByStatus.Values.Sum() > 0, "the demo plans measures in Niš");
        Check(coverage, "nis", nis);
        Check(coverage, "zvezdara", await CountAsync("zvezdara", null));
        await using (var db = app.CreateContext())
        {
            Assert.Equal(await db.Municipalities.CountAsync(), coverage.GetProperty("municipalities").GetArrayLength());
        }
        Check(await JsonAsync(anonymous, "/api/measures/coverage?priority_area=education"), "nis", await CountAsync("nis", "education"));
        Assert.DoesNotContain("budget", coverage.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_measure_changes_the_layers_etag_and_the_unplanned_filters_answer()
    {
        using var anonymous = app.Factory.CreateClient();
        await using var db = app.CreateContext();
        // A settlement of Niš lacking the water network that no live water measure names yet.
        var lacking = await db.Settlements.Where(s => s.Municipality!.Code == "nis" && (s.WaterSupply == WaterSupply.Wells || s.WaterSupply == WaterSupply.None)
                && !db.Measures.Any(m => m.TargetAttribute == "water_supply" && m.Status != MeasureStatus.Dropped && m.Settlements.Any(x => x.Id == s.Id)))
            .OrderBy(s => s.Code).Select(s => s.Code).FirstAsync();
        const string Summary = "/api/layers/settlements/summary?municipality=nis&unplanned=water_supply:network";
        using var first = await anonymous.GetAsync(new Uri("/api/measures/layer?municipality=nis", UriKind.Relative));
        var etag = first.Headers.ETag!;
        using (var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/measures/layer?municipality=nis", UriKind.Relative)))
        {
            again.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
        }
        var before = (await JsonAsync(anonymous, Summary)).GetProperty("matched").GetInt64();
        var coverageBefore = await JsonAsync(anonymous, "/api/measures/coverage?municipality=nis");

        using var coordinator = await ClientAsync(app, CoordinatorNis);
        Assert.Equal(HttpStatusCode.Created, (await CreateMeasureAsync(coordinator, WaterMeasure(await PlanOfAsync(app, "nis"), [lacking]))).Status);

        using (var after = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/measures/layer?municipality=nis", UriKind.Relative)))
        {
            after.Headers.IfNoneMatch.Add(etag);
            using var response = await anonymous.SendAsync(after);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(etag, response.Headers.ETag);
        }
        // Not a cached copy of the answer before: the settlement now has a measure planned.
        Assert.Equal(before - 1, (await JsonAsync(anonymous, Summary)).GetProperty("matched").GetInt64());
        var planned = (await JsonAsync(anonymous, "/api/measures/coverage?municipality=nis")).GetProperty("municipalities").EnumerateArray()
            .Single(m => m.GetProperty("code").GetString() == "nis").GetProperty("measures").GetProperty("planned").GetInt32();
        Assert.Equal(coverageBefore.GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "nis")
            .GetProperty("measures").GetProperty("planned").GetInt32() + 1, planned);
    }

    [Fact]
    public async Task The_config_names_the_attributes_the_unplanned_filter_takes_that_the_viewer_sees()
    {
        using var anonymous = app.Factory.CreateClient();
        using var admin = await ClientAsync(app, Admin);
        var all = (await JsonAsync(admin, "/api/config")).GetProperty("unplanned_attributes").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["water_supply", "sewerage", "electricity", "legal_status", "flood_zone", "hazard_nearby", "eviction_threat"], all);
        var seen = (await JsonAsync(anonymous, "/api/config")).GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToHashSet();
        var offered = (await JsonAsync(anonymous, "/api/config")).GetProperty("unplanned_attributes").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(all.Where(seen.Contains), offered);
        Assert.DoesNotContain("legal_status", offered); // signed-in accounts only, by default
    }

    [Theory]
    [InlineData("/api/measures/layer?status=finished", "status")]
    [InlineData("/api/measures/layer?priority_area=roads", "priority_area")]
    [InlineData("/api/measures/layer?municipality=atlantis", "municipality")]
    [InlineData("/api/measures/layer?plan=0", "plan")]
    [InlineData("/api/measures/layer?limit=5", "limit")]
    [InlineData("/api/measures/coverage?programme=nope", "programme")]
    [InlineData("/api/measures/coverage?settlement=nope", "settlement")]
    [InlineData("/api/measures/coverage?bbox=1,2,3,4", "bbox")]
    public async Task A_bad_parameter_is_a_problem_naming_it(string url, string field)
    {
        using var anonymous = app.Factory.CreateClient();
        var answer = await ReadAsync(anonymous, url);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(field, answer.Fields);
    }
}
