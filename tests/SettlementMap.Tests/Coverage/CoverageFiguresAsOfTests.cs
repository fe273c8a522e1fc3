using SettlementMap.Tests.History;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using Xunit.Abstractions;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.Coverage;

/// <summary>
/// One municipality, omega, with a coordinator since 2010 and no health mediator, and settlements that come and go:
/// S1 (100 inhabitants) since 2018-01-01; S2 (200) since 2022-01-01; S3 (50) from 2018-01-01, deleted 2021-01-01;
/// S4 (400) since 2018-01-01, its estimate 400 → 40 on 2023-06-01.
/// </summary>
public sealed class CoverageHistoryFixture(IMessageSink messageSink) : SeededAppFixture(messageSink)
{
    protected override async Task SeedAsync(SettlementMapDbContext db)
    {
        var seed = new HistorySeed(db);
        var omega = seed.Municipality("omega", "Omega", "Омега", new District { Code = "TS.D9", NameLatn = "Deveti", NameCyrl = "Девети", NameEn = "Ninth" }, 21.0);
        db.Coverage.Add(new CoverageRecord { Municipality = omega, Kind = CoverageKind.Coordinator, Count = 1, ValidFrom = new DateOnly(2010, 1, 1), Source = "test" });
        await db.SaveChangesAsync();
        await seed.CreateAsync(omega, HistorySeed.At(2018, 1, 1), "test", 100);
        await seed.CreateAsync(omega, HistorySeed.At(2022, 1, 1), "test", 200);
        var s3 = await seed.CreateAsync(omega, HistorySeed.At(2018, 1, 1), "test", 50);
        await seed.DeleteAsync(s3, HistorySeed.At(2021, 1, 1), "test");
        var s4 = await seed.CreateAsync(omega, HistorySeed.At(2018, 1, 1), "test", 400);
        await seed.UpdateAsync(s4, HistorySeed.At(2023, 6, 1), "test", 40);
    }
}

/// <summary>
/// The coverage figures, gap tables and layer of a named day count the settlements of that day (a settlement created later
/// is not counted, one deleted since is, an estimate is the one of then); without as_of, today's.
/// </summary>
public sealed class CoverageFiguresAsOfTests(CoverageHistoryFixture fixture) : IClassFixture<CoverageHistoryFixture>
{
    [Theory]
    // S1, S3, S4 (400): S2 not yet, S3 not yet deleted.
    [InlineData("2020-06-01", 3, 550)]
    // S3's deletion took effect on 2021-01-01: at the end of that day it is gone.
    [InlineData("2021-01-01", 2, 500)]
    [InlineData("2022-06-01", 3, 700)]
    // S4's estimate fell to 40.
    [InlineData("2023-06-01", 3, 340)]
    public async Task Figures_of_a_day_count_the_settlements_of_that_day(string day, int settlements, long inhabitants)
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, day);
        var coordinator = FigureOf(figures, "coordinator");
        Assert.Equal(new Figure(settlements, 0, inhabitants, 0, 1, 0), coordinator);
        Assert.Equal(new Figure(0, settlements, 0, inhabitants, 0, 1), FigureOf(figures, "health_mediator"));

        var gaps = await GetOkAsync(client, $"/api/coverage/gaps?kind=health_mediator&as_of={day}");
        Assert.Equal(1, gaps.GetProperty("base_municipalities").GetInt32());
        var rows = gaps.GetProperty("municipalities").EnumerateArray().ToList();
        Assert.Single(rows);
        Assert.Equal(settlements, rows[0].GetProperty("settlements").GetInt32());
        Assert.Equal(inhabitants, rows[0].GetProperty("estimated_inhabitants").GetInt64());
        // No municipality lacks a coordinator: the base is counted on its own, of the same day.
        var none = await GetOkAsync(client, $"/api/coverage/gaps?kind=coordinator&as_of={day}");
        Assert.Empty(none.GetProperty("municipalities").EnumerateArray());
        Assert.Equal(1, none.GetProperty("base_municipalities").GetInt32());

        // The layer of that day counts the same settlements, and its gap weighs their inhabitants then.
        var layer = await GetOkAsync(client, $"/api/layers/coverage?as_of={day}");
        var omega = layer.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("code").GetString() == "omega")
            .GetProperty("properties");
        Assert.Equal(settlements, omega.GetProperty("settlement_count").GetInt32());
        Assert.Equal(inhabitants, omega.GetProperty("estimated_inhabitants").GetInt64());
        Assert.Equal(inhabitants, omega.GetProperty("gap_inhabitants").GetInt64());
    }

    [Fact]
    public async Task Before_the_first_settlement_the_base_is_empty()
    {
        using var client = fixture.Factory.CreateClient();
        var none = await GetOkAsync(client, "/api/coverage/gaps?kind=coordinator&as_of=2017-12-31");
        Assert.Equal(0, none.GetProperty("base_municipalities").GetInt32());
        Assert.Empty((await FiguresAsync(client, "2017-12-31")).GetProperty("national").EnumerateArray());
    }

    [Fact]
    public async Task Without_as_of_the_figures_count_today_s_settlements()
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await GetOkAsync(client, "/api/coverage/figures");
        // S1, S2, S4 (now 40).
        Assert.Equal(new Figure(3, 0, 340, 0, 1, 0), FigureOf(figures, "coordinator"));
    }
}
