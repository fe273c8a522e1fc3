using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Tiles;

/// <summary>ETags on layers and tiles: a repeat answers 304, and an edit changes every affected ETag.</summary>
public sealed class CachingAndTilesTests(AppFixture app) : IClassFixture<AppFixture>
{
    // Niš at zoom 7 and 12 (Web Mercator tile numbers of 21.9 E, 43.32 N).
    private const string NisTileZ7 = "/tiles/settlements/7/71/46.mvt";
    private const string NisTileZ12 = "/tiles/settlements/12/2297/1491.mvt";

    private async Task<(HttpStatusCode Status, string? ETag, byte[] Body, string? CacheControl)> GetAsync(string path, string? ifNoneMatch = null)
    {
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.ETag?.ToString(), await response.Content.ReadAsByteArrayAsync(), response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/api/layers/settlements?municipality=nis", "/api/layers/settlements?municipality=nis&water_supply=none")]
    [InlineData("/api/layers/municipalities?zoom=8", "/api/layers/municipalities?zoom=7")]
    [InlineData("/api/layers/coverage?as_of=2024-01-01", "/api/layers/coverage?as_of=2024-01-02")]
    [InlineData(NisTileZ7, NisTileZ7 + "?water_supply=none")]
    [InlineData(NisTileZ12, NisTileZ12 + "?water_supply=none")]
    public async Task A_repeat_with_the_ETag_answers_304_without_a_body(string path, string otherPath)
    {
        var (status, etag, body, cacheControl) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(etag);
        Assert.Equal("no-cache", cacheControl);
        Assert.NotEmpty(body);
        var again = await GetAsync(path, etag);
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Empty(again.Body);
        Assert.Equal(etag, again.ETag);
        // Another query is another resource, with another tag.
        var other = await GetAsync(otherPath, etag);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.NotEqual(etag, other.ETag);
    }

    [Fact]
    public async Task An_edit_changes_the_ETag_of_the_layers_and_tiles_it_affects()
    {
        var paths = new[] { "/api/layers/settlements", "/api/layers/municipalities?zoom=8", NisTileZ7, NisTileZ12 };
        var before = new Dictionary<string, string?>();
        foreach (var path in paths)
        {
            before[path] = (await GetAsync(path)).ETag;
        }
        await using (var db = app.CreateContext())
        {
            var settlement = await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).FirstAsync();
            settlement.WaterSupply = settlement.WaterSupply == WaterSupply.None ? WaterSupply.Wells : WaterSupply.None;
            await db.SaveChangesAsync();
        }
        foreach (var path in paths)
        {
            var after = await GetAsync(path, before[path]);
            Assert.Equal(HttpStatusCode.OK, after.Status);
            Assert.NotEqual(before[path], after.ETag);
        }
    }

    [Fact]
    public async Task Tiles_are_MVT_with_points_below_city_zoom_and_outlines_from_it_and_take_the_layer_filters()
    {
        var z7 = await GetAsync(NisTileZ7);
        var z12 = await GetAsync(NisTileZ12);
        // The tile is an MVT with our layer name in it; a filter narrows it.
        Assert.True(z7.Body.AsSpan().IndexOf("settlements"u8) >= 0, "the MVT names its layer 'settlements'");
        Assert.True(z12.Body.AsSpan().IndexOf("settlements"u8) >= 0);
        var filtered = await GetAsync(NisTileZ7 + "?water_supply=network");
        Assert.True(filtered.Body.Length < z7.Body.Length, "a filter leaves fewer settlements in the tile");
        var bad = await GetAsync("/tiles/settlements/7/200/46.mvt");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var unknown = await GetAsync(NisTileZ7 + "?colour=red");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
    }
}
