namespace SettlementMap.Web.Geo;

public static class Simplification
{
    public const int MaxZoom = 22;

    /// <summary>
    /// Tolerance in degrees that keeps simplification under half a screen pixel at a Web Mercator
    /// zoom level (256-px tiles): invisible on the map, far fewer vertices at low zoom.
    /// </summary>
    public static double ToleranceDegrees(int zoom) => 360.0 / (256 * Math.Pow(2, zoom)) / 2;
}
