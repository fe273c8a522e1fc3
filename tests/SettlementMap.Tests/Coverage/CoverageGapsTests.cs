using System.Net;
using System.Text;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.Coverage;

/// <summary>
/// GET /api/coverage/gaps over the hand-made fixture (see <see cref="CoverageFiguresFixture"/>): the municipalities
/// with settlements lacking a kind, counted by hand, and always the figures' own "not covered" numbers.
/// </summary>
public sealed class CoverageGapsTests(CoverageFiguresFixture fixture) : IClassFixture<CoverageFiguresFixture>
{
    private const string Day = "2024-03-15";

    private static List<(string Code, int Settlements, long? Inhabitants, string[] Missing)> Rows(JsonElement table) =>
        [.. table.GetProperty("municipalities").EnumerateArray().Select(r => (
            r.GetProperty("code").GetString()!, r.GetProperty("settlements").GetInt32(),
            r.GetProperty("estimated_inhabitants").ValueKind == JsonValueKind.Null ? (long?)null : r.GetProperty("estimated_inhabitants").GetInt64(),
            r.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToArray()))];

    [Fact]
    public async Task Each_kind_lists_the_municipalities_with_settlements_lacking_it_most_inhabitants_first()
    {
        using var client = fixture.Factory.CreateClient();
        // delta has no settlements: outside the base, never listed though it has no health mediator.
        var coordinator = await GetOkAsync(client, $"/api/coverage/gaps?kind=coordinator&as_of={Day}");
        Assert.Equal(3, coordinator.GetProperty("base_municipalities").GetInt32());
        Assert.Equal([("beta", 2, (long?)120, "coordinator")], Rows(coordinator).Select(r => (r.Code, r.Settlements, r.Inhabitants, string.Join(",", r.Missing))));
        var mediator = await GetOkAsync(client, $"/api/coverage/gaps?kind=health_mediator&as_of={Day}");
        Assert.Equal(["gama"], Rows(mediator).Select(r => r.Code));
        // pedagogical assistants: gama's count is 0, so nobody has one; alfa's unknown estimate is left out of its sum.
        var assistants = await GetOkAsync(client, $"/api/coverage/gaps?kind=pedagogical_assistant&as_of={Day}");
        Assert.Equal([("gama", 1000L), ("alfa", 300L), ("beta", 120L)], Rows(assistants).Select(r => (r.Code, r.Inhabitants!.Value)));
        var programme = await GetOkAsync(client, $"/api/coverage/gaps?kind=programme:test_prog&as_of={Day}");
        Assert.Equal(["gama", "alfa"], Rows(programme).Select(r => r.Code));

        var first = mediator.GetProperty("municipalities")[0];
        Assert.Equal("Gama", first.GetProperty("name_latn").GetString());
        Assert.Equal("Гама", first.GetProperty("name_cyrl").GetString());
        Assert.Equal("Drugi", first.GetProperty("district_name_latn").GetString());
        Assert.Equal("Други", first.GetProperty("district_name_cyrl").GetString());
        Assert.Equal("Second", first.GetProperty("district_name_en").GetString());
    }

    [Fact]
    public async Task The_gap_lists_the_layers_gap_municipalities_with_what_each_misses()
    {
        using var client = fixture.Factory.CreateClient();
        var gap = await GetOkAsync(client, $"/api/coverage/gaps?kind=gap&as_of={Day}");
        Assert.Equal(["coordinator", "health_mediator"], gap.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        var rows = Rows(gap);
        Assert.Equal([("gama", "health_mediator"), ("beta", "coordinator")], rows.Select(r => (r.Code, string.Join(",", r.Missing))));
        var layer = await LayerAsync(client, Day);
        Assert.Equal(layer.Where(l => l.Value.GetProperty("gap").GetBoolean()).Select(l => l.Key).Order(), rows.Select(r => r.Code).Order());
        foreach (var row in rows)
        {
            Assert.Equal(GapMissing(layer[row.Code]), row.Missing);
            Assert.Equal(layer[row.Code].GetProperty("gap_inhabitants").GetInt64(), row.Inhabitants);
        }
    }

    [Theory]
    [InlineData("2024-03-15")]
    [InlineData("2019-06-01")]
    [InlineData("2031-01-01")]
    public async Task Every_kinds_table_counts_what_the_figures_count_as_not_covered(string day)
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, day);
        foreach (var kind in figures.GetProperty("kinds").EnumerateArray().Select(k => k.GetProperty("key").GetString()!))
        {
            var table = await GetOkAsync(client, $"/api/coverage/gaps?kind={kind}&as_of={day}");
            var figure = FigureOf(figures, kind);
            var rows = Rows(table);
            Assert.Equal(figure.MunicipalitiesNotCovered, rows.Count);
            Assert.Equal(figure.MunicipalitiesCovered + figure.MunicipalitiesNotCovered, table.GetProperty("base_municipalities").GetInt32());
            Assert.Equal(figure.SettlementsNotCovered, rows.Sum(r => r.Settlements));
            Assert.Equal(figure.PopulationNotCovered, rows.Sum(r => r.Inhabitants ?? 0));
        }
    }

    [Fact]
    public async Task The_csv_is_labelled_in_the_chosen_language_with_names_in_its_script()
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/coverage/gaps?kind=gap&as_of={Day}&format=csv&lang=sr-Cyrl", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("coverage-without-gap-2024-03-15.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "Општина,Округ,Насеља,Процењен број становника,Недостаје,Шифра општине",
                "Гама,Други,1,1000,Здравствене медијаторке,gama",
                "Бета,Први,2,120,Координатор за ромска питања,beta",
            ], lines);

        using var english = await client.GetAsync(new Uri($"/api/coverage/gaps?kind=programme:test_prog&as_of={Day}&format=csv", UriKind.Relative));
        var text = await english.Content.ReadAsStringAsync();
        Assert.Equal(
            [
                "Municipality,District,Settlements,Estimated inhabitants,Missing,Municipality code",
                "Gama,Second,1,1000,Test programme,gama",
                "Alfa,First,3,300,Test programme,alfa",
            ], text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("", "kind")]
    [InlineData("kind=", "kind")]
    [InlineData("kind=nobody", "kind")]
    [InlineData("kind=programme:nothing", "kind")]
    [InlineData("kind=coordinator&format=xlsx", "format")]
    [InlineData("kind=coordinator&format=csv&lang=de", "lang")]
    [InlineData("kind=coordinator&as_of=2024-13-01", "as_of")]
    [InlineData("kind=coordinator&district=TS.D1", "district")]
    public async Task Bad_input_is_a_400_naming_the_parameter(string query, string parameter)
    {
        using var client = fixture.Factory.CreateClient();
        var (status, problem) = await GetAsync(client, "/api/coverage/gaps?" + query);
        AssertBadRequestNaming(status, problem, parameter);
    }

    [Fact]
    public async Task A_kind_of_any_length_is_refused_without_being_echoed()
    {
        using var client = fixture.Factory.CreateClient();
        var kind = new string('x', 5000);
        var (status, problem) = await GetAsync(client, "/api/coverage/gaps?kind=" + kind);
        AssertBadRequestNaming(status, problem, "kind");
        Assert.DoesNotContain(kind, problem.GetRawText(), StringComparison.Ordinal);
    }
}
