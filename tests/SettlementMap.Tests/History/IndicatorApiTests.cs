using System.Net;
using System.Text;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.History;

/// <summary>
/// GET /api/history/indicators: the series of a small history of known dates (<see cref="IndicatorHistory"/>),
/// computed over settlements_as_of at each date; the dates' forms and bounds; the CSV.
/// </summary>
public sealed class IndicatorApiTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    /// <summary>About the figures, not who sees what: every attribute public, nothing generalised.</summary>
    public async Task InitializeAsync()
    {
        await EverythingPublic.ApplyAsync(app);
        await IndicatorHistory.BuildAsync(app);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] Units = ["settlements", "inhabitants", "percent"];

    private async Task<JsonElement> SeriesAsync(string query)
    {
        using var client = app.Factory.CreateClient();
        return await GetOkAsync(client, "/api/history/indicators?" + query);
    }

    internal static double?[] Values(JsonElement answer, string id)
    {
        var series = answer.GetProperty("indicators").EnumerateArray().SingleOrDefault(s => s.GetProperty("id").GetString() == id);
        Assert.True(series.ValueKind == JsonValueKind.Object, $"no series {id}");
        return [.. series.GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())];
    }

    [Fact]
    public async Task A_municipalitys_series_follow_its_history_date_by_date()
    {
        var answer = await SeriesAsync($"municipality={IndicatorHistory.MunicipalityA}&dates={IndicatorHistory.Dates}");
        Assert.Equal("municipality", answer.GetProperty("area").GetProperty("kind").GetString());
        Assert.Equal(IndicatorHistory.Dates.Split(','), answer.GetProperty("dates").EnumerateArray().Select(d => d.GetString()));
        // Before the first survey: nothing; A2 deleted on 2004-01-01; A1's water network from 2003-05-01.
        Assert.Equal([0, 2, 2, 2, 1], Values(answer, "settlements"));
        Assert.Equal([null, 400, 400, 400, 300], Values(answer, "estimated_inhabitants"));
        Assert.Equal([null, 50.0, 50.0, 100.0, 100.0], Values(answer, "water_network_settlements"));
        Assert.Equal([null, 25.0, 25.0, 100.0, 100.0], Values(answer, "water_network_inhabitants"));
        Assert.Equal([null, 50.0, 50.0, 50.0, 0.0], Values(answer, "sewer_network_settlements"));
        Assert.Equal([null, 25.0, 25.0, 25.0, 0.0], Values(answer, "legal_electricity_inhabitants"));
        Assert.Equal([null, 50.0, 50.0, 50.0, 0.0], Values(answer, "legalised_settlements"));
        Assert.Equal([null, 30.0, 30.0, 30.0, 50.0], Values(answer, "substandard_mean"));
        Assert.Equal([null, 30.0, 30.0, 30.0, 50.0], Values(answer, "substandard_median"));
        // The coordinator from 2002-01-01 (coverage's valid_from), the base being municipalities with settlements.
        Assert.Equal([null, 0.0, 100.0, 100.0, 100.0], Values(answer, "coverage_municipalities:coordinator"));
        Assert.Equal([null, 0.0, 100.0, 100.0, 100.0], Values(answer, "coverage_settlements:coordinator"));
        Assert.Equal([null, 0.0, 0.0, 0.0, 0.0], Values(answer, "coverage_municipalities:health_mediator"));
    }

    [Fact]
    public async Task A_districts_series_add_up_its_municipalities_and_coverage_counts_on_their_base()
    {
        var answer = await SeriesAsync($"district={IndicatorHistory.District}&dates={IndicatorHistory.Dates}");
        Assert.Equal([0, 2, 3, 3, 2], Values(answer, "settlements"));
        Assert.Equal([null, 400, 450, 450, 350], Values(answer, "estimated_inhabitants"));
        Assert.Equal([null, 50.0, 33.3, 66.7, 50.0], Values(answer, "water_network_settlements"));
        Assert.Equal([null, 25.0, 22.2, 88.9, 85.7], Values(answer, "water_network_inhabitants"));
        Assert.Equal([null, 30.0, 30.0, 30.0, 40.0], Values(answer, "substandard_median"));
        // In 2002 ind-b has a settlement but no coordinator: one municipality of two, two settlements of three.
        Assert.Equal([null, 0.0, 50.0, 50.0, 50.0], Values(answer, "coverage_municipalities:coordinator"));
        Assert.Equal([null, 0.0, 66.7, 66.7, 50.0], Values(answer, "coverage_settlements:coordinator"));
    }

    [Fact]
    public async Task Serbia_at_a_date_counts_the_settlements_existing_then_as_the_as_of_layer_does()
    {
        var answer = await SeriesAsync($"dates=2002-12-31");
        Assert.Equal("country", answer.GetProperty("area").GetProperty("kind").GetString());
        Assert.Null(answer.GetProperty("area").GetProperty("code").GetString());
        using var client = app.Factory.CreateClient();
        var layer = await GetOkAsync(client, "/api/layers/settlements?as_of=2002-12-31");
        Assert.Equal(layer.GetProperty("features").GetArrayLength(), (int)Values(answer, "settlements")[0]!.Value);
        Assert.True(Values(answer, "settlements")[0] >= 3);
    }

    [Fact]
    public async Task From_to_and_step_give_the_dates_with_the_last_one_included()
    {
        var answer = await SeriesAsync($"municipality={IndicatorHistory.MunicipalityA}&from=2001-01-01&to=2003-06-30&step=year");
        Assert.Equal(["2001-01-01", "2002-01-01", "2003-01-01", "2003-06-30"], answer.GetProperty("dates").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal([0, 2, 2, 2], Values(answer, "settlements"));
        Assert.Equal([null, 50.0, 50.0, 100.0], Values(answer, "water_network_settlements"));
        var months = await SeriesAsync($"municipality={IndicatorHistory.MunicipalityA}&from=2003-01-01&to=2003-06-01&step=month");
        Assert.Equal(6, months.GetProperty("dates").GetArrayLength());
        // Without dates: every 1 January from 2016 and today.
        var standard = await SeriesAsync($"municipality={IndicatorHistory.MunicipalityA}");
        var dates = standard.GetProperty("dates").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Equal("2016-01-01", dates[0]);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), dates[^1]);
        Assert.Equal([1.0], Values(standard, "settlements").Distinct());
    }

    [Theory]
    [InlineData("dates=2016-13-01", "dates")]
    [InlineData("dates=2016-01-01,yesterday", "dates")]
    [InlineData("dates=1899-12-31", "dates")]
    [InlineData("dates=2999-01-01", "dates")]
    [InlineData("dates=2016-01-01&from=2016-01-01", "dates")]
    [InlineData("from=2020-01-01&to=2019-01-01", "to")]
    [InlineData("from=2020-01-01&to=2999-01-01", "to")]
    [InlineData("from=1990-01-01&to=2020-01-01&step=month", "step")]
    [InlineData("from=2019-01-01&step=week", "step")]
    [InlineData("from=2019-1-1", "from")]
    [InlineData("municipality=no-such-place", "municipality")]
    [InlineData("district=RS.XX.99", "district")]
    [InlineData("municipality=nis&district=RS.SE.20", "district")]
    [InlineData("format=xlsx", "format")]
    [InlineData("format=csv&lang=de", "lang")]
    [InlineData("as_of=2019-01-01", "as_of")]
    public async Task Bad_input_is_a_400_naming_the_field(string query, string field)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/history/indicators?" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {body.RootElement}");
    }

    [Fact]
    public async Task Forty_dates_are_answered_and_forty_one_refused()
    {
        var forty = string.Join(',', Enumerable.Range(0, 40).Select(i => new DateOnly(1980, 1, 1).AddMonths(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        var answer = await SeriesAsync($"municipality={IndicatorHistory.MunicipalityA}&dates={forty}");
        Assert.Equal(40, answer.GetProperty("dates").GetArrayLength());
        Assert.All(answer.GetProperty("indicators").EnumerateArray(), s => Assert.Equal(40, s.GetProperty("values").GetArrayLength()));
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/history/indicators?dates={forty},2000-01-01", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_csv_has_a_row_per_date_labelled_headers_in_the_language_and_the_json_figures()
    {
        var json = await SeriesAsync($"municipality={IndicatorHistory.MunicipalityA}&dates={IndicatorHistory.Dates}");
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(
            $"/api/history/indicators?municipality={IndicatorHistory.MunicipalityA}&dates={IndicatorHistory.Dates}&format=csv&lang=sr-Latn", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("indicators-ind-a-2000-12-31-2004-12-31.csv", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).TrimEnd().Split("\r\n");
        Assert.Equal(1 + 5, lines.Length);
        var header = lines[0];
        Assert.StartsWith("Datum,Naselja,Procenjen broj stanovnika,Naselja sa vodovodom (%)", header, StringComparison.Ordinal);
        Assert.Contains("Pokrivene opštine: Koordinator za romska pitanja (%)", header, StringComparison.Ordinal);
        Assert.EndsWith(",Područje", header, StringComparison.Ordinal);
        // Labels with a comma are quoted (RFC 4180): count the fields outside quotes.
        Assert.Equal(json.GetProperty("indicators").GetArrayLength() + 2, System.Text.RegularExpressions.Regex.Split(header, ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)").Length);
        Assert.StartsWith("2003-12-31,2,400,100,100,", lines[4], StringComparison.Ordinal);
        Assert.EndsWith(",Indikatori A", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("2000-12-31,0,,,", lines[1], StringComparison.Ordinal);

        // Cyrillic: the kind's name put into the label in its own script.
        var cyrillic = await client.GetStringAsync(new Uri(
            $"/api/history/indicators?municipality={IndicatorHistory.MunicipalityA}&dates=2003-12-31&format=csv&lang=sr-Cyrl", UriKind.Relative));
        Assert.Contains("Покривене општине: Координатор за ромска питања (%)", cyrillic, StringComparison.Ordinal);
        Assert.DoesNotContain("{", cyrillic, StringComparison.Ordinal);
        Assert.Contains("Индикатори А", cyrillic, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_indicator_has_a_label_in_three_languages_and_a_unit()
    {
        var answer = await SeriesAsync($"municipality={IndicatorHistory.MunicipalityA}&dates=2003-12-31");
        foreach (var series in answer.GetProperty("indicators").EnumerateArray())
        {
            foreach (var language in Web.Text.Label.Languages)
            {
                var text = series.GetProperty("label").GetProperty(language).GetString();
                Assert.False(string.IsNullOrWhiteSpace(text));
                Assert.DoesNotContain("{", text, StringComparison.Ordinal);
                Assert.DoesNotContain("indicator.", text, StringComparison.Ordinal);
            }
            Assert.Contains(series.GetProperty("unit").GetString(), Units);
        }
    }
}
