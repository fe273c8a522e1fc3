using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NetTopologySuite.Geometries;

namespace SettlementMap.Web.Geo.Crs;

/// <summary>
/// The CRSs we serve (OGC API – Features Part 2) and conversion between them and CRS84, the
/// longitude/latitude WGS 84 our data is stored in. Within Serbia results agree with PostGIS
/// <c>ST_Transform</c> to 1 µm, and to 4.5 mm for EPSG:3909, whose datum shift goes through ProjNet's
/// geocentric → geodetic conversion (Toms' single-step method, 4.6 mm off in latitude here);
/// see tests/SettlementMap.Tests/Geo/Crs.
/// </summary>
/// <remarks>
/// Coordinates follow each CRS's own axis order: EPSG:4326 latitude, longitude; EPSG:3909
/// northing, easting (EPSG coordinate system 4530); CRS84 and the other projected CRSs
/// longitude/easting first. Geometries come back as new objects of the same type with the SRID
/// set to the EPSG code (4326 for CRS84). Outside a CRS's area of use the numbers are whatever
/// the projection gives (EPSG:3857 is infinite at the poles); callers check what they need.
/// </remarks>
public static class CrsRegistry
{
    public const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const string EpsgUriPrefix = "http://www.opengis.net/def/crs/EPSG/0/";

    public static SupportedCrs Crs84 { get; } = new(Crs84Uri, null, "WGS 84 longitude/latitude (CRS84)", FirstAxisIsNorthing: false);

    /// <summary>CRS84, EPSG:4326, EPSG:3857, EPSG:32634, EPSG:3909, EPSG:8682, in this order.</summary>
    public static IReadOnlyList<SupportedCrs> All { get; } =
    [
        Crs84,
        Epsg(4326, "WGS 84", firstAxisIsNorthing: true),
        Epsg(3857, "WGS 84 / Pseudo-Mercator", firstAxisIsNorthing: false),
        Epsg(32634, "WGS 84 / UTM zone 34N", firstAxisIsNorthing: false),
        Epsg(3909, "MGI 1901 / Balkans zone 7", firstAxisIsNorthing: true),
        Epsg(8682, "SRB_ETRS89 / UTM zone 34N", firstAxisIsNorthing: false),
    ];

    private static readonly Dictionary<SupportedCrs, CrsTransform> Transforms = All.ToDictionary(crs => crs, crs => CrsDefinitions.Create(crs.Epsg));

    private static readonly Dictionary<string, SupportedCrs> Spellings = All
        .SelectMany(crs => SpellingsOf(crs).Select(spelling => (spelling, crs)))
        .ToDictionary(p => p.spelling, p => p.crs, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Accepts the OGC URI (http://www.opengis.net/def/crs/EPSG/0/3857, the CRS84 URI, also https),
    /// "EPSG:3857", and a bare "3857" (case-insensitive, surrounding white space ignored); returns
    /// false for anything else.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SupportedCrs? crs)
    {
        crs = null;
        return text is not null && Spellings.TryGetValue(text.Trim(), out crs);
    }

    /// <summary>Lon/lat (CRS84) → the CRS, coordinates in that CRS's axis order; SRID set to its EPSG code.</summary>
    public static Geometry FromCrs84(Geometry lonLat, SupportedCrs target)
    {
        ArgumentNullException.ThrowIfNull(lonLat);
        var transform = TransformOf(target);
        return CrsTransform.Convert(lonLat, transform.Factory, transform.FromCrs84);
    }

    /// <summary>The CRS's coordinates (in its axis order) → lon/lat CRS84, SRID 4326.</summary>
    public static Geometry ToCrs84(Geometry geometry, SupportedCrs source)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var transform = TransformOf(source);
        return CrsTransform.Convert(geometry, Transforms[Crs84].Factory, transform.ToCrs84);
    }

    /// <summary>One lon/lat pair → (first, second) in the target's axis order.</summary>
    public static (double First, double Second) FromCrs84(double lon, double lat, SupportedCrs target) =>
        TransformOf(target).FromCrs84(lon, lat);

    /// <summary>One (first, second) pair in the source's axis order → lon/lat.</summary>
    public static (double Lon, double Lat) ToCrs84(double first, double second, SupportedCrs source) =>
        TransformOf(source).ToCrs84(first, second);

    private static SupportedCrs Epsg(int code, string name, bool firstAxisIsNorthing) =>
        new(EpsgUriPrefix + code.ToString(CultureInfo.InvariantCulture), code, name, firstAxisIsNorthing);

    private static IEnumerable<string> SpellingsOf(SupportedCrs crs)
    {
        yield return crs.Uri;
        yield return "https://" + crs.Uri["http://".Length..];
        if (crs.Epsg is { } code)
        {
            var digits = code.ToString(CultureInfo.InvariantCulture);
            yield return "EPSG:" + digits;
            yield return digits;
        }
    }

    private static CrsTransform TransformOf(SupportedCrs crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        return Transforms.TryGetValue(crs, out var transform)
            ? transform
            : throw new ArgumentException($"{crs.Uri} is not a CRS we serve (see CrsRegistry.All).", nameof(crs));
    }
}
