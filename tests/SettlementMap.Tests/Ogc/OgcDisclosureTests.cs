using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Ogc;

/// <summary>
/// The OGC API honours who sees what (issue 21): items, queryables, the feature schema and filters give each
/// viewer only what they see; a hidden property is answered exactly as one that does not exist; the public
/// view's small settlements are points within the radius, found by bbox at the point only. Default levels,
/// generalisation on (500 m, under 100 inhabitants), plus <see cref="Restricted"/>.
/// </summary>
public sealed class OgcDisclosureTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const int RadiusM = 500;

    [Theory]
    [MemberData(nameof(Restricted.Roles), MemberType = typeof(Restricted))]
    public async Task Items_an_item_and_the_HTML_page_hold_only_what_the_viewer_sees(string role)
    {
        var marked = await Restricted.SetUpAsync(app);
        using var client = await Restricted.ClientAsync(app, role);
        var ids = $"{marked.OwnId},{marked.OtherId}";
        var page = await client.GetStringAsync(new Uri($"/ogc/collections/settlements/items?filter=id IN ({ids})", UriKind.Relative));
        Restricted.AssertDisclosed(role, page, "items");
        var html = await client.GetStringAsync(new Uri($"/ogc/collections/settlements/items?filter=id IN ({ids})&f=html", UriKind.Relative));
        Restricted.AssertDisclosed(role, html, "items as HTML");
        var own = await client.GetStringAsync(new Uri($"/ogc/collections/settlements/items/{marked.OwnId}", UriKind.Relative));
        Assert.Equal(role != "anonymous", own.Contains(Restricted.OwnValue, StringComparison.Ordinal));
        var other = await client.GetStringAsync(new Uri($"/ogc/collections/settlements/items/{marked.OtherId}", UriKind.Relative));
        Assert.Equal(role == "administrator", other.Contains(Restricted.OtherValue, StringComparison.Ordinal));
        // A coordinator's masked property is present and null outside their municipality.
        var properties = JsonDocument.Parse(other).RootElement.GetProperty("properties");
        Assert.Equal(role != "anonymous", properties.TryGetProperty(Restricted.Name, out var value));
        if (role == "coordinator")
        {
            Assert.Equal(JsonValueKind.Null, value.ValueKind);
        }
    }

    [Theory]
    [MemberData(nameof(Restricted.Roles), MemberType = typeof(Restricted))]
    public async Task Queryables_schema_and_API_definition_list_only_what_the_viewer_sees(string role)
    {
        await Restricted.SetUpAsync(app);
        using var client = await Restricted.ClientAsync(app, role);
        var queryables = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ogc/collections/settlements/queryables", UriKind.Relative))).RootElement.GetProperty("properties");
        var schema = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ogc/collections/settlements/schema", UriKind.Relative))).RootElement
            .GetProperty("properties");
        var itemProperties = schema.GetProperty("properties").GetProperty("properties");
        Assert.Equal(role != "anonymous", queryables.TryGetProperty(Restricted.Name, out _));
        Assert.Equal(role != "anonymous", queryables.TryGetProperty("eviction_threat", out _));
        Assert.Equal(role != "anonymous", itemProperties.TryGetProperty(Restricted.Name, out _));
        Assert.Equal(role != "anonymous", itemProperties.TryGetProperty("eviction_threat", out _));
        // The generalised view's stand-in: in the items' schema, never a queryable.
        Assert.Equal(role == "anonymous", itemProperties.TryGetProperty("estimated_inhabitants_below", out _));
        Assert.False(queryables.TryGetProperty("estimated_inhabitants_below", out _));
        Assert.Equal(role == "anonymous" ? "geometry-any" : "geometry-multipolygon", schema.GetProperty("geometry").GetProperty("format").GetString());
        foreach (var path in new[] { "/ogc/api", "/ogc/api?f=html", "/ogc/collections/settlements/queryables?f=html" })
        {
            var text = await client.GetStringAsync(new Uri(path, UriKind.Relative));
            Assert.True(text.Contains(Restricted.Name, StringComparison.Ordinal) == (role != "anonymous"), $"{path} for {role}");
        }
        var collection = await client.GetStringAsync(new Uri("/ogc/collections/settlements", UriKind.Relative));
        Assert.Equal(role == "anonymous", collection.Contains("the items are MultiPolygons and Points", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("filter={0} = 'x'")]
    [InlineData("filter=x = 1 AND {0} IS NULL")]
    [InlineData("{0}=x")]
    [InlineData("sortby={0}")]
    [InlineData("sortby=-{0}&limit=2")]
    public async Task A_hidden_property_is_answered_exactly_as_one_that_does_not_exist(string query)
    {
        await Restricted.SetUpAsync(app);
        using var client = app.Factory.CreateClient();
        async Task<(HttpStatusCode, string?, string)> AskAsync(string name)
        {
            using var response = await client.GetAsync(new Uri("/ogc/collections/settlements/items?" + string.Format(CultureInfo.InvariantCulture, query, name), UriKind.Relative));
            return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), Restricted.WithoutName(await response.Content.ReadAsStringAsync(), name));
        }
        var hidden = await AskAsync(Restricted.Name);
        var nonexistent = await AskAsync(Restricted.Nonexistent);
        Assert.Equal(HttpStatusCode.BadRequest, hidden.Item1);
        Assert.Equal(nonexistent, hidden);
        // And a default "administrators" attribute likewise.
        var eviction = await AskAsync("eviction_threat");
        var evictiom = await AskAsync("eviction_threaf");
        Assert.Equal(evictiom, eviction);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("coordinator")]
    public async Task Pages_by_cursor_are_byte_for_byte_the_features_of_one_page_as_each_viewer_sees_them(string role)
    {
        await Restricted.SetUpAsync(app);
        using var client = await Restricted.ClientAsync(app, role);
        async Task<JsonElement> PageAsync(string path) =>
            JsonDocument.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative))).RootElement.Clone();
        // Niš: the coordinator's own settlements (values unmasked) beside others, small ones generalised in the public view.
        const string query = "bbox=19,42,23,47";
        var whole = await PageAsync($"/ogc/collections/settlements/items?limit=10000&{query}");
        var expected = whole.GetProperty("features").EnumerateArray().Select(f => f.GetRawText()).ToList();
        var seen = new List<string>();
        string? path = $"/ogc/collections/settlements/items?limit=9&{query}";
        while (path is not null)
        {
            var page = await PageAsync(path);
            seen.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetRawText()));
            var next = page.GetProperty("links").EnumerateArray().FirstOrDefault(l => l.GetProperty("rel").GetString() == "next");
            path = next.ValueKind == JsonValueKind.Undefined ? null : new Uri(next.GetProperty("href").GetString()!).PathAndQuery;
        }
        Assert.True(expected.Count > 18);
        Assert.Equal(expected, seen);
        Assert.Equal(role == "coordinator", seen.Any(f => f.Contains(Restricted.OwnValue, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_coordinators_filter_compares_the_masked_value()
    {
        var marked = await Restricted.SetUpAsync(app);
        async Task<long> MatchedAsync(string role, string value)
        {
            using var client = await Restricted.ClientAsync(app, role);
            var page = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/ogc/collections/settlements/items?limit=1&filter={Restricted.Name} = '{value}'", UriKind.Relative)));
            return page.RootElement.GetProperty("numberMatched").GetInt64();
        }
        Assert.Equal(1, await MatchedAsync("coordinator", Restricted.OwnValue));
        // Kragujevac's value is null to the coordinator of Niš: a filter cannot find it out.
        Assert.Equal(0, await MatchedAsync("coordinator", Restricted.OtherValue));
        Assert.Equal(1, await MatchedAsync("administrator", Restricted.OtherValue));
        Assert.NotEqual(0, marked.OtherId);
    }

    [Fact]
    public async Task A_small_settlement_is_a_point_within_the_radius_in_the_public_view_and_found_only_there_by_bbox()
    {
        var marked = await Restricted.SetUpAsync(app);
        await using var db = app.CreateContext();
        var small = await db.Settlements.FindAsync(marked.SmallId);
        var centre = small!.Centroid!;
        using var anonymous = app.Factory.CreateClient();
        using var admin = await Restricted.ClientAsync(app, "administrator");

        var item = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri($"/ogc/collections/settlements/items/{marked.SmallId}", UriKind.Relative))).RootElement;
        var geometry = item.GetProperty("geometry");
        Assert.Equal("Point", geometry.GetProperty("type").GetString());
        var (lon, lat) = (geometry.GetProperty("coordinates")[0].GetDouble(), geometry.GetProperty("coordinates")[1].GetDouble());
        var metres = Metres(centre.X, centre.Y, lon, lat);
        Assert.InRange(metres, RadiusM / 2.0 - 5, RadiusM + 5);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("properties").GetProperty("estimated_inhabitants").ValueKind);
        Assert.Equal(100, item.GetProperty("properties").GetProperty("estimated_inhabitants_below").GetInt32());
        var adminItem = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/ogc/collections/settlements/items/{marked.SmallId}", UriKind.Relative))).RootElement;
        Assert.Equal("MultiPolygon", adminItem.GetProperty("geometry").GetProperty("type").GetString());
        Assert.False(adminItem.GetProperty("properties").TryGetProperty("estimated_inhabitants_below", out _));

        // Every generalised settlement of the page is a point; the others keep their outlines.
        var page = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/ogc/collections/settlements/items?limit=300", UriKind.Relative))).RootElement;
        foreach (var feature in page.GetProperty("features").EnumerateArray())
        {
            var properties = feature.GetProperty("properties");
            var generalised = properties.GetProperty("estimated_inhabitants_below").ValueKind == JsonValueKind.Number;
            Assert.Equal(generalised ? "Point" : "MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        }

        // A box of about 40 m around the true centre: the administrator finds the settlement there, the public view does not.
        var box = FormattableString.Invariant($"{centre.X - 0.00025},{centre.Y - 0.00018},{centre.X + 0.00025},{centre.Y + 0.00018}");
        async Task<bool> FindsAsync(HttpClient client, string bbox)
        {
            var found = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/ogc/collections/settlements/items?bbox={bbox}&limit=1000", UriKind.Relative))).RootElement;
            return found.GetProperty("features").EnumerateArray().Any(f => f.GetProperty("id").GetInt64() == marked.SmallId);
        }
        Assert.True(await FindsAsync(admin, box));
        Assert.False(await FindsAsync(anonymous, box));
        var pointBox = FormattableString.Invariant($"{lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}");
        Assert.True(await FindsAsync(anonymous, pointBox));
        // A spatial filter likewise compares the point.
        var near = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri(
            $"/ogc/collections/settlements/items?filter=S_INTERSECTS(geometry, BBOX({box})) AND id = {marked.SmallId}", UriKind.Relative))).RootElement;
        Assert.Equal(0, near.GetProperty("numberMatched").GetInt64());
    }

    [Fact]
    public async Task The_municipalities_sum_only_the_inhabitants_the_viewer_sees()
    {
        var marked = await Restricted.SetUpAsync(app);
        await using var db = app.CreateContext();
        // The municipality of a small settlement: its public sum leaves that one out.
        var code = await db.Settlements.Where(s => s.Id == marked.SmallId).Select(s => s.Municipality!.Code).SingleAsync();
        var all = await db.Settlements.Where(s => s.Municipality!.Code == code).SumAsync(s => s.EstimatedInhabitants);
        var shown = await db.Settlements.Where(s => s.Municipality!.Code == code && s.EstimatedInhabitants >= 100).SumAsync(s => s.EstimatedInhabitants);
        Assert.NotEqual(all, shown);
        async Task<int> SumAsync(HttpClient client)
        {
            var page = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/ogc/collections/municipalities/items?code={code}", UriKind.Relative))).RootElement;
            return page.GetProperty("features")[0].GetProperty("properties").GetProperty("estimated_inhabitants").GetInt32();
        }
        using var anonymous = app.Factory.CreateClient();
        using var admin = await Restricted.ClientAsync(app, "administrator");
        Assert.Equal(shown, await SumAsync(anonymous));
        Assert.Equal(all, await SumAsync(admin));
    }

    [Fact]
    public async Task A_hidden_collection_day_is_not_what_datetime_reads_the_history_is()
    {
        await Restricted.SetUpAsync(app);
        await using var db = app.CreateContext();
        // Only this test reads data_collected_on: the others of the class do not mind its level.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO attribute_levels (attribute, level, changed_by) VALUES ('data_collected_on', 'administrators', 'test')
            ON CONFLICT (attribute) DO UPDATE SET level = EXCLUDED.level
            """);
        async Task<(long Matched, JsonElement Interval, bool HasDay)> AskAsync(HttpClient client)
        {
            var page = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ogc/collections/settlements/items?limit=1&datetime=2000-01-01/..", UriKind.Relative))).RootElement;
            var collection = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ogc/collections/settlements", UriKind.Relative))).RootElement;
            var hasDay = page.GetProperty("features")[0].GetProperty("properties").TryGetProperty("data_collected_on", out _);
            return (page.GetProperty("numberMatched").GetInt64(), collection.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0].Clone(), hasDay);
        }
        using var anonymous = app.Factory.CreateClient();
        using var admin = await Restricted.ClientAsync(app, "administrator");
        // datetime is the state at an instant, the same set for every viewer; the hidden day stays out of the items.
        var (publicMatched, publicInterval, publicDay) = await AskAsync(anonymous);
        var (adminMatched, adminInterval, adminDay) = await AskAsync(admin);
        // Every settlement that existed since 2000: today's and those the demo's history deleted since.
        Assert.Equal(await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT count(DISTINCT id) FROM settlement_versions"), publicMatched);
        Assert.Equal(adminMatched, publicMatched);
        Assert.Equal(adminInterval.ToString(), publicInterval.ToString());
        Assert.False(publicDay);
        Assert.True(adminDay);
    }

    [Fact]
    public async Task A_signed_in_viewers_answers_are_private_and_the_publics_are_not()
    {
        using var anonymous = app.Factory.CreateClient();
        using var coordinator = await Restricted.ClientAsync(app, "coordinator");
        using var publicAnswer = await anonymous.GetAsync(new Uri("/ogc/collections/settlements/items?limit=1", UriKind.Relative));
        using var privateAnswer = await coordinator.GetAsync(new Uri("/ogc/collections/settlements/items?limit=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, privateAnswer.StatusCode);
        Assert.Null(publicAnswer.Headers.CacheControl);
        Assert.True(privateAnswer.Headers.CacheControl is { Private: true, NoCache: true }, privateAnswer.Headers.CacheControl?.ToString());
    }

    /// <summary>Metres between two CRS84 points (haversine; enough for "within the radius").</summary>
    private static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * 6_371_008.8 * Math.Asin(Math.Sqrt(a));
    }
}
