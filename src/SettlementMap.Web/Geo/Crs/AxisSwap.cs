using NetTopologySuite.Geometries;

namespace SettlementMap.Web.Geo.Crs;

/// <summary>Swaps every coordinate's X and Y in place: between a CRS's own axis order and x/y (easting or longitude first).</summary>
public sealed class AxisSwap : ICoordinateSequenceFilter
{
    public static readonly AxisSwap Instance = new();

    private AxisSwap()
    {
    }

    public bool Done => false;

    public bool GeometryChanged => true;

    public void Filter(CoordinateSequence seq, int i)
    {
        ArgumentNullException.ThrowIfNull(seq);
        var x = seq.GetX(i);
        seq.SetX(i, seq.GetY(i));
        seq.SetY(i, x);
    }
}
