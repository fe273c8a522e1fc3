using System.Globalization;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace SettlementMap.Web.Geo.Crs;

/// <summary>
/// The WKT of the CRSs we serve (from PostGIS 3.3 <c>spatial_ref_sys</c>, i.e. EPSG) and the ProjNet
/// transformations between them and WGS 84 longitude/latitude, built once and reused.
/// </summary>
/// <remarks>
/// ProjNet ignores the AXIS elements: every projected CRS here is computed easting first, northing
/// second, as PostGIS stores it; <see cref="CrsTransform"/> swaps to the EPSG axis order where needed.
/// </remarks>
internal static class CrsDefinitions
{
    /// <summary>EPSG:4326 as PostGIS has it (ProjNet reads it longitude first).</summary>
    private const string Wgs84Geographic = """
        GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]
        """;

    /// <summary>
    /// EPSG:3857. Not the <c>spatial_ref_sys</c> WKT: its <c>Mercator_1SP</c> on the WGS 84 ellipsoid
    /// makes ProjNet project ellipsoidally (northings 30 km wrong at Belgrade); the spherical
    /// Popular Visualisation Pseudo-Mercator method is what EPSG:3857 is (and what PROJ does).
    /// </summary>
    private const string WebMercator = """
        PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Pseudo-Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",0],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["X",EAST],AXIS["Y",NORTH],AUTHORITY["EPSG","3857"]]
        """;

    /// <summary>EPSG:32634, verbatim from <c>spatial_ref_sys</c>.</summary>
    private const string Wgs84Utm34N = """
        PROJCS["WGS 84 / UTM zone 34N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",21],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32634"]]
        """;

    /// <summary>
    /// EPSG:8682, verbatim from <c>spatial_ref_sys</c>: GRS 1980 with a null shift to WGS 84
    /// (ETRS89 ≈ WGS 84 at the metre level, PROJ's default for this CRS too). We project CRS84
    /// longitude/latitude directly as SRB_ETRS89 ones: ProjNet would otherwise go through geocentric
    /// coordinates for the ellipsoid change, and its geocentric → geodetic step is 4.6 mm off in
    /// latitude here, for a change of 0.1 mm.
    /// </summary>
    private const string SrbEtrs89Utm34N = """
        PROJCS["SRB_ETRS89 / UTM zone 34N",GEOGCS["SRB_ETRS89",DATUM["Serbian_Spatial_Reference_System_2000",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],TOWGS84[0,0,0,0,0,0,0],AUTHORITY["EPSG","1214"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","8685"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",21],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","8682"]]
        """;

    /// <summary>
    /// EPSG:3909 from <c>spatial_ref_sys</c> with its TOWGS84 left open ({towgs84}). The stored
    /// <c>TOWGS84[682,-203,480,0,0,0,0]</c> (the 5 m "MGI 1901 to WGS 84 (1)") is not what PostGIS
    /// uses: PostGIS hands "EPSG:3909" to PROJ, which picks the best operation for the area, in
    /// Serbia EPSG:9486 (see <see cref="MgiToWgs84"/>); the old three parameters are 5–10 m off it.
    /// EPSG orders this CRS's axes northing (X), easting (Y) — coordinate system EPSG:4530.
    /// </summary>
    private const string MgiBalkans7Template = """
        PROJCS["MGI 1901 / Balkans zone 7",GEOGCS["MGI 1901",DATUM["MGI_1901",SPHEROID["Bessel 1841",6377397.155,299.1528128,AUTHORITY["EPSG","7004"]],TOWGS84[{towgs84}],AUTHORITY["EPSG","1031"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","3906"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",21],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",7500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","3909"]]
        """;

    /// <summary>
    /// WGS 84 carrying the WGS 84 → MGI 1901 shift as its "TOWGS84", so that ProjNet applies PROJ's
    /// reverse Helmert as a forward one (see <see cref="MgiToWgs84.Reverse"/>).
    /// </summary>
    private const string Wgs84ShiftedToMgiTemplate = """
        GEOGCS["WGS 84 (shift to MGI 1901)",DATUM["WGS_1984_to_MGI_1901",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],TOWGS84[{towgs84}]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]]
        """;

    /// <summary>The transformation for an EPSG code we serve (4326: lon/lat in and out, swapped by the caller).</summary>
    public static CrsTransform Create(int? epsg) => epsg switch
    {
        null => new CrsTransform(4326, swapAxes: false, fromWgs84: null, toWgs84: null),
        4326 => new CrsTransform(4326, swapAxes: true, fromWgs84: null, toWgs84: null),
        3857 => Between(3857, swapAxes: false, Wgs84Geographic, WebMercator),
        32634 => Between(32634, swapAxes: false, Wgs84Geographic, Wgs84Utm34N),
        8682 => OnItsOwnDatum(8682, swapAxes: false, SrbEtrs89Utm34N),
        3909 => new CrsTransform(3909, swapAxes: true,
            fromWgs84: Transformation(Wgs84ShiftedToMgiTemplate.Replace("{towgs84}", MgiToWgs84.Reverse, StringComparison.Ordinal),
                MgiBalkans7Template.Replace("{towgs84}", "0,0,0,0,0,0,0", StringComparison.Ordinal)),
            toWgs84: Transformation(MgiBalkans7Template.Replace("{towgs84}", MgiToWgs84.Forward, StringComparison.Ordinal), Wgs84Geographic)),
        _ => throw new ArgumentOutOfRangeException(nameof(epsg), epsg, "Not a CRS we serve."),
    };

    private static CrsTransform Between(int epsg, bool swapAxes, string geographicWkt, string projectedWkt) =>
        new(epsg, swapAxes, Transformation(geographicWkt, projectedWkt), Transformation(projectedWkt, geographicWkt));

    /// <summary>Longitude/latitude taken as the projected CRS's own geographic coordinates: projection only, no datum shift.</summary>
    private static CrsTransform OnItsOwnDatum(int epsg, bool swapAxes, string projectedWkt)
    {
        var projected = (ProjectedCoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(projectedWkt);
        return new(epsg, swapAxes, Transformation(projected.GeographicCoordinateSystem, projected), Transformation(projected, projected.GeographicCoordinateSystem));
    }

    private static MathTransform Transformation(string sourceWkt, string targetWkt)
    {
        var factory = new CoordinateSystemFactory();
        return Transformation(factory.CreateFromWkt(sourceWkt), factory.CreateFromWkt(targetWkt));
    }

    // Both directions are built by the factory (not MathTransform.Inverse(), which is created lazily
    // and unsynchronised); ProjNet's Transform itself only reads immutable fields, so these are shared.
    private static MathTransform Transformation(CoordinateSystem source, CoordinateSystem target) =>
        new CoordinateTransformationFactory().CreateFromCoordinateSystems(source, target).MathTransform;

    /// <summary>
    /// EPSG:9486 "MGI 1901 to WGS 84 (15)": Coordinate Frame rotation, area of use Serbia, accuracy 1 m.
    /// PROJ 9.1 (PostGIS 3.3 <c>ST_Transform</c>) applies it to EPSG:3909 everywhere in Serbia's
    /// bounding box, Kosovo included: ST_Transform to 3909 equals, to 0.1 mm, ST_Transform to the same
    /// projection with these parameters as +towgs84. Outside Serbia PROJ picks other operations
    /// (Slovenia, Croatia, …) that we do not reproduce.
    /// </summary>
    /// <remarks>
    /// PROJ applies the linearised Helmert X = S·(I + K)·x + T forwards (MGI → WGS 84) and
    /// x = (I − K)·(X − T) / S in reverse. ProjNet's forward is X = S·(I + S·K)·x + T and its own
    /// inverse differs from PROJ's by up to 5 cm (it subtracts T after rotating), so both directions
    /// are given to ProjNet as forward shifts whose parameters reproduce PROJ's formulas exactly.
    /// </remarks>
    private static class MgiToWgs84
    {
        private const double Tx = 577.84843, Ty = 165.45019, Tz = 390.43652; // metres
        private const double RxFrame = -4.93131, RyFrame = 0.96052, RzFrame = 13.05072; // arc-seconds, coordinate frame convention
        private const double ScalePpm = 7.86546;
        private const double SecondsToRadians = Math.PI / (180 * 3600);

        // ProjNet's TOWGS84 is position vector convention: the rotations change sign.
        private const double Rx = -RxFrame, Ry = -RyFrame, Rz = -RzFrame;
        private const double Scale = 1 + ScalePpm * 1e-6;

        /// <summary>MGI 1901 → WGS 84 as ProjNet TOWGS84 parameters: ProjNet multiplies the rotations by S once more.</summary>
        public static string Forward { get; } = Format(Tx, Ty, Tz, Rx / Scale, Ry / Scale, Rz / Scale, ScalePpm);

        /// <summary>WGS 84 → MGI 1901 (PROJ's reverse) as ProjNet TOWGS84 parameters.</summary>
        public static string Reverse { get; } = ReverseParameters();

        private static string ReverseParameters()
        {
            // (I − K)·(X − T)/S = S′·(I + S′·K′)·X + T′ with S′ = 1/S, K′ = −S·K, T′ = −(I − K)·T/S.
            double ex = Rx * SecondsToRadians, ey = Ry * SecondsToRadians, ez = Rz * SecondsToRadians;
            var tx = -(Tx + ez * Ty - ey * Tz) / Scale;
            var ty = -(-ez * Tx + Ty + ex * Tz) / Scale;
            var tz = -(ey * Tx - ex * Ty + Tz) / Scale;
            return Format(tx, ty, tz, -Rx * Scale, -Ry * Scale, -Rz * Scale, (1 / Scale - 1) * 1e6);
        }

        private static string Format(params ReadOnlySpan<double> values) =>
            string.Join(",", values.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }
}
