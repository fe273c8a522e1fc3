using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.MapPage;

/// <summary>GET /api/config: what the page builds its filters, labels and notice from.</summary>
public sealed class MapConfigTests(AppFixture app) : IClassFixture<AppFixture>
{
    // About something else than who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    private async Task<JsonElement> ConfigAsync()
    {
        using var client = app.Factory.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/config", UriKind.Relative))).RootElement.Clone();
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetProperty("value").GetString()!)];

    [Fact]
    public async Task The_closed_lists_are_the_stored_enum_values_in_order()
    {
        var lists = (await ConfigAsync()).GetProperty("lists");
        Assert.Equal(EnumText.Values<WaterSupply>(), Strings(lists.GetProperty("water_supply")));
        Assert.Equal(EnumText.Values<Electricity>(), Strings(lists.GetProperty("electricity")));
        Assert.Equal(EnumText.Values<YesNo>(), Strings(lists.GetProperty("yes_no")));
        Assert.Equal(["unknown", "brick_block", "mixed", "makeshift"], Strings(lists.GetProperty("building_material")));
        Assert.Equal(10, lists.EnumerateObject().Count());
    }

    [Fact]
    public async Task Every_enumerated_settlement_attribute_names_a_served_list()
    {
        var config = await ConfigAsync();
        var lists = config.GetProperty("lists").EnumerateObject().Select(p => p.Name).ToHashSet();
        var attributes = config.GetProperty("attributes").EnumerateArray().Where(a => a.GetProperty("type").GetString() == "enum")
            .ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("list").GetString()!);
        var enumProperties = typeof(Settlement).GetProperties().Where(p => p.PropertyType.IsEnum).ToList();
        Assert.Equal(enumProperties.Count, attributes.Count);
        Assert.All(attributes, a => Assert.Contains(a.Value, lists));
        Assert.Equal("yes_no", attributes["eviction_threat"]);
    }

    [Fact]
    public async Task The_data_notice_comes_in_the_three_languages_and_tests_run_without_a_base_map()
    {
        var config = await ConfigAsync();
        var notice = config.GetProperty("data_notice");
        Assert.StartsWith("Demo data", notice.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Demo podaci", notice.GetProperty("sr-Latn").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Демо подаци", notice.GetProperty("sr-Cyrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, config.GetProperty("base_layer").ValueKind);
    }
}
