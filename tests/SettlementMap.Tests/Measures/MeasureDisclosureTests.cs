using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Sensitivity;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Measures;

/// <summary>
/// Budgets follow who-sees-what: absent (not null) for viewers below their level, in lists, single reads and history;
/// coordinators see their own municipalities' at any level; an administrator's change of the level applies at once.
/// </summary>
public sealed class MeasureDisclosureTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Budgets_are_absent_for_the_public_and_shown_to_signed_in_accounts_until_the_level_changes()
    {
        using var anonymous = app.Factory.CreateClient();
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        using var admin = await ClientAsync(app, Admin);
        var created = await CreateMeasureAsync(coordinator, WaterMeasure(await PlanOfAsync(app, "nis"), []));
        var url = $"/api/measures/{created.Id}";

        var seen = await ReadAsync(anonymous, url);
        Assert.Equal(HttpStatusCode.OK, seen.Status);
        Assert.False(seen.Body.TryGetProperty("budget", out _));
        Assert.DoesNotContain("12500000", seen.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("no-cache", (await anonymous.GetAsync(new Uri(url, UriKind.Relative))).Headers.CacheControl?.ToString());
        var list = await ReadAsync(anonymous, "/api/measures?municipality=nis&limit=200");
        Assert.True(list.Body.GetProperty("total").GetInt32() > 0);
        Assert.All(list.Body.GetProperty("items").EnumerateArray(), m => Assert.False(m.TryGetProperty("budget", out _)));
        var history = await ReadAsync(anonymous, $"{url}/history");
        Assert.All(history.Body.EnumerateArray(), e => Assert.False(e.GetProperty("changes").TryGetProperty("budget", out _)));

        Assert.Equal(12_500_000.5m, (await ReadAsync(admin, url)).Body.GetProperty("budget").GetProperty("amount").GetDecimal());
        Assert.True((await ReadAsync(coordinator, $"{url}/history")).Body[0].GetProperty("changes").TryGetProperty("budget", out _));

        // Administrators only: a coordinator still sees Niš's own budgets, and no longer another municipality's.
        Assert.Equal(HttpStatusCode.Forbidden, (await RequestAsync(coordinator, HttpMethod.Put, "/api/measures/budget-level", new { level = "public" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(admin, HttpMethod.Put, "/api/measures/budget-level", new { level = "administrators" })).Status);
        Assert.True((await ReadAsync(coordinator, url)).Body.TryGetProperty("budget", out _));
        var elsewhere = await ReadAsync(coordinator, "/api/measures?municipality=zvezdara");
        Assert.NotEmpty(elsewhere.Body.GetProperty("items").EnumerateArray());
        Assert.All(elsewhere.Body.GetProperty("items").EnumerateArray(), m => Assert.False(m.TryGetProperty("budget", out _)));
        Assert.Equal("administrators", (await ReadAsync(anonymous, "/api/measures/lists")).Body.GetProperty("budget_level").GetString());

        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(admin, HttpMethod.Put, "/api/measures/budget-level", new { level = "public" })).Status);
        Assert.Equal("RSD", (await ReadAsync(anonymous, url)).Body.GetProperty("budget").GetProperty("currency").GetString());
        Assert.Equal(["level"], (await RequestAsync(admin, HttpMethod.Put, "/api/measures/budget-level", new { level = "everyone" })).Fields);
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(admin, HttpMethod.Put, "/api/measures/budget-level", new { level = "signed_in" })).Status);
        Assert.False((await ReadAsync(anonymous, url)).Body.TryGetProperty("budget", out _));
    }

    /// <summary>legal_status is for signed-in users by default: a measure aiming at it would tell the public it is not legalised.</summary>
    [Fact]
    public async Task A_target_whose_attribute_the_viewer_may_not_see_is_absent_from_the_measure_and_its_history()
    {
        using var anonymous = app.Factory.CreateClient();
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var body = WaterMeasure(await PlanOfAsync(app, "nis"), await SettlementsOfAsync(app, "nis", 1));
        (body["target_attribute"], body["target_value"]) = ("legal_status", "legalised");
        var created = await CreateMeasureAsync(coordinator, body);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("legalised", created.Body.GetProperty("target_value").GetString());

        var seen = await ReadAsync(anonymous, $"/api/measures/{created.Id}");
        Assert.False(seen.Body.TryGetProperty("target_attribute", out _));
        Assert.False(seen.Body.TryGetProperty("target_value", out _));
        Assert.DoesNotContain("legal", seen.Body.GetRawText(), StringComparison.Ordinal);
        var history = await ReadAsync(anonymous, $"/api/measures/{created.Id}/history");
        Assert.DoesNotContain("legal", history.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("legalised", (await ReadAsync(coordinator, $"/api/measures/{created.Id}/history")).Body.GetRawText(), StringComparison.Ordinal);
        // A water target stays public.
        var water = await ReadAsync(anonymous, "/api/measures?municipality=nis&limit=200");
        Assert.Contains(water.Body.GetProperty("items").EnumerateArray(), m => m.TryGetProperty("target_attribute", out var a) && a.GetString() == "water_supply");
    }

    [Fact]
    public async Task The_lists_label_every_value_in_three_languages_and_name_the_attributes_a_measure_may_aim_at()
    {
        using var anonymous = app.Factory.CreateClient();
        var lists = (await ReadAsync(anonymous, "/api/measures/lists")).Body;
        Assert.Equal(["housing", "education", "employment", "health", "social_protection", "access_to_rights"],
            lists.GetProperty("lists").GetProperty("priority_area").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        Assert.Equal("у току", lists.GetProperty("lists").GetProperty("measure_status")[1].GetProperty("label").GetProperty("sr-Cyrl").GetString());
        var attributes = lists.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal("water_supply", attributes["water_supply"].GetProperty("list").GetString());
        Assert.False(attributes.ContainsKey("area_m2"));
        Assert.False(attributes.ContainsKey("id"));
        Assert.False(attributes.ContainsKey("name_latn"));
        Assert.True(attributes.ContainsKey("distance_to_primary_school_m"));
    }
}

/// <summary>The budgets' SQL mask (MeasureBudgets.Sql): sums over the demo data as each viewer may see them.</summary>
public sealed class MeasureBudgetSqlTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<(decimal? Everywhere, decimal? Nis)> SumsAsync(Viewer viewer)
    {
        var shown = new Disclosure(DisclosurePolicy.Defaults, viewer);
        var amount = MeasureBudgets.Sql(shown, "m.budget_amount");
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT sum({amount}), sum({amount}) FILTER (WHERE mu.code = 'nis') FROM measures m JOIN action_plans p ON p.id = m.action_plan_id " +
            "JOIN municipalities mu ON mu.id = p.municipality_id WHERE m.currency = 'RSD'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.IsDBNull(0) ? null : reader.GetDecimal(0), reader.IsDBNull(1) ? null : reader.GetDecimal(1));
    }

    [Fact]
    public async Task The_public_sums_nothing_a_coordinator_their_own_municipality_s_and_signed_in_accounts_everything()
    {
        await using var db = app.CreateContext();
        var nisId = await db.Municipalities.Where(m => m.Code == "nis").Select(m => m.Id).SingleAsync();
        var admin = await SumsAsync(Viewer.Administrator("admin"));
        Assert.True(admin.Everywhere > admin.Nis && admin.Nis > 0);
        Assert.Equal((null, null), await SumsAsync(Viewer.Anonymous));
        // The default level is signed_in: a coordinator sees them all; at administrators, only Niš's.
        var coordinator = new Viewer(Clearance.SignedIn, new HashSet<int> { nisId }, "coord-nis");
        Assert.Equal(admin, await SumsAsync(coordinator));
        var strict = new Disclosure(
            DisclosurePolicy.Defaults with
            {
                Levels = new Dictionary<string, Clearance>
                {
                    [MeasureBudgets.LevelKey] = Clearance.Administrators,
                },
            }, coordinator);
        Assert.Equal($"CASE WHEN p.municipality_id IN ({nisId}) THEN m.budget_amount END", MeasureBudgets.Sql(strict, "m.budget_amount"));
    }
}
