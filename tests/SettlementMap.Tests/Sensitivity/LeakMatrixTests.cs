using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Sensitivity;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Sensitivity;

/// <summary>
/// Every output × every level × every viewer: an attribute set to a level is seen (its value, and for
/// anonymous visitors even its name) exactly by the viewers of that level or above, and a coordinator
/// sees every level in their own municipality and no higher than signed-in elsewhere. Each output is
/// probed for a canary value written into two settlements (one in Niš, coord-nis's municipality, one
/// in a municipality of another district); the response cache is left on, and the viewers take turns
/// on the same URLs, so a cached answer for one level reaching another fails here too.
/// </summary>
public sealed class LeakMatrixTests(LeakMatrixTests.Fixture fixture) : IClassFixture<LeakMatrixTests.Fixture>
{
    /// <summary>substandard_share_pct of both canaries: no other settlement of theirs has it (numeric(5,2)).</summary>
    private const double Canary = 37.19;
    private const string CanaryText = "37.19";

    public enum Who { Anonymous, CoordinatorOwn, CoordinatorOther, Administrator }

    /// <summary>What a probe saw of the attribute: its name (key, column, queryable) and the canary's value.</summary>
    public sealed record Seen(bool Name, bool Value);

    /// <summary>
    /// An output, the attribute it is probed with, and how it is probed. <paramref name="NameOnly"/>: it names
    /// attributes but holds no values (queryables, schema, metadata, the page's configuration), so a
    /// coordinator sees there every attribute they see anywhere (in their own municipality).
    /// </summary>
    /// <paramref name="SignedInOnly"/>: anonymous visitors are refused the whole output.
    private sealed record Output(string Attribute, Func<Probe, Task<Seen>> Read, bool NameOnly = false, bool SignedInOnly = false);

    /// <summary>One probe: the client of a viewer and the canary (settlement and municipality) of their case.</summary>
    public sealed record Probe(HttpClient Client, long Id, string Municipality, string District, int MunicipalityId, string Name, double Lon, double Lat);

    private static readonly Dictionary<string, Output> Outputs = new(StringComparer.Ordinal)
    {
        ["layer"] = new("substandard_share_pct", async p => FeatureSeen(await JsonAsync(p, $"/api/layers/settlements?municipality={p.Municipality}"), p.Id, "substandard_share_pct")),
        ["layer filter"] = new("legal_status", async p => await FilterFindsAsync(p, $"/api/layers/settlements?municipality={p.Municipality}&legal_status=in_process")),
        ["summary and legend counts"] = new("substandard_share_pct", SummaryThemeAsync),
        ["tiles"] = new("substandard_share_pct", TileAsync),
        ["search"] = new("substandard_share_pct", async p => TextSeen(await TextAsync(p, $"/api/search?q={Uri.EscapeDataString(p.Name)}"), "substandard_share_pct")),
        ["details"] = new("substandard_share_pct", async p => PropertiesSeen(await JsonAsync(p, $"/api/settlements/{p.Id}"), "substandard_share_pct")),
        ["report"] = new("substandard_share_pct", ReportAsync),
        ["municipalities layer (aggregate)"] = new("estimated_inhabitants", async p => AggregateSeen(await JsonAsync(p, $"/api/layers/municipalities?municipality={p.Municipality}"))),
        ["coverage layer (aggregate)"] = new("estimated_inhabitants", CoverageLayerAsync),
        ["coverage figures (aggregate)"] = new("estimated_inhabitants", CoverageFiguresAsync),
        ["coverage gap table (aggregate)"] = new("estimated_inhabitants", CoverageGapTableAsync),
        ["coverage gap table csv (aggregate)"] = new("estimated_inhabitants", CoverageGapCsvAsync),
        ["freshness layer (dates)"] = new("updated_at", FreshnessLayerAsync),
        ["freshness csv (dates)"] = new("updated_at", FreshnessCsvAsync),
        ["ogc items"] = new("substandard_share_pct", async p => PropertiesSeen(await JsonAsync(p, $"/ogc/collections/settlements/items/{p.Id}?f=json"), "substandard_share_pct")),
        ["ogc queryables"] = new("substandard_share_pct", async p => NameSeen((await JsonAsync(p, "/ogc/collections/settlements/queryables?f=json")).GetProperty("properties").TryGetProperty("substandard_share_pct", out _)), NameOnly: true),
        ["ogc schema"] = new("substandard_share_pct", async p => NameSeen((await JsonAsync(p, "/ogc/collections/settlements/schema?f=json"))
            .GetProperty("properties").GetProperty("properties").GetProperty("properties").TryGetProperty("substandard_share_pct", out _)), NameOnly: true),
        ["ogc cql2 filter"] = new("substandard_share_pct", async p => await FilterFindsAsync(p, $"/ogc/collections/settlements/items?f=json&limit=1000&filter={Uri.EscapeDataString($"substandard_share_pct={CanaryText} AND municipality_code='{p.Municipality}'")}")),
        ["export geojson"] = new("substandard_share_pct", async p => FeatureSeen(await JsonAsync(p, $"/api/export/settlements?format=geojson&municipality={p.Municipality}"), p.Id, "substandard_share_pct")),
        ["export csv"] = new("substandard_share_pct", CsvAsync),
        ["export geopackage"] = new("substandard_share_pct", GeoPackageAsync),
        ["export shapefile"] = new("substandard_share_pct", ShapefileAsync),
        ["export metadata"] = new("substandard_share_pct", async p => TextSeen(await TextAsync(p, $"/api/export/settlements?format=metadata&municipality={p.Municipality}"), "substandard_share_pct"), NameOnly: true),
        ["history"] = new("substandard_share_pct", HistoryAsync, SignedInOnly: true),
        ["change between dates"] = new("substandard_share_pct", ChangeAsync),
        ["indicators over time"] = new("substandard_share_pct", async p => IndicatorSeen(await JsonAsync(p,
            $"/api/history/indicators?municipality={p.Municipality}&dates={DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}"))),
        ["map config"] = new("substandard_share_pct", async p => NameSeen((await JsonAsync(p, "/api/config")).GetProperty("attributes").EnumerateArray().Any(a => a.GetProperty("name").GetString() == "substandard_share_pct")), NameOnly: true),
    };

    public static TheoryData<string, string, Who> Cases()
    {
        var data = new TheoryData<string, string, Who>();
        foreach (var output in Outputs.Keys)
        {
            foreach (var level in Clearances.All)
            {
                foreach (var who in Enum.GetValues<Who>())
                {
                    data.Add(output, level.ToText(), who);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_the_viewers_of_an_attributes_level_see_it_in_every_output(string output, string level, Who who)
    {
        var probe = Outputs[output];
        await fixture.SetLevelAsync(probe.Attribute, level);
        var seen = await probe.Read(await fixture.ProbeAsync(who));

        var viewerLevel = who switch
        {
            Who.Anonymous => Clearance.Public,
            Who.CoordinatorOther => Clearance.SignedIn,
            _ => Clearance.Administrators,
        };
        var allowed = Clearances.Parse(level) <= viewerLevel;
        if (probe.NameOnly)
        {
            var anywhere = Clearances.Parse(level) <= (who == Who.Anonymous ? Clearance.Public : Clearance.Administrators);
            Assert.True(anywhere == seen.Name, $"{output}: {who} {(seen.Name ? "sees" : "does not see")} the name of {probe.Attribute} at level {level}");
            return;
        }
        var carries = output != "search" && !(probe.SignedInOnly && who == Who.Anonymous);
        if (allowed && carries)
        {
            Assert.True(seen.Value, $"{output}: {who} should see {probe.Attribute} at level {level}, and does not");
        }
        if (!allowed)
        {
            Assert.False(seen.Value, $"{output}: {who} sees the value of {probe.Attribute} at level {level}");
        }
        if (!carries || (!allowed && who == Who.Anonymous))
        {
            Assert.False(seen.Name, $"{output}: {who} sees the name of {probe.Attribute} at level {level}");
        }
    }

    [Fact]
    public async Task A_cached_answer_for_an_administrator_never_reaches_an_anonymous_visitor()
    {
        await fixture.SetLevelAsync("substandard_share_pct", "administrators");
        var admin = await fixture.ProbeAsync(Who.Administrator);
        var anonymous = await fixture.ProbeAsync(Who.Anonymous);
        var url = $"/api/layers/settlements?municipality={admin.Municipality}";
        using var first = await admin.Client.GetAsync(new Uri(url, UriKind.Relative));
        using var second = await anonymous.Client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        Assert.Contains("substandard_share_pct", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("substandard_share_pct", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The administrator's tag does not revalidate the anonymous answer.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var third = await anonymous.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    // ---- probes ----

    private static async Task<JsonElement> JsonAsync(Probe p, string url)
    {
        using var response = await p.Client.GetAsync(new Uri(url, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(text).RootElement.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
    }

    private static async Task<string> TextAsync(Probe p, string url)
    {
        using var response = await p.Client.GetAsync(new Uri(url, UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : "";
    }

    private static async Task<byte[]> BytesAsync(Probe p, string url)
    {
        using var response = await p.Client.GetAsync(new Uri(url, UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsByteArrayAsync() : [];
    }

    private static Seen NameSeen(bool name) => new(name, name);

    private static Seen TextSeen(string text, string attribute) =>
        new(text.Contains(attribute, StringComparison.Ordinal), text.Contains(attribute, StringComparison.Ordinal));

    private static bool IsCanary(JsonElement value) => value.ValueKind == JsonValueKind.Number && Math.Abs(value.GetDouble() - Canary) < 1e-9;

    private static Seen PropertiesSeen(JsonElement feature, string attribute)
    {
        if (!feature.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(attribute, out var value))
        {
            return new(false, false);
        }
        return new(true, IsCanary(value));
    }

    private static Seen FeatureSeen(JsonElement collection, long id, string attribute)
    {
        if (!collection.TryGetProperty("features", out var features))
        {
            return new(false, false);
        }
        var name = features.EnumerateArray().Any(f => f.GetProperty("properties").TryGetProperty(attribute, out _));
        var feature = features.EnumerateArray().FirstOrDefault(f => IdOf(f) == id);
        return new(name, feature.ValueKind == JsonValueKind.Object && PropertiesSeen(feature, attribute).Value);
    }

    private static long? IdOf(JsonElement feature)
    {
        if (feature.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
        {
            return id.GetInt64();
        }
        return feature.TryGetProperty("properties", out var p) && p.TryGetProperty("id", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt64() : null;
    }

    /// <summary>A filter on the attribute: refused (400) when hidden; otherwise it finds the canary only where the viewer sees its value.</summary>
    private static async Task<Seen> FilterFindsAsync(Probe p, string url)
    {
        using var response = await p.Client.GetAsync(new Uri(url, UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return new(false, false);
        }
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new(true, body.GetProperty("features").EnumerateArray().Any(f => IdOf(f) == p.Id));
    }

    private static async Task<Seen> SummaryThemeAsync(Probe p)
    {
        using var response = await p.Client.GetAsync(new Uri(
            $"/api/layers/settlements/summary?municipality={p.Municipality}&theme=substandard_share_pct&breaks=0,{CanaryText},37.2", UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return new(false, false);
        }
        var classes = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("classes");
        return new(true, classes.TryGetProperty("c1", out var c1) && c1.GetInt64() > 0);
    }

    private static async Task<Seen> TileAsync(Probe p)
    {
        const int z = 14;
        var n = 1 << z;
        var x = (int)Math.Floor((p.Lon + 180) / 360 * n);
        var latRad = p.Lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n);
        var bytes = await BytesAsync(p, $"/tiles/settlements/{z}/{x}/{y}.mvt");
        var name = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("substandard_share_pct")) >= 0;
        // ST_AsMVT writes a float8 as a protobuf double: the value's eight bytes, little-endian.
        var value = bytes.AsSpan().IndexOf(BitConverter.GetBytes(Canary)) >= 0;
        return new(name, value);
    }

    private static async Task<Seen> ReportAsync(Probe p)
    {
        var report = await JsonAsync(p, $"/api/reports/summary?municipality={p.Municipality}");
        if (!report.TryGetProperty("settlements", out var settlements))
        {
            return new(false, false);
        }
        var row = settlements.EnumerateArray().First(s => s.GetProperty("id").GetInt64() == p.Id);
        var name = settlements.EnumerateArray().Any(s => s.TryGetProperty("substandard_share_pct", out _));
        return new(name, row.TryGetProperty("substandard_share_pct", out var value) && IsCanary(value));
    }

    /// <summary>The series on substandard_share_pct (its mean in the canary's municipality today): present, and with a value.</summary>
    private static Seen IndicatorSeen(JsonElement answer)
    {
        var series = answer.TryGetProperty("indicators", out var indicators)
            ? indicators.EnumerateArray().SingleOrDefault(s => s.GetProperty("id").GetString() == "substandard_mean")
            : default;
        var name = series.ValueKind == JsonValueKind.Object;
        return new(name, name && series.GetProperty("values")[0].ValueKind == JsonValueKind.Number);
    }

    private static Seen AggregateSeen(JsonElement collection)
    {
        var feature = collection.TryGetProperty("features", out var features) ? features.EnumerateArray().SingleOrDefault() : default;
        var ok = feature.ValueKind == JsonValueKind.Object && feature.GetProperty("properties").TryGetProperty("estimated_inhabitants", out var value)
            && value.ValueKind == JsonValueKind.Number && value.GetInt64() > 0;
        return new(ok, ok);
    }

    private static async Task<Seen> CoverageLayerAsync(Probe p)
    {
        var layer = await JsonAsync(p, "/api/layers/coverage");
        var feature = layer.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("code").GetString() == p.Municipality);
        var ok = feature.GetProperty("properties").TryGetProperty("estimated_inhabitants", out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt64() > 0;
        return new(ok, ok);
    }

    private static async Task<Seen> CoverageFiguresAsync(Probe p)
    {
        var figures = await JsonAsync(p, "/api/coverage/figures");
        var district = figures.GetProperty("districts").EnumerateArray().Where(f => f.GetProperty("district_code").GetString() == p.District).ToList();
        Assert.NotEmpty(district);
        var ok = district.Any(f => f.EnumerateObject().Any(o => o.Name.StartsWith("population", StringComparison.Ordinal) && o.Value.ValueKind == JsonValueKind.Number && o.Value.GetInt64() > 0));
        return new(ok, ok);
    }

    // The data freshness of a municipality: when its settlements were last updated (and by which role), as the viewer sees updated_at.
    private static async Task<Seen> FreshnessLayerAsync(Probe p)
    {
        var layer = await JsonAsync(p, "/api/history/freshness");
        var feature = layer.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("code").GetString() == p.Municipality);
        var properties = feature.GetProperty("properties");
        var ok = properties.GetProperty("last_updated").ValueKind == JsonValueKind.String;
        Assert.Equal(ok, properties.GetProperty("last_updated_role").ValueKind == JsonValueKind.String);
        return new(ok, ok);
    }

    private static async Task<Seen> FreshnessCsvAsync(Probe p)
    {
        var lines = (await TextAsync(p, "/api/history/freshness?format=csv&lang=en")).TrimStart('\uFEFF').Split("\r\n");
        var column = Array.IndexOf(lines[0].Split(','), "Last updated");
        Assert.True(column >= 0);
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(c => c[^1] == p.Municipality);
        var ok = row[column].Length > 0;
        return new(ok, ok);
    }

    // No municipality of the demo has a council for inter-ethnic relations: every one with settlements is in its table.
    private const string GapTable = "/api/coverage/gaps?kind=inter_ethnic_council";

    private static async Task<Seen> CoverageGapTableAsync(Probe p)
    {
        var table = await JsonAsync(p, GapTable);
        var row = table.GetProperty("municipalities").EnumerateArray().Single(r => r.GetProperty("code").GetString() == p.Municipality);
        var name = row.TryGetProperty("estimated_inhabitants", out var value);
        return new(name, name && value.ValueKind == JsonValueKind.Number && value.GetInt64() > 0);
    }

    /// <summary>The change up to the canary's day: the attribute is named by the answer, the canary is its value at B.</summary>
    private static async Task<Seen> ChangeAsync(Probe p)
    {
        var answer = await JsonAsync(p, $"/api/history/changes?attribute=substandard_share_pct&from=2019-01-01&to=9998-12-31&municipality={p.Municipality}");
        if (!answer.TryGetProperty("attribute", out var attribute))
        {
            return new(false, false);
        }
        var feature = answer.GetProperty("features").EnumerateArray().FirstOrDefault(f => IdOf(f) == p.Id);
        return new(attribute.GetString() == "substandard_share_pct",
            feature.ValueKind == JsonValueKind.Object && IsCanary(feature.GetProperty("properties").GetProperty("value_to")));
    }

    private static async Task<Seen> CoverageGapCsvAsync(Probe p)
    {
        var lines = (await TextAsync(p, GapTable + "&format=csv&lang=en")).TrimStart('\uFEFF').Split("\r\n");
        var column = Array.IndexOf(lines[0].Split(','), "Estimated inhabitants");
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(c => c[^1] == p.Municipality);
        return new(column >= 0, column >= 0 && long.TryParse(row[column], CultureInfo.InvariantCulture, out var value) && value > 0);
    }

    private static async Task<Seen> CsvAsync(Probe p)
    {
        var text = await TextAsync(p, $"/api/export/settlements?format=csv&municipality={p.Municipality}");
        if (text.Length == 0)
        {
            return new(false, false);
        }
        var lines = text.TrimStart('\uFEFF').Split('\n');
        var header = lines[0].TrimEnd('\r').Split(',');
        var column = Array.IndexOf(header, "substandard_share_pct");
        var idColumn = Array.IndexOf(header, "id");
        var row = lines.Skip(1).Select(l => l.TrimEnd('\r').Split(',')).FirstOrDefault(c => c.Length > idColumn && c[idColumn] == p.Id.ToString(CultureInfo.InvariantCulture));
        return new(column >= 0, column >= 0 && row is not null && row[column] == CanaryText);
    }

    private static async Task<Seen> GeoPackageAsync(Probe p)
    {
        var bytes = await BytesAsync(p, $"/api/export/settlements?format=gpkg&municipality={p.Municipality}");
        if (bytes.Length == 0)
        {
            return new(false, false);
        }
        var path = Path.Combine(Path.GetTempPath(), $"leak-{Guid.NewGuid():N}.gpkg");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            var tables = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT table_name FROM gpkg_contents";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            bool name = false, value = false;
            foreach (var table in tables)
            {
                using var columns = connection.CreateCommand();
                columns.CommandText = $"SELECT count(*) FROM pragma_table_info('{table.Replace("'", "''", StringComparison.Ordinal)}') WHERE name = 'substandard_share_pct'";
                if ((long)columns.ExecuteScalar()! == 0)
                {
                    continue;
                }
                name = true;
                using var rows = connection.CreateCommand();
                rows.CommandText = $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WHERE abs(substandard_share_pct - {CanaryText}) < 1e-9";
                value |= (long)rows.ExecuteScalar()! > 0;
            }
            return new(name, value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<Seen> ShapefileAsync(Probe p)
    {
        var bytes = await BytesAsync(p, $"/api/export/settlements?format=shapefile&municipality={p.Municipality}");
        if (bytes.Length == 0)
        {
            return new(false, false);
        }
        bool name = false, value = false;
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            var text = Encoding.Latin1.GetString(buffer.ToArray());
            if (entry.Name.EndsWith(".dbf", StringComparison.OrdinalIgnoreCase))
            {
                // dBASE field names are at most 10 characters: the shapefile's column is the name cut short.
                name |= text.Contains("substandar", StringComparison.Ordinal);
                value |= text.Contains(CanaryText, StringComparison.Ordinal);
            }
            else if (!entry.Name.EndsWith(".shp", StringComparison.OrdinalIgnoreCase) && !entry.Name.EndsWith(".shx", StringComparison.OrdinalIgnoreCase))
            {
                name |= text.Contains("substandard_share_pct", StringComparison.Ordinal);
            }
        }
        return new(name, value);
    }

    private static async Task<Seen> HistoryAsync(Probe p)
    {
        var history = await JsonAsync(p, $"/api/settlements/{p.Id}/history");
        if (history.ValueKind != JsonValueKind.Array)
        {
            return new(false, false);
        }
        var changes = history.EnumerateArray().Select(e => e.GetProperty("changes")).ToList();
        var name = changes.Any(c => c.TryGetProperty("substandard_share_pct", out _));
        var value = changes.Any(c => c.TryGetProperty("substandard_share_pct", out var change) && IsCanary(change.GetProperty("new")));
        return new(name, value);
    }

    /// <summary>The demo database with two canary settlements, their history, and a token client per viewer.</summary>
    public sealed class Fixture(IMessageSink sink) : IAsyncLifetime
    {
        private readonly AppFixture _app = new(sink);
        private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
        private Probe? _own;
        private Probe? _other;

        public async Task InitializeAsync()
        {
            await _app.InitializeAsync();
            await using var db = _app.CreateContext();
            _own = await CanaryAsync(db, own: true);
            _other = await CanaryAsync(db, own: false);
            foreach (var canary in new[] { _own, _other })
            {
                await db.Database.ExecuteSqlRawAsync(
                    "UPDATE settlements SET substandard_share_pct = 37.18 WHERE substandard_share_pct = 37.19 AND municipality_id = {0}", canary.MunicipalityId);
                await db.Database.ExecuteSqlRawAsync(
                    "UPDATE settlements SET substandard_share_pct = 37.19, legal_status = 'in_process' WHERE id = {0}", canary.Id);
                await db.Database.ExecuteSqlRawAsync(
                    "UPDATE settlements SET legal_status = 'legalised' WHERE legal_status = 'in_process' AND municipality_id = {0} AND id <> {1}", canary.MunicipalityId, canary.Id);
                await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO settlement_changes (settlement_id, action, changed_at, changed_by, changes)
                    VALUES ({0}, 'update', now(), 'admin', {1}::jsonb)
                    """, canary.Id, """{"substandard_share_pct": {"old": 12.5, "new": 37.19}}""");
            }
            _clients["anonymous"] = await Edits.ClientAsync(_app, null);
            _clients["coordinator"] = await Edits.ClientAsync(_app, Edits.CoordinatorNis);
            _clients["administrator"] = await Edits.ClientAsync(_app, Edits.Admin);
        }

        /// <summary>A settlement in Niš (<paramref name="own"/>) or in a municipality of another district.</summary>
        private static async Task<Probe> CanaryAsync(Web.Data.SettlementMapDbContext db, bool own)
        {
            // Large enough not to be generalised in the public view: generalisation has tests of its own.
            var row = await db.Database.SqlQuery<CanaryRow>($"""
                SELECT s.id AS "Id", m.code AS "Municipality", d.code AS "District", m.id AS "MunicipalityId", s.name_latn AS "Name",
                       ST_X(s.centroid) AS "Lon", ST_Y(s.centroid) AS "Lat"
                FROM settlements s JOIN municipalities m ON m.id = s.municipality_id JOIN districts d ON d.id = m.district_id
                WHERE (m.code = 'nis') = {own}
                  AND d.code IS DISTINCT FROM (CASE WHEN {own} THEN NULL ELSE (SELECT d2.code FROM municipalities m2 JOIN districts d2 ON d2.id = m2.district_id WHERE m2.code = 'nis') END)
                  AND s.estimated_inhabitants >= 1000
                ORDER BY s.id LIMIT 1
                """).SingleAsync();
            return new Probe(null!, row.Id, row.Municipality, row.District, row.MunicipalityId, row.Name, row.Lon, row.Lat);
        }

        public async Task SetLevelAsync(string attribute, string level)
        {
            await using var db = _app.CreateContext();
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO attribute_levels (attribute, level, changed_at, changed_by) VALUES ({0}, {1}, now(), 'test')
                ON CONFLICT (attribute) DO UPDATE SET level = EXCLUDED.level WHERE attribute_levels.level <> EXCLUDED.level
                """, attribute, level);
        }

        public Task<Probe> ProbeAsync(Who who)
        {
            var (client, canary) = who switch
            {
                Who.Anonymous => (_clients["anonymous"], _own!),
                Who.CoordinatorOwn => (_clients["coordinator"], _own!),
                Who.CoordinatorOther => (_clients["coordinator"], _other!),
                _ => (_clients["administrator"], _own!),
            };
            return Task.FromResult(canary with { Client = client });
        }

        public async Task DisposeAsync()
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
            await _app.DisposeAsync();
        }
    }

    private sealed record CanaryRow(long Id, string Municipality, string District, int MunicipalityId, string Name, double Lon, double Lat);
}
