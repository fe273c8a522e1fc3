using SettlementMap.Tests.History;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.Reports;

/// <summary>The report's as_of dates its settlements too (history); without it the report reads the settlements as they are.</summary>
public sealed class ReportAsOfTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await EverythingPublic.ApplyAsync(app);
        await IndicatorHistory.BuildAsync(app);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(null, 1, 300)]
    [InlineData("2000-12-31", 0, 0)]
    [InlineData("2002-12-31", 2, 400)]
    [InlineData("2004-12-31", 1, 300)]
    public async Task The_settlement_figures_are_those_of_the_end_of_the_as_of_day(string? asOf, int settlements, int inhabitants)
    {
        using var client = app.Factory.CreateClient();
        var report = await GetOkAsync(client, $"/api/reports/summary?municipality={IndicatorHistory.MunicipalityA}" + (asOf is null ? "" : "&as_of=" + asOf));
        Assert.Equal(settlements, report.GetProperty("totals").GetProperty("settlements").GetInt32());
        Assert.Equal(inhabitants, report.GetProperty("totals").GetProperty("estimated_inhabitants").GetInt32());
        Assert.Equal(settlements, report.GetProperty("settlements").GetArrayLength());
        if (asOf == "2002-12-31")
        {
            // A1 still without the water network it got in 2003, A2 (deleted in 2004) still there.
            Assert.Equal(1, report.GetProperty("without_water_network").GetInt32());
            Assert.Equal(["IND-A1", "IND-A2"], report.GetProperty("settlements").EnumerateArray().Select(s => s.GetProperty("code").GetString()).Order());
        }
    }
}
