using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Coverage.Overlay;
using static SettlementMap.Tests.History.IndicatorApiTests;

namespace SettlementMap.Tests.History;

/// <summary>
/// The indicators through Disclosure: electricity made "signed in", legal status "administrators only", small-number
/// generalisation on (threshold 100). An indicator on an attribute the viewer does not see in every municipality of
/// the area is left out; inhabitant-weighted figures count only the estimates the viewer sees (not ind-b's 50).
/// </summary>
public sealed class IndicatorDisclosureTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await EverythingPublic.ApplyAsync(app);
        await Disclosures.SetLevelAsync(app, "electricity", "signed_in");
        await Disclosures.SetLevelAsync(app, "legal_status", "administrators");
        await Disclosures.GeneraliseAsync(app, true);
        await IndicatorHistory.BuildAsync(app);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> SeriesAsync(string role, string query)
    {
        using var client = await Restricted.ClientAsync(app, role);
        return await GetOkAsync(client, "/api/history/indicators?" + query);
    }

    private static List<string> Ids(JsonElement answer) => [.. answer.GetProperty("indicators").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private const string District = $"district={IndicatorHistory.District}&dates={IndicatorHistory.Dates}";

    [Fact]
    public async Task The_public_gets_no_hidden_attribute_and_no_generalised_settlements_inhabitants()
    {
        var answer = await SeriesAsync("anonymous", District);
        var ids = Ids(answer);
        Assert.DoesNotContain(ids, id => id.StartsWith("legal_electricity", StringComparison.Ordinal) || id.StartsWith("legalised", StringComparison.Ordinal));
        Assert.Contains("water_network_settlements", ids);
        // Counts of settlements are public; ind-b's 50 inhabitants (fewer than 100) are not counted anywhere.
        Assert.Equal([0, 2, 3, 3, 2], Values(answer, "settlements"));
        Assert.Equal([null, 400, 400, 400, 300], Values(answer, "estimated_inhabitants"));
        Assert.Equal([null, 25.0, 25.0, 100.0, 100.0], Values(answer, "water_network_inhabitants"));
        using var client = await Restricted.ClientAsync(app, "anonymous");
        var csv = await client.GetStringAsync(new Uri("/api/history/indicators?format=csv&lang=sr-Latn&" + District, UriKind.Relative));
        Assert.Contains("Naselja sa vodovodom", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("struj", csv, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("legaliz", csv, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_administrator_gets_every_indicator_and_every_estimate()
    {
        var answer = await SeriesAsync("administrator", District);
        Assert.Equal([null, 50.0, 33.3, 33.3, 0.0], Values(answer, "legalised_settlements"));
        Assert.Equal([null, 25.0, 22.2, 22.2, 0.0], Values(answer, "legal_electricity_inhabitants"));
        Assert.Equal([null, 400, 450, 450, 350], Values(answer, "estimated_inhabitants"));
        Assert.Equal([null, 25.0, 22.2, 88.9, 85.7], Values(answer, "water_network_inhabitants"));
    }

    [Fact]
    public async Task A_coordinator_gets_an_administrators_attribute_only_for_an_area_of_their_own()
    {
        var elsewhere = Ids(await SeriesAsync("coordinator", District));
        Assert.Contains("legal_electricity_settlements", elsewhere);
        Assert.DoesNotContain("legalised_settlements", elsewhere);
        var own = Ids(await SeriesAsync("coordinator", "municipality=nis&dates=2026-01-01"));
        Assert.Contains("legalised_settlements", own);
        var serbia = Ids(await SeriesAsync("coordinator", "dates=2026-01-01"));
        Assert.DoesNotContain("legalised_settlements", serbia);
    }
}
