using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Export;

/// <summary>
/// Exports honour who sees what (issue 21): every byte of every format holds only what the viewer sees
/// (columns, metadata, a coordinator's masked column null outside Niš), the public view's small settlements
/// are points (a second layer where a format holds one geometry type), and exports by signed-in viewers are
/// recorded, append-only, for administrators to read. Default levels and generalisation, plus <see cref="Restricted"/>.
/// </summary>
public sealed class ExportDisclosureTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static TheoryData<string, string> FormatsAndRoles()
    {
        var data = new TheoryData<string, string>();
        foreach (var format in new[] { "geojson", "csv", "gpkg", "shapefile", "metadata" })
        {
            foreach (var role in new[] { "anonymous", "coordinator", "administrator" })
            {
                data.Add(format, role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndRoles))]
    public async Task Every_byte_of_an_export_holds_only_what_the_viewer_sees(string format, string role)
    {
        await Restricted.SetUpAsync(app);
        using var client = await Restricted.ClientAsync(app, role);
        using var response = await client.GetAsync(new Uri($"/api/export/settlements?format={format}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = format switch
        {
            // Every part of the zip, unpacked: the DBF, the field-name table, the metadata.
            "shapefile" => string.Concat(Unzip(bytes).Select(p => p.Name + "\n" + Encoding.UTF8.GetString(p.Bytes))),
            _ => Encoding.UTF8.GetString(bytes),
        };
        Restricted.AssertDisclosed(role, text, format, holdsValues: format != "metadata");
        if (format == "gpkg")
        {
            // The same through SQLite: the columns of the tables, and the values.
            var columns = await GeoPackageAsync(bytes, "SELECT group_concat(name) FROM pragma_table_info('settlements')");
            Assert.Equal(role != "anonymous", columns.Split(',').Contains(Restricted.Name));
            var values = await GeoPackageAsync(bytes, $"SELECT coalesce(group_concat(\"{Restricted.Name}\"), '') FROM settlements", role == "anonymous");
            Assert.Equal(role == "administrator", values.Contains(Restricted.OtherValue, StringComparison.Ordinal));
        }
        if (format == "metadata")
        {
            var view = JsonDocument.Parse(bytes).RootElement.GetProperty("view");
            Assert.Equal(role switch { "anonymous" => "public", "coordinator" => "signed_in", _ => "administrators" }, view.GetProperty("level").GetString());
            if (role == "anonymous")
            {
                // Counted, not named.
                Assert.Matches("^[0-9]+ attributes are not public and left out of this export$", view.GetProperty("attributes_left_out").GetString());
            }
            Assert.Equal(role == "coordinator", view.GetProperty("own_municipalities_only").ValueKind == JsonValueKind.Object);
            if (role == "coordinator")
            {
                Assert.Contains(Restricted.Name, view.GetProperty("own_municipalities_only").GetProperty("attributes").EnumerateArray().Select(a => a.GetString()));
            }
        }
    }

    [Fact]
    public async Task The_public_views_small_settlements_are_points_within_the_radius_in_every_format()
    {
        var marked = await Restricted.SetUpAsync(app);
        using var anonymous = app.Factory.CreateClient();
        using var admin = await Restricted.ClientAsync(app, "administrator");

        var geojson = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/api/export/settlements?format=geojson", UriKind.Relative))).RootElement;
        var points = geojson.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("geometry").GetProperty("type").GetString() == "Point").ToList();
        Assert.Contains(points, f => f.GetProperty("id").GetInt64() == marked.SmallId);
        Assert.All(points, f => Assert.Equal(100, f.GetProperty("properties").GetProperty("estimated_inhabitants_below").GetInt32()));
        // Within the radius of the true centroid, every one (PostGIS measures on the spheroid).
        var distances = await DistancesAsync(points.Select(f => (f.GetProperty("id").GetInt64(),
            f.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), f.GetProperty("geometry").GetProperty("coordinates")[1].GetDouble())));
        Assert.All(distances, d => Assert.InRange(d, 245, 505));
        var adminGeojson = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/export/settlements?format=geojson", UriKind.Relative))).RootElement;
        Assert.All(adminGeojson.GetProperty("features").EnumerateArray(), f => Assert.Equal("MultiPolygon", f.GetProperty("geometry").GetProperty("type").GetString()));

        var csv = await anonymous.GetStringAsync(new Uri("/api/export/settlements?format=csv", UriKind.Relative));
        Assert.Equal(points.Count, csv.Split('\n').Count(l => l.Contains("\"POINT (", StringComparison.Ordinal) || l.Contains(",POINT (", StringComparison.Ordinal)));

        var gpkg = await anonymous.GetByteArrayAsync(new Uri("/api/export/settlements?format=gpkg", UriKind.Relative));
        Assert.Equal("settlements:MULTIPOLYGON,settlements_generalised:POINT",
            await GeoPackageAsync(gpkg, "SELECT group_concat(table_name || ':' || geometry_type_name) FROM (SELECT * FROM gpkg_geometry_columns ORDER BY table_name)"));
        Assert.Equal(points.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await GeoPackageAsync(gpkg, "SELECT count(*) FROM settlements_generalised"));
        var adminGpkg = await admin.GetByteArrayAsync(new Uri("/api/export/settlements?format=gpkg", UriKind.Relative));
        Assert.Equal("settlements", await GeoPackageAsync(adminGpkg, "SELECT group_concat(table_name) FROM gpkg_contents"));

        var zip = Unzip(await anonymous.GetByteArrayAsync(new Uri("/api/export/settlements?format=shapefile", UriKind.Relative)));
        Assert.Contains("settlements_generalised.shp", zip.Select(p => p.Name));
        // Shape type 1 (point) at byte 32 of the .shp header, 5 (polygon) for the outlines.
        Assert.Equal(1, BitConverter.ToInt32(zip.Single(p => p.Name == "settlements_generalised.shp").Bytes, 32));
        Assert.Equal(5, BitConverter.ToInt32(zip.Single(p => p.Name == "settlements.shp").Bytes, 32));
        var metadata = Encoding.UTF8.GetString(zip.Single(p => p.Name == "settlements_metadata.json").Bytes);
        Assert.Contains("settlements_generalised.shp", metadata, StringComparison.Ordinal);
        var adminZip = Unzip(await admin.GetByteArrayAsync(new Uri("/api/export/settlements?format=shapefile", UriKind.Relative)));
        Assert.DoesNotContain(adminZip, p => p.Name.StartsWith("settlements_generalised", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_coordinators_export_is_recorded_an_anonymous_one_is_not_and_administrators_read_the_records()
    {
        await Restricted.SetUpAsync(app);
        await using var db = app.CreateContext();
        var before = await db.ExportRecords.CountAsync();
        using (var anonymous = app.Factory.CreateClient())
        {
            (await anonymous.GetAsync(new Uri("/api/export/settlements?format=csv&municipality=nis", UriKind.Relative))).EnsureSuccessStatusCode();
        }
        Assert.Equal(before, await db.ExportRecords.CountAsync());

        using var coordinator = await Restricted.ClientAsync(app, "coordinator");
        var expected = await db.Settlements.CountAsync(s => s.Municipality!.Code == "nis" && s.WaterSupply == Web.Data.WaterSupply.Wells);
        using (var response = await coordinator.GetAsync(new Uri("/api/export/settlements?format=gpkg&crs=EPSG:32634&water_supply=wells&municipality=nis", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl is { Private: true }, "a signed-in viewer's export is private");
        }
        var record = await db.ExportRecords.AsNoTracking().OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal(before + 1, await db.ExportRecords.CountAsync());
        Assert.Equal(("coord-nis", "signed_in", "gpkg", "http://www.opengis.net/def/crs/EPSG/0/32634", "municipality=nis&water_supply=wells", expected),
            (record.UserName, record.Level, record.Format, record.Crs, record.Filter, record.FeatureCount));
        Assert.StartsWith("signed_in+", record.Viewer, StringComparison.Ordinal);

        using var admin = await Restricted.ClientAsync(app, "administrator");
        var page = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/export/records?limit=1", UriKind.Relative))).RootElement;
        var latest = page.GetProperty("records")[0];
        Assert.Equal(record.Id, latest.GetProperty("id").GetInt64());
        Assert.Equal("coord-nis", latest.GetProperty("user_name").GetString());
        Assert.Equal(expected, latest.GetProperty("feature_count").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync(new Uri("/api/export/records", UriKind.Relative))).StatusCode);
        using var nobody = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync(new Uri("/api/export/records", UriKind.Relative))).StatusCode);
        using var bad = await admin.GetAsync(new Uri("/api/export/records?limit=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("limit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Append-only, even to hand-written SQL.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "UPDATE export_records SET user_name = 'x'", "DELETE FROM export_records", "TRUNCATE export_records" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal("42501", error.SqlState);
        }
    }

    private static List<(string Name, byte[] Bytes)> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        })];
    }

    /// <summary>One value of a query over the GeoPackage (Microsoft.Data.Sqlite), as text; an error's message when <paramref name="mayFail"/>.</summary>
    private static async Task<string> GeoPackageAsync(byte[] gpkg, string sql, bool mayFail = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"disclosure-{Guid.NewGuid():N}.gpkg");
        await File.WriteAllBytesAsync(file, gpkg);
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            try
            {
                return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
            catch (SqliteException error) when (mayFail)
            {
                return error.Message;
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<List<double>> DistancesAsync(IEnumerable<(long Id, double Lon, double Lat)> points)
    {
        var list = points.ToList();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT ST_Distance(s.centroid::geography, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography)
            FROM unnest(@ids, @lons, @lats) AS p(id, lon, lat) JOIN settlements s ON s.id = p.id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", [.. list.Select(p => p.Id)]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("lons", [.. list.Select(p => p.Lon)]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("lats", [.. list.Select(p => p.Lat)]));
        var distances = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            distances.Add(reader.GetDouble(0));
        }
        Assert.Equal(list.Count, distances.Count);
        return distances;
    }
}
