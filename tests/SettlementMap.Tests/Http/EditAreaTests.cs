using SettlementMap.Web.Http;

namespace SettlementMap.Tests.Http;

public sealed class EditAreaTests
{
    private const double WorldHalf = 20037508.342789244;

    [Fact]
    public void A_tile_area_is_its_Web_Mercator_box_with_an_eighth_of_the_tile_around_it()
    {
        var world = TileArea.ForTile(0, 0, 0);
        Assert.Equal(-WorldHalf * 1.25, world.MinX, 3);
        Assert.Equal(WorldHalf * 1.25, world.MaxY, 3);
        // z1 x1 y0: the north-east quarter.
        var northEast = TileArea.ForTile(1, 1, 0);
        Assert.Equal(-WorldHalf / 8, northEast.MinX, 3);
        Assert.Equal(-WorldHalf / 8, northEast.MinY, 3);
        Assert.Equal(WorldHalf * 1.125, northEast.MaxX, 3);
        Assert.Equal(WorldHalf * 1.125, northEast.MaxY, 3);
    }

    [Fact]
    public void A_tile_takes_the_version_of_the_newest_edit_that_reaches_it_else_the_floor()
    {
        var tile = TileArea.ForTile(10, 570, 369);
        var inside = new EditArea(0, tile.MinX + 10, tile.MinY + 10, tile.MinX + 20, tile.MinY + 20);
        var elsewhere = new EditArea(0, 0, 0, 10, 10);
        var log = new EditAreaLog([inside with { Version = 7 }, elsewhere with { Version = 8 }, inside with { Version = 9 }, elsewhere with { Version = 10 }], 6);
        Assert.Equal(9, log.VersionFor(tile));
        Assert.Equal(6, new EditAreaLog([elsewhere with { Version = 8 }], 6).VersionFor(tile));
        // Touching the margin counts: what is drawn across the tile's edge may have changed.
        var atMargin = new EditArea(11, tile.MaxX, tile.MaxY, tile.MaxX + 5, tile.MaxY + 5);
        Assert.Equal(11, new EditAreaLog([atMargin], 6).VersionFor(tile));
    }

    [Fact]
    public void The_floor_is_the_version_before_the_oldest_logged_edit_or_the_current_one_when_none_is()
    {
        Assert.Equal(41, EditAreaLog.From([new EditArea(42, 0, 0, 1, 1), new EditArea(43, 0, 0, 1, 1)], 43).Floor);
        Assert.Equal(17, EditAreaLog.From([], 17).Floor);
    }
}
