using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Import;

/// <summary>The answer of an import request: status and the report (or problem) JSON.</summary>
public sealed record ImportAnswer(HttpStatusCode Status, JsonElement Json)
{
    public string Id => Json.GetProperty("id").GetString()!;

    public long Number(string name) => Json.GetProperty(name).GetInt64();

    /// <summary>The rows the report lists problems for, in order, each once.</summary>
    public List<long> BadRows => [.. Json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("row").GetInt64()).Distinct().Order()];

    public List<string> Reasons(long row) =>
        [.. Json.GetProperty("problems").EnumerateArray().Where(p => p.GetProperty("row").GetInt64() == row).Select(p => p.GetProperty("reason").GetString()!)];
}

/// <summary>What the import tests share: upload, apply, free places to put new outlines, small GeoJSON writers.</summary>
public static class ImportSteps
{
    public static async Task<ImportAnswer> UploadAsync(HttpClient client, string fileName, byte[] content, string query = "")
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(new Uri($"/api/imports?file_name={Uri.EscapeDataString(fileName)}{query}", UriKind.Relative), body);
        return await AnswerAsync(response);
    }

    private static async Task<ImportAnswer> AnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return new ImportAnswer(response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone());
    }

    public static Task<ImportAnswer> UploadAsync(HttpClient client, string fileName, string text, string query = "") =>
        UploadAsync(client, fileName, Encoding.UTF8.GetBytes(text), query);

    public static async Task<ImportAnswer> ApplyAsync(HttpClient client, string id, bool skipBadRows)
    {
        using var response = await client.PostAsync(new Uri($"/api/imports/{id}/apply?skip_bad_rows={(skipBadRows ? "true" : "false")}", UriKind.Relative), null);
        return await AnswerAsync(response);
    }

    /// <summary>
    /// Centres (lon, lat) inside the municipality, each at least ~1 km from every settlement and
    /// from the boundary, so a 200 m square there is a clean new settlement.
    /// </summary>
    public static async Task<List<(double Lon, double Lat)>> FreeSpotsAsync(string connectionString, string municipality, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT ST_X(p.geom), ST_Y(p.geom)
            FROM municipalities m, LATERAL ST_Dump(ST_GeneratePoints(m.geom, 400, 7)) AS p
            WHERE m.code = @code
              AND ST_Covers(m.geom, ST_Expand(p.geom, 0.012))
              AND NOT EXISTS (SELECT 1 FROM settlements s WHERE ST_DWithin(s.geom, p.geom, 0.012))
            ORDER BY ST_X(p.geom)
            """, connection);
        command.Parameters.AddWithValue("code", municipality);
        var spots = new List<(double, double)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var spot = (reader.GetDouble(0), reader.GetDouble(1));
            // Keep spots apart from each other too.
            if (spots.All(s => Math.Abs(s.Item1 - spot.Item1) > 0.01 || Math.Abs(s.Item2 - spot.Item2) > 0.01))
            {
                spots.Add(spot);
            }
        }
        Assert.True(spots.Count >= count, $"only {spots.Count} free spots in {municipality}");
        return spots.Take(count).ToList();
    }

    /// <summary>A square of about 200 m around a centre, as a GeoJSON Polygon (lon/lat).</summary>
    public static object Square(double lon, double lat, double half = 0.001) => new
    {
        type = "Polygon",
        coordinates = new[] { new[] { new[] { lon - half, lat - half }, [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half] } },
    };

    /// <summary>A self-crossing "bow tie" ring: invalid, repairable into two triangles.</summary>
    public static object BowTie(double lon, double lat, double half = 0.001) => new
    {
        type = "Polygon",
        coordinates = new[] { new[] { new[] { lon - half, lat - half }, [lon + half, lat + half], [lon + half, lat - half], [lon - half, lat + half], [lon - half, lat - half] } },
    };

    public static string FeatureCollection(params (object? Geometry, object Properties)[] features) =>
        JsonSerializer.Serialize(new { type = "FeatureCollection", features = features.Select(f => new { type = "Feature", geometry = f.Geometry, properties = f.Properties }) });

    /// <summary>A code unique to one test, so tests never share rows.</summary>
    public static string Code(string prefix, int n) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{n:000}");
}
