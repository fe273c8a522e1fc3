using System.Net;
using System.Text;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// A rejected edit gets a 4xx problem that names what is wrong, and changes nothing: not the row,
/// not its version, not the history.
/// </summary>
public sealed class EditingBadInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Square = "[[[21.9,43.3],[21.901,43.3],[21.901,43.301],[21.9,43.301],[21.9,43.3]]]";

    /// <summary>Body; expected status; the errors key that must name the problem (or null: title/detail); a fragment of its message.</summary>
    [Theory]
    [InlineData("{\"properties\": {", 400, null, "not valid JSON")]
    [InlineData("[{\"properties\": {\"water_supply\": \"none\"}}]", 400, null, "JSON object")]
    [InlineData("{\"attributes\": {\"water_supply\": \"none\"}}", 400, "attributes", "Unknown member")]
    [InlineData("{\"properties\": {\"colour\": \"red\"}}", 400, "colour", "Unknown field")]
    [InlineData("{\"properties\": {\"area_m2\": 1000}}", 400, "area_m2", "cannot be set")]
    [InlineData("{\"properties\": {\"water_supply\": 3}}", 400, "water_supply", "must be one of")]
    [InlineData("{\"properties\": {\"estimated_inhabitants\": \"12\"}}", 400, "estimated_inhabitants", "whole number")]
    [InlineData("{\"properties\": {\"estimated_inhabitants\": 1.5}}", 400, "estimated_inhabitants", "whole number")]
    [InlineData("{\"properties\": {\"substandard_share_pct\": \"x\"}}", 400, "substandard_share_pct", "must be a number")]
    [InlineData("{\"properties\": {\"substandard_share_pct\": 150}}", 400, "substandard_share_pct", "from 0 to 100")]
    [InlineData("{\"properties\": {\"estimated_inhabitants\": -1}}", 400, "estimated_inhabitants", "from 0 to 100000")]
    [InlineData("{\"properties\": {\"decade_founded\": 1975}}", 400, "decade_founded", "decade")]
    [InlineData("{\"properties\": {\"water_supply\": \"river\"}}", 400, "water_supply", "unknown, network, wells, none")]
    [InlineData("{\"properties\": {\"name_latn\": \"\"}}", 400, "name_latn", "required")]
    [InlineData("{\"properties\": {\"estimated_inhabitants\": 10, \"households\": 20}}", 400, "households", "cannot exceed estimated_inhabitants")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3,100],[21.901,43.3,100],[21.901,43.301,100],[21.9,43.3,100]]]}}", 400, "geometry", "3D")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:3857\"}}, \"coordinates\": " + Square + "}}", 400, "geometry", "crs")]
    [InlineData("{\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:4326\"}}, \"properties\": {\"water_supply\": \"none\"}}", 400, "crs", "crs member is not accepted")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3],[21.901,43.301],[21.901,43.3],[21.9,43.301],[21.9,43.3]]]}}", 400, "geometry", "not a valid polygon")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3],[21.901,43.3],[21.9,43.3]]]}}", 400, "geometry", "at least 4")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3],[21.901,43.3],[21.901,43.301],[21.9,43.301]]]}}", 400, "geometry", "not closed")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[200,43.3],[200.001,43.3],[200.001,43.301],[200,43.3]]]}}", 400, "geometry", "out of range")]
    [InlineData("{\"geometry\": {\"type\": \"Point\", \"coordinates\": [21.9,43.3]}}", 400, "geometry", "Polygon or MultiPolygon, not Point")]
    public async Task A_rejected_PATCH_names_the_problem_and_changes_nothing(string body, int status, string? field, string message)
    {
        var id = await DemoIdAsync(app, "nis", 1);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(client, id, body, before.ETag);

        await AssertProblemAsync(response, status, field, message);
        await AssertUnchangedAsync(client, before, changes);
    }

    [Fact]
    public async Task An_outline_outside_the_settlements_municipality_is_rejected()
    {
        var id = await DemoIdAsync(app, "nis", 2);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(client, id, WithGeometry(Shifted(before.Geometry, 0, 1)), before.ETag);

        await AssertProblemAsync(response, 400, "geometry", "not inside the municipality of");
        await AssertUnchangedAsync(client, before, changes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_1_MiB_gets_413_with_or_without_Content_Length(bool chunked)
    {
        var id = await DemoIdAsync(app, "nis", 3);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);
        var bytes = Encoding.UTF8.GetBytes(Properties("source", new string('x', 1024 * 1024 + 10)));
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(Url(id), UriKind.Relative));
        request.Headers.TryAddWithoutValidation("If-Match", before.ETag);
        request.Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(Json);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, 413, null, "too large");
        await AssertUnchangedAsync(client, before, changes);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_JSON_by_its_content_type_gets_415(string mediaType)
    {
        var id = await DemoIdAsync(app, "nis", 4);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await SendAsync(client, HttpMethod.Patch, Url(id), Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))),
            before.ETag, mediaType);

        await AssertProblemAsync(response, 415, null, mediaType);
        await AssertUnchangedAsync(client, before, changes);
    }

    [Fact]
    public async Task An_edit_of_an_unknown_settlement_gets_404()
    {
        using var client = await ClientAsync(app, Admin);
        var changes = await ChangeCountAsync(app);

        using var response = await PatchAsync(client, 987654321, Properties("water_supply", "none"), "\"1\"");

        await AssertProblemAsync(response, 404, null, "987654321");
        Assert.Equal(changes, await ChangeCountAsync(app));
    }

    [Theory]
    [InlineData("{\"properties\": {\"name_latn\": \"Bez obrisa\"}}", "geometry", "needs its outline")]
    [InlineData("{\"properties\": {\"name_latn\": \"Van Srbije\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[12,47],[12.001,47],[12.001,47.001],[12,47.001],[12,47]]]}}",
        "geometry", "not inside any municipality")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": " + Square + "}}", "name_latn", "needs a name")]
    [InlineData("{\"properties\": {\"name_latn\": \"Tuđe\", \"municipality_code\": \"atlantis\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": " + Square + "}}",
        "municipality_code", "atlantis")]
    public async Task A_rejected_create_names_the_problem_and_adds_nothing(string body, string field, string message)
    {
        using var client = await ClientAsync(app, Admin);
        var changes = await ChangeCountAsync(app);
        var settlements = await SettlementCountAsync(app, "nis");

        using var response = await Edits.CreateAsync(client, body);

        await AssertProblemAsync(response, 400, field, message);
        Assert.Equal(changes, await ChangeCountAsync(app));
        Assert.Equal(settlements, await SettlementCountAsync(app, "nis"));
    }

    [Theory]
    [InlineData("{\"change_id\": 987654321}", "change_id", "history")]
    [InlineData("{\"change\": 1}", null, "unknown field")]
    [InlineData("{}", "change_id", "history")]
    public async Task A_rejected_restore_names_the_problem_and_changes_nothing(string body, string? field, string message)
    {
        var id = await DemoIdAsync(app, "nis", 5);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);
        var changes = await ChangeCountAsync(app);

        using var response = await SendAsync(client, HttpMethod.Post, $"{Url(id)}/restore", body, before.ETag);

        await AssertProblemAsync(response, 400, field, message);
        await AssertUnchangedAsync(client, before, changes);
    }

    [Fact]
    public async Task A_valid_edit_right_after_rejected_ones_is_saved()
    {
        var id = await DemoIdAsync(app, "nis", 6);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        foreach (var bad in new[] { "{\"properties\": {", "{\"properties\": {\"water_supply\": \"river\"}}" })
        {
            using var rejected = await PatchAsync(client, id, bad, before.ETag);
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        }
        var value = OtherWaterSupply(before.Text("water_supply"));

        using var response = await PatchAsync(client, id, Properties("water_supply", value), before.ETag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(value, await WaterSupplyAsync(app, id));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string? field, string message)
    {
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await BodyAsync(response);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (field is null)
        {
            var text = $"{problem.GetProperty("title").GetString()} {(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : "")}";
            Assert.Contains(message, text, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"errors names {field}: {problem}");
            var messages = errors.GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
        }
    }

    private async Task AssertUnchangedAsync(HttpClient client, SettlementRead before, int changes)
    {
        var id = before.Feature.GetProperty("id").GetInt64();
        var after = await GetAsync(client, id);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.Text("water_supply"), after.Text("water_supply"));
        Assert.True(JsonElement.DeepEquals(before.Geometry, after.Geometry));
        Assert.Equal(before.Text("water_supply"), await WaterSupplyAsync(app, id));
        Assert.Equal(changes, await ChangeCountAsync(app));
    }
}
