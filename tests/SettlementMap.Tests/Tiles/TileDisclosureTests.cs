using System.Net;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Tiles;

/// <summary>
/// Vector tiles carry only the attributes the viewer sees, and in the public view a generalised
/// settlement is its displaced point, in the tile of that point only (decoded with <see cref="MvtReader"/>).
/// </summary>
public sealed class TileDisclosureTests(AppFixture app) : PlantedTests(app)
{
    private async Task<(byte[] Body, string? ETag)> TileAsync(string? user, string tile, string query = "")
    {
        using var client = await Edits.ClientAsync(App, user);
        using var response = await client.GetAsync(new Uri($"/tiles/settlements/{tile}.mvt{query}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.Tag);
    }

    /// <summary>"z/x/y" of the tile holding the settlement's centroid, or its <paramref name="displaced"/> point.</summary>
    private async Task<string> TileOfAsync(long id, int z, bool displaced = false)
    {
        await using var db = App.CreateContext();
        return await db.Database.SqlQuery<string>($"""
            SELECT concat_ws('/', {z}, floor((ST_X(p) + 20037508.342789244) / (40075016.68557849 / 2 ^ {z}))::int,
                floor((20037508.342789244 - ST_Y(p)) / (40075016.68557849 / 2 ^ {z}))::int) AS "Value"
            FROM (SELECT ST_Transform(CASE WHEN {displaced} THEN disclosed_point(s.id, s.centroid) ELSE s.centroid END, 3857) p FROM settlements s WHERE s.id = {id}) t
            """).SingleAsync();
    }

    private static MvtFeature? Find(byte[] tile, long id) =>
        MvtReader.Features(tile).SingleOrDefault(f => Convert.ToInt64(f.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture) == id);

    [Theory]
    [InlineData(14)]
    [InlineData(11)]
    [InlineData(8)]
    public async Task Restricted_attributes_reach_only_those_who_may_see_them(int z)
    {
        var ownTile = await TileOfAsync(Planted.Own, z);
        var otherTile = await TileOfAsync(Planted.Other, z);
        foreach (var tile in new[] { ownTile, otherTile })
        {
            var anonymous = MvtReader.Features((await TileAsync(null, tile)).Body);
            Assert.NotEmpty(anonymous);
            Assert.All(anonymous, f => Assert.False(f.Attributes.ContainsKey("residents_without_documents")));
            Assert.All(anonymous, f => Assert.False(f.Attributes.ContainsKey("legal_status")));
            Assert.All(anonymous, f => Assert.True(f.Attributes.ContainsKey("water_supply")));
        }
        // coord-nis: the value in Niš, the key without a value elsewhere (MVT leaves a null out of a feature).
        var coordinatorOwn = MvtReader.Features((await TileAsync(Edits.CoordinatorNis, ownTile)).Body);
        var coordinatorOther = MvtReader.Features((await TileAsync(Edits.CoordinatorNis, otherTile)).Body);
        Assert.DoesNotContain(coordinatorOther, f => f.Attributes.TryGetValue("residents_without_documents", out var v) && (double)v == Disclosures.OtherSecret);
        Assert.All(coordinatorOther, f => Assert.True(f.Attributes.ContainsKey("legal_status")));
        var admin = await TileAsync(Edits.Admin, otherTile);
        if (z >= 11)
        {
            // At z8 the planted settlements may lie under a larger one's point.
            Assert.Equal((double)Disclosures.OwnSecret, Find((await TileAsync(Edits.CoordinatorNis, ownTile)).Body, Planted.Own)!.Attributes["residents_without_documents"]);
            Assert.Equal((double)Disclosures.OtherSecret, Find(admin.Body, Planted.Other)!.Attributes["residents_without_documents"]);
            Assert.Contains(coordinatorOwn, f => f.Attributes.ContainsKey("residents_without_documents"));
        }
        Assert.NotEqual((await TileAsync(null, otherTile)).ETag, admin.ETag);
    }

    [Fact]
    public async Task An_outline_tile_shows_a_generalised_settlement_only_where_its_displaced_point_is()
    {
        // A zoom at which the centroid's tile and the displaced point's differ (tiles of ~300 m at z17).
        var z = 14;
        while (await TileOfAsync(Planted.Small, z) == await TileOfAsync(Planted.Small, z, displaced: true))
        {
            z++;
        }
        Assert.InRange(z, 14, 18);
        var outlineTile = await TileOfAsync(Planted.Small, z);
        var pointTile = await TileOfAsync(Planted.Small, z, displaced: true);

        // In the centroid's tile it is at most the edge of the point's marker, in the buffer beyond the tile's own area.
        var there = Find((await TileAsync(null, outlineTile)).Body, Planted.Small);
        Assert.True(there is null || (there.Type == 1 && (there.First.X is < 0 or > 4096 || there.First.Y is < 0 or > 4096)), $"drawn at {there?.First}");
        var shown = Find((await TileAsync(null, pointTile)).Body, Planted.Small);
        Assert.NotNull(shown);
        Assert.Equal(1, shown.Type);
        Assert.False(shown.Attributes.ContainsKey("estimated_inhabitants"));
        Assert.Equal(100.0, shown.Attributes["estimated_inhabitants_below"]);
        // An administrator sees the outline where it is.
        var outline = Find((await TileAsync(Edits.Admin, outlineTile)).Body, Planted.Small);
        Assert.NotNull(outline);
        Assert.Equal(3, outline.Type);
        Assert.False(outline.Attributes.ContainsKey("estimated_inhabitants_below"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?water_supply=unknown,network,wells,none")]
    public async Task A_point_tile_draws_a_generalised_settlement_at_its_displaced_point(string filter)
    {
        await using var db = App.CreateContext();
        // Every small settlement of the z11 tile that is drawn is drawn at its displaced point (±1 tile unit).
        var tile = await TileOfAsync(Planted.Small, 11);
        var parts = tile.Split('/').Select(int.Parse).ToArray();
        var features = MvtReader.Features((await TileAsync(null, tile, filter)).Body);
        var small = features.Where(f => f.Attributes.ContainsKey("estimated_inhabitants_below") && f.Attributes["estimated_inhabitants_below"] is double).ToList();
        Assert.NotEmpty(small);
        foreach (var feature in small)
        {
            var id = Convert.ToInt64(feature.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture);
            var expected = await db.Database.SqlQuery<string>($"""
                SELECT concat_ws(',', round((ST_X(p) - ST_XMin(e)) / (ST_XMax(e) - ST_XMin(e)) * 4096)::int, round((ST_YMax(e) - ST_Y(p)) / (ST_YMax(e) - ST_YMin(e)) * 4096)::int) AS "Value"
                FROM (SELECT ST_Transform(disclosed_point(s.id, s.centroid), 3857) p, ST_TileEnvelope({parts[0]}, {parts[1]}, {parts[2]}) e FROM settlements s WHERE s.id = {id}) t
                """).SingleAsync();
            var xy = expected.Split(',').Select(long.Parse).ToArray();
            Assert.InRange(feature.First.X, xy[0] - 1, xy[0] + 1);
            Assert.InRange(feature.First.Y, xy[1] - 1, xy[1] + 1);
        }
    }
}
