using NetTopologySuite.Geometries;

namespace SettlementMap.Web.Geo.Crs;

/// <summary>
/// Coordinates in GIS x/y order (longitude or easting first), as shapefiles, GeoPackages and WKT in
/// CSV from QGIS and GDAL hold them, whatever the CRS's own axis order (EPSG:4326 and EPSG:3909 list
/// latitude/northing first), to and from CRS84: the importer reads files in this order, the exports
/// write it. <see cref="CrsRegistry"/> itself works in each CRS's own order.
/// </summary>
public static class XyOrder
{
    /// <summary>Lon/lat (CRS84) → the CRS in x/y order; SRID set to its EPSG code (4326 for CRS84).</summary>
    public static Geometry FromCrs84(Geometry lonLat, SupportedCrs crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var geometry = CrsRegistry.FromCrs84(lonLat, crs);
        if (crs.FirstAxisIsNorthing)
        {
            geometry.Apply(AxisSwap.Instance); // FromCrs84 made a new geometry: ours to change
        }
        return geometry;
    }

    /// <summary>One lon/lat pair → (x, y) in the CRS.</summary>
    public static (double X, double Y) FromCrs84(double lon, double lat, SupportedCrs crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var (first, second) = CrsRegistry.FromCrs84(lon, lat, crs);
        return crs.FirstAxisIsNorthing ? (second, first) : (first, second);
    }

    /// <summary>A geometry in the CRS in x/y order → CRS84 longitude/latitude, SRID 4326; Z and M kept.</summary>
    public static Geometry ToCrs84(Geometry xy, SupportedCrs crs)
    {
        ArgumentNullException.ThrowIfNull(xy);
        ArgumentNullException.ThrowIfNull(crs);
        return CrsRegistry.ToCrs84(crs.FirstAxisIsNorthing ? Swapped(xy) : xy, crs);
    }

    /// <summary>A copy with x and y exchanged: between x/y order and a northing-first CRS's own order.</summary>
    public static Geometry Swapped(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var swapped = geometry.Copy();
        swapped.Apply(AxisSwap.Instance);
        return swapped;
    }
}
