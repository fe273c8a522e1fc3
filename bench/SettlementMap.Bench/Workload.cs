using System.Globalization;
using Npgsql;

namespace SettlementMap.Bench;

/// <summary>
/// The request paths wrk rotates over: city-zoom bounding boxes and tiles at z8, z12 and z14, each
/// chosen around settlements drawn at random (fixed seed) so every request has data, and weighted
/// like the data (a denser area is asked for more often, as people look where settlements are).
/// </summary>
public static class Workload
{
    /// <summary>A city view: about 0.06° × 0.04° (≈ 4.8 × 4.4 km at 44° N), what a 1280 × 800 window shows at zoom 14.</summary>
    public const double BboxWidth = 0.06;
    public const double BboxHeight = 0.04;
    public const int BboxZoom = 14;
    public static readonly int[] TileZooms = [8, 12, 14];

    private const int Samples = 500;
    private const int Seed = 7;

    public static async Task<int> WriteAsync(string connectionString, string directory)
    {
        var centroids = await CentroidsAsync(connectionString);
        if (centroids.Count == 0)
        {
            throw new BenchException("The database has no settlements.");
        }
        var random = new Random(Seed);
        var picks = Enumerable.Range(0, Samples).Select(_ => centroids[random.Next(centroids.Count)]).ToList();

        var bboxes = picks.Select(c => (MinLon: c.Lon - (BboxWidth / 2), MinLat: c.Lat - (BboxHeight / 2), MaxLon: c.Lon + (BboxWidth / 2), MaxLat: c.Lat + (BboxHeight / 2))).ToList();
        await File.WriteAllLinesAsync(Path.Combine(directory, "bbox.paths"), bboxes.Select(b => string.Create(CultureInfo.InvariantCulture,
            $"/api/layers/settlements?bbox={b.MinLon:0.#####},{b.MinLat:0.#####},{b.MaxLon:0.#####},{b.MaxLat:0.#####}&zoom={BboxZoom}")));
        var perBbox = bboxes.Select(b => (double)centroids.Count(c => c.Lon >= b.MinLon && c.Lon <= b.MaxLon && c.Lat >= b.MinLat && c.Lat <= b.MaxLat)).ToList();
        Figures.Add(directory, "bbox.paths", bboxes.Count);
        Figures.Add(directory, "bbox.settlements_median", Stats.Median(perBbox));

        foreach (var z in TileZooms)
        {
            var perTile = centroids.GroupBy(c => Tile(c.Lon, c.Lat, z)).ToDictionary(g => g.Key, g => g.Count());
            var tiles = picks.Select(c => Tile(c.Lon, c.Lat, z)).ToList();
            await File.WriteAllLinesAsync(Path.Combine(directory, $"tiles-z{z}.paths"), tiles.Select(t => string.Create(CultureInfo.InvariantCulture, $"/tiles/settlements/{z}/{t.X}/{t.Y}.mvt")));
            Figures.Add(directory, $"tiles.z{z}.distinct", tiles.Distinct().Count());
            Figures.Add(directory, $"tiles.z{z}.settlements_median", Stats.Median([.. tiles.Select(t => (double)perTile[t])]));
        }
        Console.WriteLine($"{bboxes.Count} bboxes (median {Stats.Median(perBbox)} settlements each) and tiles at z{string.Join(", z", TileZooms)} in {directory}");
        return 0;
    }

    /// <summary>The Web Mercator (XYZ) tile holding a point.</summary>
    public static (int X, int Y) Tile(double lon, double lat, int z)
    {
        var n = 1 << z;
        var latRad = lat * Math.PI / 180;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n);
        return (Math.Clamp(x, 0, n - 1), Math.Clamp(y, 0, n - 1));
    }

    private static async Task<List<(double Lon, double Lat)>> CentroidsAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT ST_X(centroid), ST_Y(centroid) FROM settlements ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var centroids = new List<(double, double)>();
        while (await reader.ReadAsync())
        {
            centroids.Add((reader.GetDouble(0), reader.GetDouble(1)));
        }
        return centroids;
    }
}
