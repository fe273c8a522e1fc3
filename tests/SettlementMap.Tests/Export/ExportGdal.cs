using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace SettlementMap.Tests.Export;

/// <summary>GDAL's command-line tools on exported files, and PostGIS's own coordinates to compare them with.</summary>
internal static partial class ExportGdal
{
    public const string OgrInfo = "/usr/bin/ogrinfo";
    public const string Ogr2Ogr = "/usr/bin/ogr2ogr";

    public static Task<string> OgrInfoAsync(params string[] arguments) => RunAsync(OgrInfo, arguments);

    /// <summary>The settlement's outline as GDAL reprojects it from the file's CRS (its .prj, srs_id or _EPSG_ header) to WGS 84, x/y.</summary>
    public static async Task<List<(double X, double Y)>> ReprojectedToWgs84Async(string source, string layer, string code) =>
        Vertices(await RunAsync(Ogr2Ogr, "-f", "CSV", "/vsistdout/", source, layer, "-t_srs", "EPSG:4326", "-where", $"code = '{code}'",
            "-select", "code", "-lco", "GEOMETRY=AS_WKT"));

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)}: {text}");
        return text;
    }

    /// <summary>Every (x, y) pair of the WKT geometry lines ogrinfo prints for the features it lists.</summary>
    public static List<(double X, double Y)> Vertices(string ogrinfo)
    {
        var line = ogrinfo.Split('\n').Select(l => l.Trim().TrimStart('"')).First(l => l.StartsWith("MULTIPOLYGON", StringComparison.Ordinal) || l.StartsWith("POLYGON", StringComparison.Ordinal));
        return [.. Pair().Matches(line).Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];
    }

    public static int FeatureCount(string ogrinfo)
    {
        var line = ogrinfo.Split('\n').First(l => l.StartsWith("Feature Count:", StringComparison.Ordinal));
        return int.Parse(line["Feature Count:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The first vertex of the settlement's outline as PostGIS ST_Transform gives it: x (easting, longitude) and y.</summary>
    public static async Task<(double X, double Y)> PostgisVertexAsync(string connectionString, string code, int srid)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT ST_X(p), ST_Y(p) FROM (
                SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN(ST_Transform(geom, $2), 1)), 1) AS p FROM settlements WHERE code = $1) v
            """, connection);
        command.Parameters.AddWithValue(code);
        command.Parameters.AddWithValue(srid);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetDouble(0), reader.GetDouble(1));
    }

    /// <summary>Asserts one of the vertices GDAL read is PostGIS's vertex in x/y order (not swapped), to 1 cm or 1e-7° (or the tolerance given).</summary>
    public static void AssertHasVertex(IReadOnlyList<(double X, double Y)> vertices, (double X, double Y) expected, bool geographic, double? within = null)
    {
        var tolerance = within ?? (geographic ? 1e-7 : 0.01);
        var nearest = vertices.MinBy(v => Math.Abs(v.X - expected.X) + Math.Abs(v.Y - expected.Y));
        Assert.True(Math.Abs(nearest.X - expected.X) <= tolerance && Math.Abs(nearest.Y - expected.Y) <= tolerance,
            $"expected a vertex at ({expected.X}, {expected.Y}); nearest read by GDAL: ({nearest.X}, {nearest.Y}) of {vertices.Count}");
    }

    [GeneratedRegex(@"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex Pair();
}
