using System.Net;
using System.Text;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Import.Hostile;

/// <summary>The app with a 1 MB memory budget and 1,000 rows an import, so tests exceed them cheaply.</summary>
public sealed class SmallBudgetFixture(IMessageSink messageSink) : IAsyncLifetime
{
    public AppFixture App { get; } = new(messageSink, new Dictionary<string, string> { ["Import:MaxMemoryMegabytes"] = "1", ["Import:MaxRows"] = "1000" });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>The app with no time for an import at all.</summary>
public sealed class NoTimeFixture(IMessageSink messageSink) : IAsyncLifetime
{
    public AppFixture App { get; } = new(messageSink, new Dictionary<string, string> { ["Import:MaxSeconds"] = "0" });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>
/// The budgets of ImportLimits through the HTTP API: an import over its memory, row or time budget
/// ends in a 422 problem whose title names the limit and whose detail names the file; a file_name
/// that is not one plain name is a 400 naming file_name, never a 500.
/// </summary>
public sealed class ImportBudgetApiTests(SmallBudgetFixture fixture) : IClassFixture<SmallBudgetFixture>
{
    private static string Collection(int features, int textLength)
    {
        var text = new string('x', textLength);
        var json = new StringBuilder("""{"type":"FeatureCollection","features":[""");
        for (var i = 0; i < features; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"sifra\":\"BUD-").Append(i).Append("\",\"napomena\":\"").Append(text).Append("\"}}");
        }

        return json.Append("]}").ToString();
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a.csv/..")]
    [InlineData("../../etc/passwd.csv")]
    [InlineData("folder/a.csv")]
    [InlineData("C:\\Users\\a.csv")]
    [InlineData("a\0.csv")]
    [InlineData("a\u0001.csv")]
    [InlineData(" a.csv")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_file_name_that_is_not_one_plain_name_is_a_400_naming_file_name(string fileName)
    {
        using var admin = await Edits.ClientAsync(fixture.App, Edits.Admin);

        var answer = await ImportSteps.UploadAsync(admin, fileName, "{}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.True(answer.Json.GetProperty("errors").TryGetProperty("file_name", out _), answer.Json.ToString());
    }

    [Fact]
    public async Task An_overlong_file_name_is_a_400_naming_file_name()
    {
        using var admin = await Edits.ClientAsync(fixture.App, Edits.Admin);

        var answer = await ImportSteps.UploadAsync(admin, new string('a', 201) + ".csv", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("at most 200", answer.Json.GetProperty("errors").GetProperty("file_name")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_holding_more_than_the_memory_budget_at_once_end_the_import_with_a_422_naming_the_limit_and_the_file()
    {
        var detail = await ExceededAsync(fixture.App, "heavy.geojson", Collection(400, 3000), "memory");

        Assert.StartsWith("heavy.geojson: Rows 1 to ", detail, StringComparison.Ordinal);
        Assert.Contains("more than the 1 MB one import may hold at once", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_more_rows_than_allowed_ends_with_a_422_naming_the_row_limit()
    {
        var detail = await ExceededAsync(fixture.App, "many.geojson", Collection(1001, 1), "rows");

        Assert.Equal("many.geojson: The file has more than 1,000 rows, more than one import may have. Split it into smaller files.", detail);
    }

    /// <summary>Uploads as the administrator, expects the 422 whose title names <paramref name="limit"/>, and returns its detail.</summary>
    internal static async Task<string> ExceededAsync(AppFixture app, string fileName, string file, string limit)
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var answer = await ImportSteps.UploadAsync(admin, fileName, file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal($"The import exceeds its {limit} limit.", answer.Json.GetProperty("title").GetString());
        return answer.Json.GetProperty("detail").GetString()!;
    }
}

/// <summary>An import past its time budget ends with a 422 naming the time limit and the file.</summary>
public sealed class ImportTimeBudgetApiTests(NoTimeFixture fixture) : IClassFixture<NoTimeFixture>
{
    [Fact]
    public async Task An_import_over_its_time_budget_ends_with_a_422_naming_the_time_limit_and_the_file()
    {
        var detail = await ImportBudgetApiTests.ExceededAsync(fixture.App, "slow.geojson", """{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"sifra":"T-1"}}]}""", "time");

        Assert.StartsWith("slow.geojson: Importing slow.geojson took longer than the 0 s", detail, StringComparison.Ordinal);
    }
}
