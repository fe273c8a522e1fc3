using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Coverage.Overlay;

using SettlementMap.Web.Features.Coverage;

using SettlementMap.Tests.Coverage;

namespace SettlementMap.Tests.Reports;

/// <summary>
/// GET /api/reports/summary: its numbers equal exactly what the settlements layer shows for the same
/// area, its medians and coverage are what the data say, and since= reads the audit history.
/// </summary>
public sealed class SummaryReportTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] WithoutNetwork = ["wells", "none"];
    private static readonly string[] ShareFields = ["water_supply", "sewerage", "electricity", "legal_status", "heating", "flood_zone", "eviction_threat"];

    private static readonly Dictionary<string, Func<Settlement, int?>> Distances = new(StringComparer.Ordinal)
    {
        ["distance_to_seat_m"] = s => s.DistanceToSeatM,
        ["distance_to_primary_school_m"] = s => s.DistanceToPrimarySchoolM,
        ["distance_to_preschool_m"] = s => s.DistanceToPreschoolM,
        ["distance_to_health_centre_m"] = s => s.DistanceToHealthCentreM,
        ["distance_to_social_work_centre_m"] = s => s.DistanceToSocialWorkCentreM,
        ["distance_to_transport_stop_m"] = s => s.DistanceToTransportStopM,
        ["distance_to_pharmacy_m"] = s => s.DistanceToPharmacyM,
    };

    private async Task<JsonElement> ReportAsync(string query)
    {
        using var client = app.Factory.CreateClient();
        return await GetOkAsync(client, $"/api/reports/summary?{query}");
    }

    /// <summary>The properties of the settlements layer's features for the same filter.</summary>
    private async Task<List<JsonElement>> LayerSettlementsAsync(string query)
    {
        using var client = app.Factory.CreateClient();
        var collection = await GetOkAsync(client, $"/api/layers/settlements?{query}");
        return [.. GeoJsonAssert.FeatureCollection(collection).Select(f => f.GetProperty("properties"))];
    }

    private async Task<List<Settlement>> RowsAsync(string query)
    {
        var (key, code) = (query.Split('=')[0], query.Split('=')[1]);
        await using var db = app.CreateContext();
        return await db.Settlements.AsNoTracking()
            .Where(s => key == "municipality" ? s.Municipality!.Code == code : s.Municipality!.District!.Code == code).ToListAsync();
    }

    private static int? NumberOrNull(JsonElement properties, string name) =>
        properties.GetProperty(name).ValueKind == JsonValueKind.Null ? null : properties.GetProperty(name).GetInt32();

    private static List<long> Ids(IEnumerable<JsonElement> list, string property = "id") => [.. list.Select(p => p.GetProperty(property).GetInt64()).Order()];

    [Theory]
    [InlineData("municipality=nis")]
    [InlineData("district=RS.SE.20")]
    public async Task Totals_shares_and_the_settlement_list_equal_the_layer_data_exactly(string query)
    {
        var report = await ReportAsync(query);
        var layer = await LayerSettlementsAsync(query);
        Assert.True(layer.Count > 5);
        var totals = report.GetProperty("totals");
        Assert.Equal(layer.Count, totals.GetProperty("settlements").GetInt32());
        Assert.Equal(layer.Sum(p => NumberOrNull(p, "estimated_inhabitants") ?? 0), totals.GetProperty("estimated_inhabitants").GetInt32());
        Assert.Equal(layer.Count(p => NumberOrNull(p, "estimated_inhabitants") is null), totals.GetProperty("settlements_without_estimate").GetInt32());
        Assert.Equal(layer.Count(p => WithoutNetwork.Contains(p.GetProperty("water_supply").GetString())), report.GetProperty("without_water_network").GetInt32());
        Assert.Equal(Ids(layer), Ids(report.GetProperty("settlements").EnumerateArray()));

        var waterShares = report.GetProperty("shares").GetProperty("water_supply").EnumerateArray().ToList();
        Assert.Equal(WaterSupplies, waterShares.Select(s => s.GetProperty("value").GetString()));
        foreach (var share in waterShares)
        {
            var value = share.GetProperty("value").GetString();
            Assert.Equal(layer.Count(p => p.GetProperty("water_supply").GetString() == value), share.GetProperty("count").GetInt32());
        }
        foreach (var field in new[] { "sewerage", "electricity", "legal_status", "flood_zone" })
        {
            foreach (var share in report.GetProperty("shares").GetProperty(field).EnumerateArray())
            {
                var value = share.GetProperty("value").GetString();
                Assert.Equal(layer.Count(p => p.GetProperty(field).GetString() == value), share.GetProperty("count").GetInt32());
            }
        }

        // Households and dwellings: from the rows themselves.
        var rows = await RowsAsync(query);
        Assert.Equal(rows.Sum(s => s.Households ?? 0), totals.GetProperty("households").GetInt32());
        Assert.Equal(layer.Sum(p => NumberOrNull(p, "households") ?? 0), totals.GetProperty("households").GetInt32());
        Assert.Equal(rows.Sum(s => s.DwellingCount ?? 0), totals.GetProperty("dwellings").GetInt32());
    }

    [Theory]
    [InlineData("municipality=nis")]
    [InlineData("district=RS.SE.20")]
    [InlineData("district=RS.SE.0")]
    public async Task Percentages_of_every_closed_list_sum_to_100(string query)
    {
        var report = await ReportAsync(query);
        var settlements = report.GetProperty("totals").GetProperty("settlements").GetInt32();
        Assert.True(settlements > 0);
        Assert.Equal(ShareFields.Order(), report.GetProperty("shares").EnumerateObject().Select(p => p.Name).Order());
        foreach (var field in report.GetProperty("shares").EnumerateObject())
        {
            var shares = field.Value.EnumerateArray().ToList();
            Assert.Equal(settlements, shares.Sum(s => s.GetProperty("count").GetInt32()));
            Assert.InRange(shares.Sum(s => s.GetProperty("percent").GetDouble()), 99.8, 100.2);
            Assert.All(shares, s => Assert.Equal(Math.Round(100.0 * s.GetProperty("count").GetInt32() / settlements, 1), s.GetProperty("percent").GetDouble(), 3));
        }
    }

    [Theory]
    [InlineData("municipality=nis")]
    [InlineData("district=RS.SE.20")]
    public async Task Access_medians_are_the_lower_middle_of_the_known_distances(string query)
    {
        var report = await ReportAsync(query);
        var rows = await RowsAsync(query);
        var access = report.GetProperty("access").EnumerateArray().ToDictionary(a => a.GetProperty("field").GetString()!, StringComparer.Ordinal);
        Assert.Equal(Distances.Keys.Order(StringComparer.Ordinal), access.Keys.Order(StringComparer.Ordinal));
        foreach (var (field, get) in Distances)
        {
            var known = rows.Select(get).Where(d => d is not null).Select(d => d!.Value).ToList();
            var a = access[field];
            Assert.Equal(known.Count, a.GetProperty("known").GetInt32());
            Assert.Equal(LowerMedian(known), a.GetProperty("median").ValueKind == JsonValueKind.Null ? null : a.GetProperty("median").GetInt32());
            if (known.Count > 0)
            {
                Assert.Equal(known.Max(), a.GetProperty("max").GetInt32());
                Assert.Equal(known.Count(d => d > 2000), a.GetProperty("over_2000_m").GetInt32());
                Assert.InRange(a.GetProperty("mean").GetInt32(), known.Min(), known.Max());
            }
        }
    }

    [Fact]
    public async Task The_median_of_an_even_count_is_the_lower_middle_value_not_the_average()
    {
        var report = await ReportAsync("district=RS.SE.20");
        var rows = await RowsAsync("district=RS.SE.20");
        var checkedFields = 0;
        foreach (var (field, get) in Distances)
        {
            var known = rows.Select(get).Where(d => d is not null).Select(d => d!.Value).Order().ToList();
            if (known.Count == 0 || known.Count % 2 == 1 || known[(known.Count / 2) - 1] == known[known.Count / 2])
            {
                continue;
            }
            var median = report.GetProperty("access").EnumerateArray().Single(a => a.GetProperty("field").GetString() == field).GetProperty("median").GetInt32();
            Assert.Equal(known[(known.Count / 2) - 1], median);
            checkedFields++;
        }
        // The district's 42 settlements give even counts with two different middle values.
        Assert.True(checkedFields > 0, "some distance field has an even count of known values with two different middles");
    }

    [Theory]
    [InlineData("municipality=nis", "2018-06-01")]
    [InlineData("municipality=nis", "2015-06-01")]
    [InlineData("municipality=nis", "2024-06-01")]
    [InlineData("district=RS.SE.20", "2018-06-01")]
    [InlineData("district=RS.SE.20", "2012-01-01")]
    public async Task Coverage_lists_exactly_the_records_active_on_the_day(string query, string asOf)
    {
        var (key, code) = (query.Split('=')[0], query.Split('=')[1]);
        await using var db = app.CreateContext();
        var all = (await db.Coverage.AsNoTracking()
            .Where(c => key == "municipality" ? c.Municipality!.Code == code : c.Municipality!.District!.Code == code)
            .Select(c => new { Municipality = c.Municipality!.Code, c.Kind, Programme = c.Programme == null ? null : c.Programme.Code, c.Count, c.ValidFrom, c.ValidTo })
            .ToListAsync())
            .Select(c => (Row: new CoverageRow(c.Municipality, KindKey(c.Kind, c.Programme), c.Count, c.ValidFrom, c.ValidTo), Kind: EnumText.ToText(c.Kind), c.Programme))
            .ToList();
        var expected = all.Where(c => c.Row.ActiveOn(Day(asOf)))
            .Select(c => $"{c.Row.MunicipalityCode} {c.Kind} {c.Programme} {c.Row.Count} {c.Row.ValidFrom} {c.Row.ValidTo}").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < all.Count, "some records of the area are not active that day");

        var report = await ReportAsync($"{query}&as_of={asOf}");
        Assert.Equal(asOf, report.GetProperty("as_of").GetString());
        var actual = report.GetProperty("coverage").EnumerateArray().Select(c =>
        {
            var from = c.GetProperty("valid_from").ValueKind == JsonValueKind.Null ? (DateOnly?)null : Day(c.GetProperty("valid_from").GetString()!);
            var to = c.GetProperty("valid_to").ValueKind == JsonValueKind.Null ? (DateOnly?)null : Day(c.GetProperty("valid_to").GetString()!);
            var count = c.GetProperty("count").ValueKind == JsonValueKind.Null ? (int?)null : c.GetProperty("count").GetInt32();
            return $"{c.GetProperty("municipality_code").GetString()} {c.GetProperty("kind").GetString()} {c.GetProperty("programme_code").GetString()} {count} {from} {to}";
        }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(all.Where(c => c.Row.ActiveOn(Day(asOf)) && c.Programme is not null).Select(c => c.Programme!).Distinct().Order(StringComparer.Ordinal),
            report.GetProperty("programmes").EnumerateArray().Select(p => p.GetString()!));
    }

    [Fact]
    public async Task The_area_names_the_municipality_or_the_district_with_its_municipalities()
    {
        var nis = (await ReportAsync("municipality=nis")).GetProperty("area");
        Assert.Equal(("municipality", "nis", "Ниш"), (nis.GetProperty("kind").GetString(), nis.GetProperty("code").GetString(), nis.GetProperty("name_cyrl").GetString()));
        var district = (await ReportAsync("district=RS.SE.20")).GetProperty("area");
        Assert.Equal("district", district.GetProperty("kind").GetString());
        await using var db = app.CreateContext();
        var codes = await db.Municipalities.Where(m => m.District!.Code == "RS.SE.20").Select(m => m.Code).ToListAsync();
        Assert.Equal(codes.Order(StringComparer.Ordinal), district.GetProperty("municipalities").EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal));
        Assert.Contains("nis", codes);
    }

    [Fact]
    public async Task Every_municipality_and_programme_the_report_gives_by_code_has_its_names_in_three_languages()
    {
        // Niš in mid-2019: ROMACTED (2017–2020) and the UNDP youth project.
        var report = await ReportAsync("district=RS.SE.20&as_of=2019-06-01");
        var names = report.GetProperty("names");
        await using var db = app.CreateContext();
        var municipalities = await db.Municipalities.Where(m => m.District!.Code == "RS.SE.20").ToDictionaryAsync(m => m.Code);
        var codes = report.GetProperty("area").GetProperty("municipalities").EnumerateArray().Select(m => m.GetString()!)
            .Concat(report.GetProperty("coverage").EnumerateArray().Select(c => c.GetProperty("municipality_code").GetString()!))
            .Concat(report.GetProperty("settlements").EnumerateArray().Select(s => s.GetProperty("municipality_code").GetString()!)).Distinct().ToList();
        foreach (var code in codes)
        {
            var name = names.GetProperty("municipalities").GetProperty(code);
            Assert.Equal((municipalities[code].NameLatn, municipalities[code].NameCyrl, municipalities[code].NameLatn),
                (name.GetProperty("sr-Latn").GetString(), name.GetProperty("sr-Cyrl").GetString(), name.GetProperty("en").GetString()));
        }
        var programmes = report.GetProperty("programmes").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains("romacted", programmes);
        Assert.Equal(programmes.Order(StringComparer.Ordinal), names.GetProperty("programmes").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var code in programmes)
        {
            var programme = await db.Programmes.SingleAsync(p => p.Code == code);
            var name = names.GetProperty("programmes").GetProperty(code);
            Assert.Equal((programme.NameSrLatn, programme.NameSrCyrl, programme.NameEn),
                (name.GetProperty("sr-Latn").GetString(), name.GetProperty("sr-Cyrl").GetString(), name.GetProperty("en").GetString()));
        }
        // The brand stays in Latin letters in the Cyrillic name.
        Assert.StartsWith("ROMACTED – Промовисање", names.GetProperty("programmes").GetProperty("romacted").GetProperty("sr-Cyrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_since_a_day_come_from_the_audit_history_with_the_totals_then()
    {
        var id = await DemoIdAsync(app, "nis", 4);
        using var admin = await ClientAsync(app, Admin);
        var read = await GetAsync(admin, id);
        var old = read.Text("water_supply")!;
        var value = WithoutNetwork.Contains(old) ? "network" : "wells";
        var yesterday = Day(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1));
        var tomorrow = Day(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1));
        var sinceBefore = (await ReportAsync($"municipality=nis&since={yesterday}")).GetProperty("changes_since");
        var changedBefore = sinceBefore.GetProperty("changes").GetInt32();

        using var response = await PatchAsync(admin, id, Properties("water_supply", value), read.ETag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        foreach (var query in new[] { "municipality=nis", "district=RS.SE.20" })
        {
            var report = await ReportAsync($"{query}&since={yesterday}");
            var since = report.GetProperty("changes_since");
            Assert.Equal(yesterday, since.GetProperty("since").GetString());
            Assert.True(since.GetProperty("changes").GetInt32() >= 1);
            Assert.Contains(id, since.GetProperty("settlements_changed").EnumerateArray().Select(e => e.GetInt64()));
            Assert.True(since.GetProperty("by_action").GetProperty("update").GetInt32() >= 1);
            // Then, the settlement still had its old water supply.
            var now = report.GetProperty("without_water_network").GetInt32();
            var then = now + (WithoutNetwork.Contains(old) ? 1 : 0) - (WithoutNetwork.Contains(value) ? 1 : 0);
            Assert.Equal(then, since.GetProperty("then_without_water_network").GetInt32());
            Assert.Equal(report.GetProperty("totals").GetProperty("settlements").GetInt32(), since.GetProperty("then").GetProperty("settlements").GetInt32());
            Assert.Equal(report.GetProperty("totals").GetProperty("estimated_inhabitants").GetInt32(),
                since.GetProperty("then").GetProperty("estimated_inhabitants").GetInt32());
        }
        Assert.Equal(changedBefore + 1, (await ReportAsync($"municipality=nis&since={yesterday}")).GetProperty("changes_since").GetProperty("changes").GetInt32());

        // Nothing changed after tomorrow began; without since there is no change section.
        var later = await ReportAsync($"municipality=nis&since={tomorrow}");
        Assert.Equal(0, later.GetProperty("changes_since").GetProperty("changes").GetInt32());
        Assert.Equal(later.GetProperty("without_water_network").GetInt32(), later.GetProperty("changes_since").GetProperty("then_without_water_network").GetInt32());
        Assert.Equal(JsonValueKind.Null, (await ReportAsync("municipality=nis")).GetProperty("changes_since").ValueKind);
    }

    [Theory]
    [InlineData("municipality=nis&district=RS.SE.20", "municipality")]
    [InlineData("", "municipality")]
    [InlineData("as_of=2024-06-01", "municipality")]
    [InlineData("municipality=atlantis", "municipality")]
    [InlineData("district=RS.XX.99", "district")]
    [InlineData("municipality=nis&as_of=2024-02-30", "as_of")]
    [InlineData("municipality=nis&since=yesterday", "since")]
    [InlineData("municipality=nis&format=pdf", "format")]
    public async Task Bad_requests_are_a_400_naming_the_parameter(string query, string parameter)
    {
        using var client = app.Factory.CreateClient();
        var (status, problem) = await GetAsync(client, $"/api/reports/summary?{query}");
        AssertBadRequestNaming(status, problem, parameter);
    }
}
