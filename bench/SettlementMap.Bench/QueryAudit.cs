using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SettlementMap.Web;
using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Tiles;
using SettlementMap.Web.Geo;

namespace SettlementMap.Bench;

/// <summary>
/// The app in-process (its real pipeline, WebApplicationFactory) over the 100k database: every
/// SQL statement each request sends is recorded from Npgsql's tracing (EF Core's go through Npgsql
/// too), which shows the statements per request (no N+1: the count does not grow with the rows);
/// then EXPLAIN (ANALYZE, BUFFERS) of the main statement of the main requests, with the SQL text the
/// app sent. Where the app has a public builder for it (LayerSql, TileSql) the builder's text must
/// equal what was sent, and gives the parameters.
/// </summary>
public static class QueryAudit
{
    /// <summary>
    /// A request to audit. To EXPLAIN its main (last) statement: either the app's builder for it
    /// (SQL and parameters; its SQL must be what the app sent) or, for SQL written inside a handler,
    /// the parameters of the filter it was given (SettlementSql.Conditions) with the sent text.
    /// </summary>
    private sealed record Probe(string Name, string Path, Func<(string Sql, List<NpgsqlParameter> Parameters)>? Builder = null, Func<List<NpgsqlParameter>>? Parameters = null)
    {
        public bool Explain => Builder is not null || Parameters is not null;
    }

    private sealed record Statement(string Sql, TimeSpan Duration);

    public static async Task<int> RunAsync(string connectionString, string directory)
    {
        var bbox = File.ReadLines(Path.Combine(directory, "bbox.paths")).First();
        var tiles = Workload.TileZooms.ToDictionary(z => z, z => File.ReadLines(Path.Combine(directory, $"tiles-z{z}.paths")).First());
        const string District = "RS.SE.20"; // Nišava
        var probes = new List<Probe>
        {
            new("Layer, city bbox, zoom 14", bbox, () => LayerSql.Settlements(BboxFilter(bbox))),
            new("Layer, one district (Nišava), zoom 10", $"/api/layers/settlements?district={District}&zoom=10"),
            new("Tile z14", tiles[14], () => TileBuilder(tiles[14])),
            new("Tile z12", tiles[12]),
            new("Tile z8", tiles[8], () => TileBuilder(tiles[8])),
            // Issue 23: the same requests as of an instant in the middle of the history (settlement_versions).
            new($"Layer, city bbox, zoom 14, as of {AsOf}", $"{bbox}&as_of={AsOf}", () => LayerSql.Settlements(BboxFilter(bbox) with { Time = AsOfTime })),
            new($"Tile z12, as of {AsOf}", $"{tiles[12]}?as_of={AsOf}", () => TileBuilder(tiles[12], AsOfTime)),
            new($"Tile z8, as of {AsOf}", $"{tiles[8]}?as_of={AsOf}", () => TileBuilder(tiles[8], AsOfTime)),
            new("Summary (the map's count at scale), no filter", "/api/layers/settlements/summary", Parameters: () => []),
            new("Summary, one district", $"/api/layers/settlements/summary?district={District}"),
            new("Export CSV (WKT), one district", $"/api/export/settlements?format=csv&district={District}",
                Parameters: () => SettlementSql.Conditions(LayerQuery.NoFilter with { District = District }).Parameters),
            new("Export GeoJSON, one district", $"/api/export/settlements?format=geojson&district={District}"),
        };

        // WebApplicationFactory looks for its manifest in the current folder; name the content root instead.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SETTLEMENTMAP_WEB", Path.Combine(ProjectPaths.Find().Root, "src", "SettlementMap.Web"));
        using var log = new StatementLog();
        await using var factory = new BenchFactory(connectionString);
        using var client = factory.CreateClient();
        var pool = new NpgsqlConnectionStringBuilder(factory.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
        Figures.Add(directory, "pool", $"Pooling={pool.Pooling}; Minimum Pool Size={pool.MinPoolSize}; Maximum Pool Size={pool.MaxPoolSize}; Options={pool.Options}; Max Auto Prepare={pool.MaxAutoPrepare}; Auto Prepare Min Usages={pool.AutoPrepareMinUsages}");
        Figures.Add(directory, "map_queries", factory.Services.GetRequiredService<IConfiguration>()
            .GetValue(Web.Http.MapQueryLimiter.ConcurrencySetting, Web.Http.MapQueryLimiter.DefaultConcurrency).ToString(CultureInfo.InvariantCulture));
        // Start-up (migrations check) and one request first, so the counts below are per request only.
        await GetAsync(client, "/api/config");
        log.Take();

        var statements = new StringBuilder();
        statements.AppendLine("| request | statements | each statement (ms until its reader closed) | response |");
        statements.AppendLine("|---|---:|---|---:|");
        var sentBy = new Dictionary<Probe, List<Statement>>();
        foreach (var probe in probes)
        {
            var (status, bytes) = await GetAsync(client, probe.Path);
            var sent = sentBy[probe] = log.Take();
            statements.AppendLine(CultureInfo.InvariantCulture, $"| {probe.Name}<br>`{probe.Path}` | {sent.Count} | {string.Join("<br>", sent.Select(Describe))} | {status}, {Size(bytes)} |");
            Figures.Add(directory, "statements.max", sent.Count);
        }

        var explains = new StringBuilder();
        // The app's session settings (JIT off), so the plans are the ones the app gets.
        await using var dataSource = NpgsqlDataSource.Create(Web.Database.DatabaseRegistration.WithQuerySettings(connectionString));
        foreach (var probe in probes.Where(p => p.Explain))
        {
            var main = sentBy[probe].LastOrDefault() ?? throw new BenchException($"{probe.Name}: no statement was recorded.");
            var (sql, parameters) = probe.Builder?.Invoke() ?? (main.Sql, probe.Parameters!());
            if (!string.Equals(Normalise(sql), Normalise(main.Sql), StringComparison.Ordinal))
            {
                throw new BenchException($"{probe.Name}: the SQL the app sent is not the builder's.\nSent:\n{main.Sql}\nBuilder:\n{sql}");
            }
            explains.AppendLine(CultureInfo.InvariantCulture, $"### {probe.Name}\n\n`GET {probe.Path}`{Parameters(parameters)}\n");
            explains.AppendLine("```sql\n" + sql.Trim() + "\n```\n");
            explains.AppendLine("```\n" + await ExplainAsync(dataSource, sql, parameters) + "\n```\n");
        }
        explains.AppendLine("### Indexes\n\n```");
        await using (var command = dataSource.CreateCommand(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('settlements', 'settlement_versions', 'municipalities', 'districts', 'layer_versions') ORDER BY tablename, indexname"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                explains.AppendLine(reader.GetString(0));
            }
        }
        explains.AppendLine("```");
        await File.WriteAllTextAsync(Path.Combine(directory, "statements.md"), statements.ToString());
        await File.WriteAllTextAsync(Path.Combine(directory, "explain.md"), explains.ToString());
        Console.WriteLine($"{probes.Count} requests audited, {probes.Count(p => p.Explain)} plans captured");
        return 0;
    }

    private static async Task<(int Status, long Bytes)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var body = new CountingStream();
        await response.Content.CopyToAsync(body);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"GET {path}: {(int)response.StatusCode}");
        }
        return ((int)response.StatusCode, body.Length);
    }

    private static async Task<string> ExplainAsync(NpgsqlDataSource dataSource, string sql, List<NpgsqlParameter> parameters)
    {
        await using var command = dataSource.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new StringBuilder();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }
        return plan.ToString().TrimEnd();
    }

    private static SettlementFilter BboxFilter(string path)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + path).Query);
        if (!BoundingBox.TryParse(query["bbox"].ToString(), out var box, out var error))
        {
            throw new BenchException(error);
        }
        return LayerQuery.NoFilter with { Bbox = box, Zoom = int.Parse(query["zoom"].ToString(), CultureInfo.InvariantCulture) };
    }

    /// <summary>The instant bench/run.sh's as-of section asks for (BENCH_AS_OF there): a day in the middle of the scale history.</summary>
    public const string AsOf = "2021-01-01";

    private static readonly SettlementMap.Web.Features.History.SettlementTime AsOfTime =
        SettlementMap.Web.Features.History.SettlementTime.Instant(SettlementMap.Web.Features.History.SettlementTime.EndOf(DateOnly.Parse(AsOf, CultureInfo.InvariantCulture)));

    private static (string, List<NpgsqlParameter>) TileBuilder(string path, SettlementMap.Web.Features.History.SettlementTime? time = null)
    {
        // /tiles/settlements/{z}/{x}/{y}.mvt
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int Part(int i) => int.Parse(parts[i].Replace(".mvt", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return TileSql.Settlements(Part(2), Part(3), Part(4), LayerQuery.NoFilter with { Time = time });
    }

    private static string Describe(Statement s)
    {
        var sql = Normalise(s.Sql);
        var head = sql.Length > 70 ? sql[..70] + "…" : sql;
        return string.Create(CultureInfo.InvariantCulture, $"`{head.Replace("|", "\\|", StringComparison.Ordinal)}` ({s.Duration.TotalMilliseconds:0.#} ms)");
    }

    private static string Size(long bytes) =>
        bytes < 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B") : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");

    private static string Parameters(List<NpgsqlParameter> parameters) =>
        parameters.Count == 0 ? "" : "; parameters " + string.Join(", ", parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"@{p.ParameterName} = {p.Value}")));

    private static string Normalise(string sql) => string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The app, configured as bench/run.sh runs it (no demo data, no base map).</summary>
    private sealed class BenchFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:SettlementMap", connectionString);
            builder.UseSetting("Demo:Load", "false");
            builder.UseSetting("Map:BaseLayer:Url", "");
            builder.UseEnvironment("Production");
        }
    }

    /// <summary>Every statement Npgsql executes in this process (its ActivitySource "Npgsql"), with its text, duration and rows.</summary>
    private sealed class StatementLog : IDisposable
    {
        private readonly ConcurrentQueue<Statement> _statements = new();
        private readonly ActivityListener _listener;

        public StatementLog()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.GetTagItem("db.query.text") is string text)
                    {
                        _statements.Enqueue(new Statement(text, activity.Duration));
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Statement> Take()
        {
            var taken = new List<Statement>();
            while (_statements.TryDequeue(out var statement))
            {
                taken.Add(statement);
            }
            return taken;
        }

        public void Dispose() => _listener.Dispose();
    }
}
