using System.Net;
using System.Text;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Import;
using Xunit.Abstractions;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.History;

/// <summary>
/// A history made by hand, relative to now (N = now):
/// alfa: A1 created 2015-01-10 by boss (administrator), never changed; A2 created 2015-01-10 by boss, updated N−100 days by
/// coord-alfa (coordinator); A3 created N−400 days by an import run by coord-alfa.
/// beta: B1 created 2019-06-01 without an audit row, updated_by "demo-loader" (no account: system); B2 created 2019-06-01 and
/// deleted 2020-01-01 (not counted). gama: no settlements (not in the answer).
/// coord-alfa keeps alfa.
/// </summary>
public sealed class FreshnessFixture(IMessageSink messageSink) : SeededAppFixture(messageSink)
{
    public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

    public long A1 { get; private set; }

    public long B1 { get; private set; }

    protected override async Task SeedAsync(SettlementMapDbContext db)
    {
        var seed = new HistorySeed(db);
        var district = new District { Code = "TS.D1", NameLatn = "Prvi", NameCyrl = "Први", NameEn = "First" };
        var alfa = seed.Municipality("alfa", "Alfa", "Алфа", district, 20.0);
        var beta = seed.Municipality("beta", "Beta", "Бета", district, 20.2);
        seed.Municipality("gama", "Gama", "Гама", district, 20.4);
        seed.Account("boss", UserRole.Administrator);
        seed.Account("coord-alfa", UserRole.Coordinator, alfa);
        await db.SaveChangesAsync();

        A1 = (await seed.CreateAsync(alfa, HistorySeed.At(2015, 1, 10), "boss", 100)).Id;
        var a2 = await seed.CreateAsync(alfa, HistorySeed.At(2015, 1, 10), "boss", 200);
        await seed.UpdateAsync(a2, Now.AddDays(-100), "coord-alfa", 250);
        await seed.CreateAsync(alfa, Now.AddDays(-400), "coord-alfa", 300, ImportRunner.AuditNotePrefix + "survey.csv (00000000-0000-0000-0000-000000000001)");
        B1 = (await seed.CreateAsync(beta, HistorySeed.At(2019, 6, 1), "demo-loader", 50, audited: false)).Id;
        var b2 = await seed.CreateAsync(beta, HistorySeed.At(2019, 6, 1), "boss", 70);
        await seed.DeleteAsync(b2, HistorySeed.At(2020, 1, 1), "boss");
    }
}

/// <summary>GET /api/history/freshness and /freshness/stale over <see cref="FreshnessFixture"/>: every figure counted by hand.</summary>
public sealed class FreshnessTests(FreshnessFixture fixture) : IClassFixture<FreshnessFixture>
{
    private string DaysAgo(int days) => fixture.Now.AddDays(-days).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Dictionary<string, JsonElement>> LayerAsync(HttpClient client, string query = "")
    {
        var body = await GetOkAsync(client, "/api/history/freshness" + query);
        Assert.Equal("FeatureCollection", body.GetProperty("type").GetString());
        return body.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("properties").GetProperty("code").GetString()!, f => f.GetProperty("properties"));
    }

    [Fact]
    public async Task Each_municipality_with_settlements_has_its_last_update_role_stale_count_and_oldest_date()
    {
        using var client = await HistorySeed.ClientAsync(fixture.Factory, "boss");
        var body = await GetOkAsync(client, "/api/history/freshness");
        Assert.Equal(730, body.GetProperty("threshold_days").GetInt32());
        var layer = body.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("properties").GetProperty("code").GetString()!, f => f);
        // gama has no settlements; B2 was deleted, so beta counts B1 only.
        Assert.Equal(["alfa", "beta"], layer.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("MultiPolygon", layer["alfa"].GetProperty("geometry").GetProperty("type").GetString());

        var alfa = layer["alfa"].GetProperty("properties");
        Assert.Equal(3, alfa.GetProperty("settlement_count").GetInt32());
        Assert.Equal(DaysAgo(100), alfa.GetProperty("last_updated").GetString());
        Assert.Equal("coordinator", alfa.GetProperty("last_updated_role").GetString());
        Assert.Equal("coord-alfa", alfa.GetProperty("last_updated_by").GetString());
        Assert.Equal(1, alfa.GetProperty("stale_count").GetInt32()); // A1 only; A3 (400 days) is within two years
        Assert.Equal("2015-01-10", alfa.GetProperty("oldest_updated").GetString());

        var beta = layer["beta"].GetProperty("properties");
        Assert.Equal(1, beta.GetProperty("settlement_count").GetInt32());
        Assert.Equal("2019-06-01", beta.GetProperty("last_updated").GetString());
        Assert.Equal("system", beta.GetProperty("last_updated_role").GetString());
        Assert.Equal("demo-loader", beta.GetProperty("last_updated_by").GetString());
        Assert.Equal(1, beta.GetProperty("stale_count").GetInt32());
    }

    [Fact]
    public async Task The_threshold_moves_the_stale_counts_and_an_import_is_put_down_to_import()
    {
        using var client = await HistorySeed.ClientAsync(fixture.Factory, "boss");
        // 365 days: A3 (400 days old) is stale too.
        Assert.Equal(2, (await LayerAsync(client, "?threshold_days=365"))["alfa"].GetProperty("stale_count").GetInt32());
        // 50 days: every settlement of alfa.
        Assert.Equal(3, (await LayerAsync(client, "?threshold_days=50"))["alfa"].GetProperty("stale_count").GetInt32());

        var rows = await StaleAsync(client, "?threshold_days=365");
        var a3 = rows.GetProperty("settlements").EnumerateArray().Single(s => s.GetProperty("last_updated").GetString() == DaysAgo(400));
        Assert.Equal("import", a3.GetProperty("last_updated_role").GetString());
        Assert.Equal("coord-alfa", a3.GetProperty("last_updated_by").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("coord-alfa")]
    public async Task Account_names_are_for_administrators_only_everyone_else_gets_the_role(string? userName)
    {
        using var client = await HistorySeed.ClientAsync(fixture.Factory, userName);
        var layer = await LayerAsync(client);
        foreach (var (code, p) in layer)
        {
            Assert.False(p.TryGetProperty("last_updated_by", out _), $"{code} names an account to {userName ?? "the public"}");
        }
        Assert.Equal("coordinator", layer["alfa"].GetProperty("last_updated_role").GetString());
        Assert.Equal(DaysAgo(100), layer["alfa"].GetProperty("last_updated").GetString());
        var csv = await CsvAsync(client, "en");
        Assert.DoesNotContain("coord-alfa", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("boss", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-loader", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_is_labelled_in_the_language_asked_with_roles_in_its_words()
    {
        using var admin = await HistorySeed.ClientAsync(fixture.Factory, "boss");
        var lines = (await CsvAsync(admin, "sr-Latn")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Opština,Okrug,Naselja,Poslednja izmena,Uloga,Nalog,Starijih od 730 dana,Bez datuma,Najstarija izmena,Šifra opštine", lines[0]);
        // The stalest first: alfa and beta have one stale settlement each, beta's last update is older.
        Assert.Equal($"Beta,Prvi,1,2019-06-01,sistem,demo-loader,1,0,2019-06-01,beta", lines[1]);
        Assert.Equal($"Alfa,Prvi,3,{DaysAgo(100)},koordinator,coord-alfa,1,0,2015-01-10,alfa", lines[2]);
        Assert.Equal(3, lines.Length);

        using var anonymous = fixture.Factory.CreateClient();
        var english = (await CsvAsync(anonymous, "en")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Municipality,District,Settlements,Last updated,Role,Older than 730 days,Undated,Oldest update,Municipality code", english[0]);
        Assert.Equal($"Alfa,First,3,{DaysAgo(100)},coordinator,1,0,2015-01-10,alfa", english[2]);
    }

    [Fact]
    public async Task A_coordinator_s_stale_list_holds_only_their_own_municipalities_an_administrator_s_all()
    {
        using var coordinator = await HistorySeed.ClientAsync(fixture.Factory, "coord-alfa");
        var own = await StaleAsync(coordinator, "");
        Assert.Equal(730, own.GetProperty("threshold_days").GetInt32());
        Assert.Equal([fixture.A1], own.GetProperty("settlements").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        var a1 = own.GetProperty("settlements")[0];
        Assert.Equal("alfa", a1.GetProperty("municipality_code").GetString());
        Assert.Equal("2015-01-10", a1.GetProperty("last_updated").GetString());
        Assert.Equal("administrator", a1.GetProperty("last_updated_role").GetString());
        Assert.False(a1.TryGetProperty("last_updated_by", out _));
        Assert.Equal(1, own.GetProperty("total").GetInt32());
        Assert.False(own.GetProperty("truncated").GetBoolean());

        using var admin = await HistorySeed.ClientAsync(fixture.Factory, "boss");
        var all = await StaleAsync(admin, "");
        // The oldest first.
        Assert.Equal([fixture.A1, fixture.B1], all.GetProperty("settlements").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        Assert.Equal("boss", all.GetProperty("settlements")[0].GetProperty("last_updated_by").GetString());

        using var anonymous = fixture.Factory.CreateClient();
        using var refused = await anonymous.GetAsync(new Uri("/api/history/freshness/stale", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("/api/history/freshness?threshold_days=0", "threshold_days")]
    [InlineData("/api/history/freshness?threshold_days=36501", "threshold_days")]
    [InlineData("/api/history/freshness?threshold_days=two", "threshold_days")]
    [InlineData("/api/history/freshness?format=xlsx", "format")]
    [InlineData("/api/history/freshness?lang=de", "lang")]
    [InlineData("/api/history/freshness?zoom=99", "zoom")]
    [InlineData("/api/history/freshness?as_of=2020-01-01", "as_of")]
    [InlineData("/api/history/freshness/stale?threshold_days=-5", "threshold_days")]
    public async Task Bad_parameters_are_a_400_naming_the_field(string url, string field)
    {
        using var client = await HistorySeed.ClientAsync(fixture.Factory, "coord-alfa");
        var (status, problem) = await GetAsync(client, url);
        AssertBadRequestNaming(status, problem, field);
    }

    private static Task<JsonElement> StaleAsync(HttpClient client, string query) => GetOkAsync(client, "/api/history/freshness/stale" + query);

    private static async Task<string> CsvAsync(HttpClient client, string lang)
    {
        using var response = await client.GetAsync(new Uri($"/api/history/freshness?format=csv&lang={lang}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
    }
}
