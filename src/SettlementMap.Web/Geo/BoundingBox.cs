using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SettlementMap.Web.Geo;

/// <summary>A WGS84 lon/lat box as in RFC 7946 and OGC API bbox: minLon,minLat,maxLon,maxLat.</summary>
public readonly record struct BoundingBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    /// <summary>Parses "minLon,minLat,maxLon,maxLat"; on failure says what is wrong in words a user can act on.</summary>
    public static bool TryParse(string text, out BoundingBox box, [NotNullWhen(false)] out string? error)
    {
        box = default;
        var parts = text.Split(',');
        if (parts.Length != 4)
        {
            error = $"bbox must be four comma-separated numbers minLon,minLat,maxLon,maxLat; got {parts.Length} value(s).";
            return false;
        }
        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                error = $"bbox value {i + 1} ('{parts[i]}') is not a number (use a dot as the decimal separator).";
                return false;
            }
        }
        var (minLon, minLat, maxLon, maxLat) = (values[0], values[1], values[2], values[3]);
        if (minLon is < -180 or > 180 || maxLon is < -180 or > 180)
        {
            error = "bbox longitudes must be between -180 and 180.";
            return false;
        }
        if (minLat is < -90 or > 90 || maxLat is < -90 or > 90)
        {
            error = "bbox latitudes must be between -90 and 90.";
            return false;
        }
        if (minLon > maxLon)
        {
            error = "bbox minLon is greater than maxLon (boxes across the antimeridian are not supported).";
            return false;
        }
        if (minLat > maxLat)
        {
            error = "bbox minLat is greater than maxLat.";
            return false;
        }
        box = new BoundingBox(minLon, minLat, maxLon, maxLat);
        error = null;
        return true;
    }
}
