using System.Net;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.Coverage;

/// <summary>
/// GET /api/layers/coverage over the demo database: valid RFC 7946, one feature per municipality,
/// and coverage and gap that agree with the records as an independent EF query reads them.
/// </summary>
public sealed class CoverageLayerTests(AppFixture app) : IClassFixture<AppFixture>
{
    // About something else than who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    private static readonly string[] GapKinds = ["coordinator", "health_mediator"];

    private async Task<List<CoverageRow>> RecordsAsync()
    {
        await using var db = app.CreateContext();
        var rows = await db.Coverage.AsNoTracking()
            .Select(c => new { Municipality = c.Municipality!.Code, c.Kind, Programme = c.Programme == null ? null : c.Programme.Code, c.Count, c.ValidFrom, c.ValidTo })
            .ToListAsync();
        return [.. rows.Select(r => new CoverageRow(r.Municipality, KindKey(r.Kind, r.Programme), r.Count, r.ValidFrom, r.ValidTo))];
    }

    [Fact]
    public async Task The_layer_is_RFC_7946_with_every_municipality_once_and_its_settlement_totals()
    {
        using var client = app.Factory.CreateClient();
        var layer = await LayerAsync(client, "2024-06-01");
        await using var db = app.CreateContext();
        // The settlements of that day (history), as the layer of a named day counts them.
        var at = Web.Features.History.SettlementTime.EndOf(new DateOnly(2024, 6, 1));
        var municipalities = await db.Database.SqlQuery<MunicipalityTotals>($"""
            SELECT m.code AS "Code", d.code AS "District", count(s.id)::int AS "Settlements", COALESCE(sum(s.estimated_inhabitants), 0)::int AS "Inhabitants"
            FROM municipalities m JOIN districts d ON d.id = m.district_id LEFT JOIN settlements_as_of({at}) s ON s.municipality_id = m.id
            GROUP BY m.code, d.code
            """).ToListAsync();
        Assert.NotEqual(await db.Settlements.CountAsync(), municipalities.Sum(m => m.Settlements));
        Assert.True(municipalities.Count > 100);
        Assert.Equal(municipalities.Select(m => m.Code).Order(StringComparer.Ordinal), layer.Keys.Order(StringComparer.Ordinal));
        foreach (var m in municipalities)
        {
            var p = layer[m.Code];
            Assert.Equal(m.District, p.GetProperty("district_code").GetString());
            Assert.Equal(m.Settlements, p.GetProperty("settlement_count").GetInt32());
            Assert.Equal(m.Inhabitants, p.GetProperty("estimated_inhabitants").GetInt32());
        }
    }

    private sealed record MunicipalityTotals(string Code, string District, int Settlements, int Inhabitants);

    [Theory]
    [InlineData("2024-06-01")]
    [InlineData("2017-06-01")]
    public async Task Gap_is_set_exactly_where_there_are_settlements_but_no_coordinator_or_no_health_mediator(string asOf)
    {
        using var client = app.Factory.CreateClient();
        var layer = await LayerAsync(client, asOf);
        var gaps = 0;
        foreach (var (code, p) in layer)
        {
            var keys = CoverageOf(p).Keys;
            var missing = GapKinds.Where(k => !keys.Contains(k)).ToList();
            var settlements = p.GetProperty("settlement_count").GetInt32();
            var gap = settlements > 0 && missing.Count > 0;
            Assert.True(gap == p.GetProperty("gap").GetBoolean(), $"gap of {code}");
            Assert.Equal(gap ? missing : [], GapMissing(p));
            Assert.Equal(gap ? p.GetProperty("estimated_inhabitants").GetInt32() : 0, p.GetProperty("gap_inhabitants").GetInt32());
            gaps += gap ? 1 : 0;
        }
        // The demo data has gaps, and places without one.
        Assert.InRange(gaps, 1, layer.Count - 1);
    }

    [Theory]
    [InlineData("2024-06-01")]
    [InlineData("2018-06-01")]
    [InlineData("2013-01-01")]
    public async Task Coverage_keys_and_counts_agree_with_the_records_active_that_day(string asOf)
    {
        var day = Day(asOf);
        var records = await RecordsAsync();
        var active = records.Where(r => r.ActiveOn(day)).ToList();
        // The chosen days matter: some records are active, some are not.
        Assert.NotEmpty(active);
        Assert.True(active.Count < records.Count);

        using var client = app.Factory.CreateClient();
        var layer = await LayerAsync(client, asOf);
        foreach (var (code, p) in layer)
        {
            var expected = Expected(active.Where(r => r.MunicipalityCode == code));
            Assert.True(expected.Count == CoverageOf(p).Count && expected.All(e => CoverageOf(p).TryGetValue(e.Key, out var v) && v == e.Value),
                $"coverage of {code} on {asOf}: expected {string.Join(", ", expected)}, got {p.GetProperty("coverage")}");
        }
    }

    [Fact]
    public async Task Programme_membership_appears_under_its_programme_key()
    {
        using var client = app.Factory.CreateClient();
        // Niš is a member of romacted (2017-05-01..2020-04-30) and undp_youth (no period).
        var nis = CoverageOf((await LayerAsync(client, "2018-06-01"))["nis"]);
        Assert.Contains("programme:romacted", nis.Keys);
        Assert.Contains("programme:undp_youth", nis.Keys);
        Assert.DoesNotContain("programme:romacted", CoverageOf((await LayerAsync(client, "2020-05-01"))["nis"]).Keys);
    }

    [Fact]
    public async Task Zoom_keeps_every_municipality_and_the_same_properties()
    {
        using var client = app.Factory.CreateClient();
        var full = await LayerAsync(client, "2024-06-01");
        var simplified = await GetOkAsync(client, "/api/layers/coverage?as_of=2024-06-01&zoom=6");
        var features = GeoJsonAssert.FeatureCollection(simplified);
        Assert.Equal(full.Count, features.Count);
        foreach (var f in features)
        {
            var p = f.GetProperty("properties");
            Assert.Equal(full[p.GetProperty("code").GetString()!].GetRawText(), p.GetRawText());
        }
    }

    [Fact]
    public async Task Without_as_of_the_layer_and_the_figures_are_of_today()
    {
        var today = Day(DateOnly.FromDateTime(DateTime.UtcNow));
        using var client = app.Factory.CreateClient();
        Assert.Equal(today, (await GetOkAsync(client, "/api/coverage/figures")).GetProperty("as_of").GetString());
        var byDefault = GeoJsonAssert.FeatureCollection(await GetOkAsync(client, "/api/layers/coverage"));
        var ofToday = await LayerAsync(client, today);
        Assert.Equal(ofToday.Count, byDefault.Count);
        Assert.All(byDefault, f => Assert.Equal(ofToday[f.GetProperty("properties").GetProperty("code").GetString()!].GetRawText(), f.GetProperty("properties").GetRawText()));
    }

    [Theory]
    [InlineData("2018-06-01")]
    [InlineData("2015-06-01")]
    [InlineData(null)]
    public async Task The_records_of_a_municipality_are_listed_all_or_those_active_on_a_day(string? asOf)
    {
        var records = (await RecordsAsync()).Where(r => r.MunicipalityCode == "nis").ToList();
        var expected = records.Where(r => asOf is null || r.ActiveOn(Day(asOf))).Select(r => r.KindKey).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.True(asOf is null ? expected.Count == records.Count : expected.Count < records.Count);
        using var client = app.Factory.CreateClient();
        var list = await GetOkAsync(client, asOf is null ? "/api/coverage?municipality=nis" : $"/api/coverage?municipality=nis&as_of={asOf}");
        Assert.Equal(expected, list.EnumerateArray()
            .Select(r => r.GetProperty("kind").GetString() == "programme" ? "programme:" + r.GetProperty("programme_code").GetString() : r.GetProperty("kind").GetString()!)
            .Order(StringComparer.Ordinal));
        Assert.All(list.EnumerateArray(), r => Assert.Equal("nis", r.GetProperty("municipality_code").GetString()));
        var (status, problem) = await GetAsync(client, "/api/coverage?municipality=atlantis");
        AssertBadRequestNaming(status, problem, "municipality");
    }

    [Theory]
    [InlineData("as_of=2024-13-01", "as_of")]
    [InlineData("as_of=01.06.2024", "as_of")]
    [InlineData("as_of=2024-06-01&colour=red", "colour")]
    [InlineData("zoom=99", "zoom")]
    public async Task A_bad_or_unknown_parameter_is_a_400_naming_it(string query, string parameter)
    {
        using var client = app.Factory.CreateClient();
        var (status, problem) = await GetAsync(client, $"/api/layers/coverage?{query}");
        AssertBadRequestNaming(status, problem, parameter);
        Assert.Equal(parameter, Assert.Single(ErrorKeys(problem)));
        (status, problem) = await GetAsync(client, $"/api/coverage/figures?{query.Replace("zoom=99", "zoom=5", StringComparison.Ordinal)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(parameter, ErrorKeys(problem));
    }
}
