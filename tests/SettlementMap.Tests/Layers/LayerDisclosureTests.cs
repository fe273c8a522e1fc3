using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Layers;

/// <summary>
/// The settlements layer, its summary and the municipalities layer give each viewer only what they may
/// see: anonymous, coord-nis (in Niš and elsewhere) and an administrator, over restricted values planted
/// in this class's database, and small settlements generalised in the public view.
/// </summary>
public sealed class LayerDisclosureTests(AppFixture app) : PlantedTests(app)
{
    private async Task<(HttpStatusCode Status, string Body, string? ETag)> GetAsync(string? user, string path)
    {
        using var client = await Edits.ClientAsync(App, user);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.ETag?.Tag);
    }

    private static JsonElement Feature(string layer, long id)
    {
        using var document = JsonDocument.Parse(layer);
        return document.RootElement.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == id).Clone();
    }

    private static bool Finds(string layer, long id)
    {
        using var document = JsonDocument.Parse(layer);
        return document.RootElement.GetProperty("features").EnumerateArray().Any(f => f.GetProperty("id").GetInt64() == id);
    }

    [Theory]
    [InlineData("/api/layers/settlements")]
    [InlineData("/api/layers/settlements?zoom=10")]
    public async Task Anonymous_viewers_get_no_restricted_key_or_value(string path)
    {
        var (status, body, _) = await GetAsync(null, path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("residents_without_documents", body, StringComparison.Ordinal);
        Assert.DoesNotContain("eviction_threat", body, StringComparison.Ordinal);
        Assert.DoesNotContain("legal_status", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"source\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-", body, StringComparison.Ordinal);
        // Public attributes are still there.
        Assert.Contains("\"water_supply\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_sees_restricted_values_in_their_own_municipality_only()
    {
        var (_, body, _) = await GetAsync(Edits.CoordinatorNis, "/api/layers/settlements");
        var own = Feature(body, Planted.Own).GetProperty("properties");
        Assert.Equal(Disclosures.OwnSecret, own.GetProperty("residents_without_documents").GetInt32());
        Assert.Equal(Disclosures.OwnSecretText, own.GetProperty("source").GetString());
        // Elsewhere the column is there (one shape for the page) but masked.
        var other = Feature(body, Planted.Other).GetProperty("properties");
        Assert.Equal(JsonValueKind.Null, other.GetProperty("residents_without_documents").ValueKind);
        Assert.Equal(JsonValueKind.Null, other.GetProperty("source").ValueKind);
        Assert.DoesNotContain(Disclosures.OtherSecretText, body, StringComparison.Ordinal);
        // legal_status is for signed-in users: everywhere.
        Assert.NotEqual(JsonValueKind.Null, other.GetProperty("legal_status").ValueKind);
    }

    [Fact]
    public async Task An_administrator_sees_everything_and_outlines()
    {
        var (_, body, _) = await GetAsync(Edits.Admin, "/api/layers/settlements");
        Assert.Equal(Disclosures.OtherSecret, Feature(body, Planted.Other).GetProperty("properties").GetProperty("residents_without_documents").GetInt32());
        Assert.Contains(Disclosures.OtherSecretText, body, StringComparison.Ordinal);
        Assert.Contains(Disclosures.OwnSecretText, body, StringComparison.Ordinal);
        var small = Feature(body, Planted.Small);
        Assert.Equal("MultiPolygon", small.GetProperty("geometry").GetProperty("type").GetString());
        Assert.False(small.GetProperty("properties").TryGetProperty("estimated_inhabitants_below", out _));
    }

    [Theory]
    [InlineData("/api/layers/settlements?eviction_threat=yes", "eviction_threat")]
    [InlineData("/api/layers/settlements?legal_status=legalised", "legal_status")]
    [InlineData("/api/layers/settlements/summary?electricity=legal", "electricity")]
    [InlineData("/api/layers/settlements/summary?theme=legal_status", "theme")]
    [InlineData("/api/layers/settlements/summary?theme=electricity", "theme")]
    public async Task A_filter_or_theme_on_a_hidden_attribute_is_refused_naming_it(string path, string parameter)
    {
        var (status, body, _) = await GetAsync(null, path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), body);
        // Signed in, the same request is answered.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Edits.Admin, path)).Status);
    }

    [Fact]
    public async Task A_generalised_settlement_is_its_displaced_point_found_only_by_it()
    {
        var (_, layer, _) = await GetAsync(null, "/api/layers/settlements");
        var small = Feature(layer, Planted.Small);
        var geometry = small.GetProperty("geometry");
        Assert.Equal("Point", geometry.GetProperty("type").GetString());
        var x = geometry.GetProperty("coordinates")[0].GetDouble();
        var y = geometry.GetProperty("coordinates")[1].GetDouble();
        var properties = small.GetProperty("properties");
        Assert.Equal(JsonValueKind.Null, properties.GetProperty("estimated_inhabitants").ValueKind);
        Assert.Equal(100, properties.GetProperty("estimated_inhabitants_below").GetInt32());

        // Between half the radius and the radius from the true centroid (6 decimals: ±0.1 m).
        await using var db = App.CreateContext();
        var metres = await db.Database.SqlQuery<double>(
            $"SELECT ST_Distance(centroid::geography, ST_SetSRID(ST_MakePoint({x}, {y}), 4326)::geography) AS \"Value\" FROM settlements WHERE id = {Planted.Small}").SingleAsync();
        Assert.InRange(metres, 249, 501);

        // The same point at the next request, by another URL (so not a cached copy), simplified or not.
        var (_, again, _) = await GetAsync(null, "/api/layers/settlements?zoom=14");
        var repeated = Feature(again, Planted.Small).GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(x, repeated[0].GetDouble());
        Assert.Equal(y, repeated[1].GetDouble());

        // A box around the true outline that leaves the point out does not find it; one around the point does.
        var box = await db.Database.SqlQuery<string>(
            $"SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) AS \"Value\" FROM (SELECT ST_Expand(ST_Envelope(geom), 0.00005) e FROM settlements WHERE id = {Planted.Small}) b").SingleAsync();
        Assert.False(Finds((await GetAsync(null, "/api/layers/settlements?bbox=" + box)).Body, Planted.Small));
        Assert.True(Finds((await GetAsync(Edits.Admin, "/api/layers/settlements?bbox=" + box)).Body, Planted.Small));
        var around = string.Create(CultureInfo.InvariantCulture, $"{x - 0.0001},{y - 0.0001},{x + 0.0001},{y + 0.0001}");
        Assert.True(Finds((await GetAsync(null, "/api/layers/settlements?bbox=" + around)).Body, Planted.Small));
    }

    [Fact]
    public async Task The_response_cache_never_gives_the_administrators_bytes_to_an_anonymous_request()
    {
        const string path = "/api/layers/settlements?municipality=nis";
        var admin = await GetAsync(Edits.Admin, path);
        var adminAgain = await GetAsync(Edits.Admin, path);
        Assert.Equal(admin.Body, adminAgain.Body);
        Assert.Contains(Disclosures.OwnSecretText, admin.Body, StringComparison.Ordinal);
        var anonymous = await GetAsync(null, path);
        Assert.NotEqual(admin.ETag, anonymous.ETag);
        Assert.DoesNotContain(Disclosures.OwnSecretText, anonymous.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("residents_without_documents", anonymous.Body, StringComparison.Ordinal);
        var coordinator = await GetAsync(Edits.CoordinatorNis, path);
        Assert.NotEqual(admin.ETag, coordinator.ETag);
        Assert.NotEqual(anonymous.ETag, coordinator.ETag);
    }

    [Fact]
    public async Task The_summary_counts_only_what_the_viewer_sees()
    {
        await Disclosures.SetLevelAsync(App, "water_supply", "administrators");
        try
        {
            var (_, anonymous, _) = await GetAsync(null, "/api/layers/settlements/summary");
            Assert.DoesNotContain("without_water", anonymous, StringComparison.Ordinal);
            var (_, coordinator, _) = await GetAsync(Edits.CoordinatorNis, "/api/layers/settlements/summary");
            using var document = JsonDocument.Parse(coordinator);
            var withWater = document.RootElement.GetProperty("municipalities").EnumerateArray()
                .Where(m => m.TryGetProperty("without_water", out _)).Select(m => m.GetProperty("code").GetString()).ToList();
            Assert.Equal(["nis"], withWater);
            Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(null, "/api/layers/settlements/summary?theme=water_supply")).Status);

            // The coordinator's theme counts the values of Niš; elsewhere they are unknown to them.
            await using var db = App.CreateContext();
            var nisKnown = await db.Settlements.CountAsync(s => s.Municipality!.Code == "nis" && s.WaterSupply != Web.Data.WaterSupply.Unknown);
            var all = await db.Settlements.CountAsync();
            var (_, theme, _) = await GetAsync(Edits.CoordinatorNis, "/api/layers/settlements/summary?theme=water_supply");
            using var counted = JsonDocument.Parse(theme);
            var classes = counted.RootElement.GetProperty("classes");
            Assert.Equal(all - nisKnown, classes.GetProperty("unknown").GetInt64());
            Assert.Equal(nisKnown, classes.EnumerateObject().Where(c => c.Name != "unknown").Sum(c => c.Value.GetInt64()));
        }
        finally
        {
            await Disclosures.SetLevelAsync(App, "water_supply", "public");
        }
    }

    [Fact]
    public async Task Sums_of_estimates_leave_out_generalised_settlements_in_the_public_view()
    {
        await using var db = App.CreateContext();
        var code = await db.Settlements.Where(s => s.Id == Planted.Small).Select(s => s.Municipality!.Code).SingleAsync();
        var large = await db.Settlements.Where(s => s.Municipality!.Code == code && s.EstimatedInhabitants >= 100).SumAsync(s => (long?)s.EstimatedInhabitants) ?? 0;
        var everyone = await db.Settlements.Where(s => s.Municipality!.Code == code).SumAsync(s => (long?)s.EstimatedInhabitants) ?? 0;
        Assert.NotEqual(large, everyone);

        using var summary = JsonDocument.Parse((await GetAsync(null, "/api/layers/settlements/summary?municipality=" + code)).Body);
        Assert.Equal(large, summary.RootElement.GetProperty("estimated_inhabitants").GetInt64());
        using var municipalities = JsonDocument.Parse((await GetAsync(null, "/api/layers/municipalities?municipality=" + code)).Body);
        var aggregate = municipalities.RootElement.GetProperty("features")[0].GetProperty("properties").GetProperty("estimated_inhabitants");
        Assert.Equal(large, aggregate.GetInt64());
        using var full = JsonDocument.Parse((await GetAsync(Edits.Admin, "/api/layers/municipalities?municipality=" + code)).Body);
        Assert.Equal(everyone, full.RootElement.GetProperty("features")[0].GetProperty("properties").GetProperty("estimated_inhabitants").GetInt64());
    }
}
