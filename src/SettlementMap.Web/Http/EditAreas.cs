namespace SettlementMap.Web.Http;

/// <summary>Where one version of the settlements layer changed: a box in EPSG:3857 (settlement_edit_areas).</summary>
public readonly record struct EditArea(long Version, double MinX, double MinY, double MaxX, double MaxY);

/// <summary>A Web Mercator tile's box in EPSG:3857, widened by a margin, to test edits against.</summary>
public readonly record struct TileArea(double MinX, double MinY, double MaxX, double MaxY)
{
    private const double WorldHalf = 20037508.342789244;

    /// <summary>
    /// Tile z/x/y with two point cells of margin (1/8 of the tile) on each side: a tile's content
    /// depends on the settlements in it, plus what is drawn across its edge (8 pixels of a point's
    /// buffer, 4 of an outline's) and the winners of the point cells it touches, each cell a
    /// sixteenth of the tile wide. Two cells cover all of it.
    /// </summary>
    public static TileArea ForTile(int z, int x, int y)
    {
        var size = 2 * WorldHalf / (1L << z);
        var margin = 2 * size / Features.Tiles.TileSql.PointCellsPerTile;
        var minX = -WorldHalf + (x * size);
        var maxY = WorldHalf - (y * size);
        return new TileArea(minX - margin, maxY - size - margin, minX + size + margin, maxY + margin);
    }

    public bool Intersects(EditArea area) => area.MinX <= MaxX && area.MaxX >= MinX && area.MinY <= MaxY && area.MaxY >= MinY;
}

/// <summary>The log of edited areas, newest last, and the version everything before it is folded into.</summary>
/// <param name="Areas">Ordered by version.</param>
/// <param name="Floor">The version before the oldest logged one: a tile untouched since has this content.</param>
public sealed record EditAreaLog(EditArea[] Areas, long Floor)
{
    /// <summary>
    /// The settlements version a tile's content was last changed at: the newest logged edit that
    /// reaches it, else the floor. A tile's ETag built on it stays the same across edits elsewhere.
    /// </summary>
    public long VersionFor(TileArea tile)
    {
        for (var i = Areas.Length - 1; i >= 0; i--)
        {
            if (tile.Intersects(Areas[i]))
            {
                return Areas[i].Version;
            }
        }
        return Floor;
    }

    /// <summary>The log as read: the floor is the version before the oldest entry, or the current version when none is logged.</summary>
    public static EditAreaLog From(List<EditArea> areas, long currentVersion) =>
        new([.. areas], areas.Count > 0 ? areas[0].Version - 1 : currentVersion);
}
