using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Settlements;

/// <summary>
/// One settlement's details and the search give each viewer only what they may see: hidden attributes
/// absent, a small settlement's displaced point in the public view, and tags no shared cache can mix up.
/// </summary>
public sealed class SettlementDisclosureTests(AppFixture app) : PlantedTests(app)
{
    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string? user, string path)
    {
        using var client = await Edits.ClientAsync(App, user);
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Properties(string body) => JsonDocument.Parse(body).RootElement.GetProperty("properties").Clone();

    [Fact]
    public async Task Details_leave_out_what_the_viewer_may_not_see_in_that_municipality()
    {
        var (anonymous, anonymousBody) = await GetAsync(null, Edits.Url(Planted.Own));
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.DoesNotContain("residents_without_documents", anonymousBody, StringComparison.Ordinal);
        Assert.DoesNotContain("eviction_threat", anonymousBody, StringComparison.Ordinal);
        Assert.DoesNotContain("updated_by", anonymousBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\"source\"", anonymousBody, StringComparison.Ordinal);
        Assert.DoesNotContain(Disclosures.OwnSecretText, anonymousBody, StringComparison.Ordinal);
        Assert.True(Properties(anonymousBody).TryGetProperty("water_supply", out _));

        var (_, own) = await GetAsync(Edits.CoordinatorNis, Edits.Url(Planted.Own));
        Assert.Equal(Disclosures.OwnSecret, Properties(own).GetProperty("residents_without_documents").GetInt32());
        Assert.Equal(Disclosures.OwnSecretText, Properties(own).GetProperty("source").GetString());
        var (_, other) = await GetAsync(Edits.CoordinatorNis, Edits.Url(Planted.Other));
        Assert.False(Properties(other).TryGetProperty("residents_without_documents", out _));
        Assert.DoesNotContain(Disclosures.OtherSecretText, other, StringComparison.Ordinal);
        Assert.True(Properties(other).TryGetProperty("legal_status", out _), "signed-in users see legal_status everywhere");

        var (_, admin) = await GetAsync(Edits.Admin, Edits.Url(Planted.Other));
        Assert.Equal(Disclosures.OtherSecret, Properties(admin).GetProperty("residents_without_documents").GetInt32());
        Assert.Contains(Disclosures.OtherSecretText, admin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generalised_settlements_details_are_its_displaced_point_and_fewer_than_the_threshold()
    {
        var (response, body) = await GetAsync(null, Edits.Url(Planted.Small));
        using var document = JsonDocument.Parse(body);
        var geometry = document.RootElement.GetProperty("geometry");
        Assert.Equal("Point", geometry.GetProperty("type").GetString());
        var properties = document.RootElement.GetProperty("properties");
        Assert.Equal(JsonValueKind.Null, properties.GetProperty("estimated_inhabitants").ValueKind);
        Assert.Equal(100, properties.GetProperty("estimated_inhabitants_below").GetInt32());
        Assert.False(properties.TryGetProperty("centroid_lon", out _), "the centre the point stands in for");
        Assert.False(properties.TryGetProperty("centroid_lat", out _));

        await using var db = App.CreateContext();
        var x = geometry.GetProperty("coordinates")[0].GetDouble();
        var y = geometry.GetProperty("coordinates")[1].GetDouble();
        var metres = await db.Database.SqlQuery<double>(
            $"SELECT ST_Distance(centroid::geography, ST_SetSRID(ST_MakePoint({x}, {y}), 4326)::geography) AS \"Value\" FROM settlements WHERE id = {Planted.Small}").SingleAsync();
        Assert.InRange(metres, 249, 501);
        // The same point as the layer draws.
        using var layer = JsonDocument.Parse((await GetAsync(null, "/api/layers/settlements")).Body);
        var drawn = layer.RootElement.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == Planted.Small).GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(Math.Round(x, 6), drawn[0].GetDouble());
        Assert.Equal(Math.Round(y, 6), drawn[1].GetDouble());

        // The ETag: the row version for a signed-in viewer (edits send it back), another tag for anonymous ones.
        var (signedIn, full) = await GetAsync(Edits.Admin, Edits.Url(Planted.Small));
        var version = await db.Settlements.Where(s => s.Id == Planted.Small).Select(s => s.Version).SingleAsync();
        Assert.Equal($"\"{version.ToString(CultureInfo.InvariantCulture)}\"", signedIn.Headers.ETag?.Tag);
        Assert.NotEqual(signedIn.Headers.ETag?.Tag, response.Headers.ETag?.Tag);
        Assert.True(signedIn.Headers.CacheControl?.Private);
        Assert.True(signedIn.Headers.CacheControl?.NoStore);
        Assert.Contains("Authorization", response.Headers.Vary);
        Assert.Equal("MultiPolygon", JsonDocument.Parse(full).RootElement.GetProperty("geometry").GetProperty("type").GetString());
        Assert.False(Properties(full).TryGetProperty("estimated_inhabitants_below", out _));
    }

    [Fact]
    public async Task Search_finds_a_generalised_settlement_by_name_and_zooms_to_its_displaced_point()
    {
        await using var db = App.CreateContext();
        var name = await db.Settlements.Where(s => s.Id == Planted.Small).Select(s => s.NameLatn).SingleAsync();
        async Task<double[]> BboxAsync(string? user)
        {
            using var document = JsonDocument.Parse((await GetAsync(user, "/api/search?limit=50&q=" + Uri.EscapeDataString(name))).Body);
            var result = document.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "settlement" && r.GetProperty("id").GetInt64() == Planted.Small);
            return [.. result.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble())];
        }
        var anonymous = await BboxAsync(null);
        Assert.Equal(anonymous[0], anonymous[2]);
        Assert.Equal(anonymous[1], anonymous[3]);
        using var details = JsonDocument.Parse((await GetAsync(null, Edits.Url(Planted.Small))).Body);
        var point = details.RootElement.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(Math.Round(point[0].GetDouble(), 6), anonymous[0]);
        Assert.Equal(Math.Round(point[1].GetDouble(), 6), anonymous[1]);
        var admin = await BboxAsync(Edits.Admin);
        Assert.True(admin[2] > admin[0] && admin[3] > admin[1], "an administrator zooms to the outline");
        Assert.False(admin[0] <= anonymous[0] && anonymous[0] <= admin[2] && admin[1] <= anonymous[1] && anonymous[1] <= admin[3], "the point is outside the outline's box");
    }

    [Fact]
    public async Task An_editor_gets_back_every_attribute_of_their_own_municipality_after_a_save()
    {
        using var client = await Edits.ClientAsync(App, Edits.CoordinatorNis);
        var read = await Edits.GetAsync(client, Planted.Own);
        using var saved = await Edits.PatchAsync(client, Planted.Own, Edits.Properties("water_supply", Edits.OtherWaterSupply(read.Text("water_supply"))), read.ETag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var properties = (await Edits.BodyAsync(saved)).GetProperty("properties");
        Assert.Equal(Disclosures.OwnSecret, properties.GetProperty("residents_without_documents").GetInt32());
        Assert.Equal(Disclosures.OwnSecretText, properties.GetProperty("source").GetString());
        Assert.True(properties.TryGetProperty("eviction_threat", out _));
    }
}
