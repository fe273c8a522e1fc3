using NetTopologySuite;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems.Transformations;

namespace SettlementMap.Web.Geo.Crs;

/// <summary>
/// WGS 84 longitude/latitude to and from one CRS, in that CRS's axis order. The ProjNet transforms
/// (null for the geographic CRSs) work easting/longitude first; the swap puts northing/latitude first.
/// </summary>
internal sealed class CrsTransform(int srid, bool swapAxes, MathTransform? fromWgs84, MathTransform? toWgs84)
{
    public int Srid { get; } = srid;

    public GeometryFactory Factory { get; } = NtsGeometryServices.Instance.CreateGeometryFactory(srid);

    public (double First, double Second) FromCrs84(double lon, double lat)
    {
        double x = lon, y = lat;
        fromWgs84?.Transform(ref x, ref y);
        return swapAxes ? (y, x) : (x, y);
    }

    public (double Lon, double Lat) ToCrs84(double first, double second)
    {
        var (x, y) = swapAxes ? (second, first) : (first, second);
        toWgs84?.Transform(ref x, ref y);
        return (x, y);
    }

    /// <summary>A copy of the geometry in <paramref name="factory"/> (so with its SRID), every coordinate converted; Z and M kept.</summary>
    public static Geometry Convert(Geometry geometry, GeometryFactory factory, Func<double, double, (double, double)> convert)
    {
        // CreateGeometry copies every coordinate sequence: the input stays untouched.
        var copy = factory.CreateGeometry(geometry);
        copy.Apply(new ConvertingFilter(convert));
        return copy;
    }

    private sealed class ConvertingFilter(Func<double, double, (double, double)> convert) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = convert(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
