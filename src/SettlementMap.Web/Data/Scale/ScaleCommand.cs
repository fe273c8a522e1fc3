using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Database;

namespace SettlementMap.Web.Data.Scale;

/// <summary>
/// dotnet SettlementMap.Web.dll generate-scale …: fills a separate database with synthetic
/// settlements for scale and load testing. Never the app's own database.
/// </summary>
public static partial class ScaleCommand
{
    public const string DefaultSeed = "20260101";

    public const string Usage = """
        generate-scale --count N [--database NAME] [--seed N] [--region serbia|cee] [--versions V]

          Loads N synthetic settlements (e.g. 10000, 100000, 1000000; 10k, 100k and 1m work too) into a
          separate database, with the demo districts and municipalities, for scale and load testing.

          --count N          how many settlements (1 to 9,999,999)
          --database NAME    target database (default settlementmap_scale_N); created if missing,
                             migrated, earlier generated rows (code SCALE-…) replaced. Never "settlementmap".
          --seed N           random seed (default 20260101): the same seed and count give the same rows
          --region serbia    (default) inside Serbia's municipalities, weighted by area
          --versions V       (default 1) history: each settlement gets 1 to 2V-1 versions, V on average, in
                             settlement_versions (periods from 2016 to 2026, the last open and equal to the row)
          --region cee       load testing only: spread over Central and Eastern Europe (lon 12–30, lat 42–52),
                             each settlement assigned to the municipality with the nearest seat only to
                             satisfy the foreign key

          Server: the local cluster under .data/pg (started if needed, stopped again if this command
          started it), or, when SETTLEMENTMAP_DB is set, that server with the database name replaced.
          Progress goes to standard error, the summary to standard output.
        """;

    private const string MainDatabase = "settlementmap";

    public static async Task<int> RunAsync(ProjectPaths paths, string[] args)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var serverConnectionString = Environment.GetEnvironmentVariable(DatabaseRegistration.EnvironmentVariable);
        var options = Parse(args, string.IsNullOrWhiteSpace(serverConnectionString) ? null : new NpgsqlConnectionStringBuilder(serverConnectionString).Database, out var error);
        if (options is null)
        {
            Console.Error.WriteLine($"{error}\n\n{Usage}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        LocalPostgisCluster? cluster = null;
        try
        {
            string connectionString;
            if (string.IsNullOrWhiteSpace(serverConnectionString))
            {
                cluster = new LocalPostgisCluster(Path.Combine(paths.LocalState, "pg"));
                await cluster.StartAsync(cancel.Token);
                Console.Error.WriteLine($"Local PostGIS cluster in {Path.Combine(paths.LocalState, "pg")} on 127.0.0.1:{cluster.Port}");
                await cluster.EnsureDatabaseAsync(options.Database, cancel.Token);
                connectionString = cluster.ConnectionString(options.Database);
            }
            else
            {
                connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = options.Database }.ConnectionString;
                await EnsureDatabaseAsync(connectionString, options.Database, cancel.Token);
            }

            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString) { Name = "settlementmap-scale" };
            dataSourceBuilder.UseNetTopologySuite();
            await using var dataSource = dataSourceBuilder.Build();
            var progress = new ScaleProgressBar(Console.Error, options.Count);
            var loader = new ScaleLoader(dataSource, new DemoFiles(paths)) { Log = Console.Error, Progress = progress.Report };
            Console.Error.WriteLine($"Generating {options.Count:N0} settlements (seed {options.Seed}, region {options.Region.ToString().ToLowerInvariant()}, {options.Versions} versions on average) into {options.Database}");
            var result = await loader.LoadAsync(options.Seed, options.Count, options.Region, options.Versions, cancel.Token);

            var shown = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c,
                $"Generated {result.Count:N0} settlements in {result.LoadTime.TotalSeconds:0.0} s ({result.RowsPerSecond:N0} rows/s, of which {result.IndexTime.TotalSeconds:0.0} s rebuilding indexes); {result.TotalTime.TotalSeconds:0.0} s in all with migrations, clean-up and ANALYZE"));
            Console.WriteLine($"Database: {options.Database}");
            Console.WriteLine($"Connection: {shown.ConnectionString}");
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("\nCancelled; run the same command again to start over.");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (cluster is not null)
            {
                await cluster.StopAsync();
            }
        }
    }

    /// <summary>The parsed command line, or null with the reason.</summary>
    public static ScaleOptions? Parse(IReadOnlyList<string> args, string? protectedDatabase, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        int? count = null;
        string? database = null;
        var seed = int.Parse(DefaultSeed, CultureInfo.InvariantCulture);
        var region = ScaleRegion.Serbia;
        var versions = 1;
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            if (value is null)
            {
                error = $"Option '{args[i]}' needs a value.";
                return null;
            }
            switch (args[i])
            {
                case "--count":
                    count = ParseCount(value);
                    if (count is null)
                    {
                        error = $"--count must be a whole number from 1 to 9,999,999 (or 10k, 100k, 1m), not '{value}'.";
                        return null;
                    }
                    break;
                case "--database":
                    database = value;
                    break;
                case "--seed":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
                    {
                        error = $"--seed must be a 32-bit whole number, not '{value}'.";
                        return null;
                    }
                    break;
                case "--region":
                    if (value is not ("serbia" or "cee"))
                    {
                        error = $"--region must be serbia or cee, not '{value}'.";
                        return null;
                    }
                    region = value == "cee" ? ScaleRegion.Cee : ScaleRegion.Serbia;
                    break;
                case "--versions":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out versions) || versions is < 1 or > ScaleLoader.MaxVersions)
                    {
                        error = $"--versions must be a whole number from 1 to {ScaleLoader.MaxVersions}, not '{value}'.";
                        return null;
                    }
                    break;
                default:
                    error = $"Unknown option '{args[i]}'.";
                    return null;
            }
        }
        if (count is null)
        {
            error = "--count is required.";
            return null;
        }
        database ??= $"settlementmap_scale_{count.Value.ToString(CultureInfo.InvariantCulture)}";
        if (!DatabaseName().IsMatch(database))
        {
            error = $"--database must be a plain lower-case name (letters, digits, _; at most 63), not '{database}'.";
            return null;
        }
        if (database == MainDatabase || string.Equals(database, protectedDatabase, StringComparison.Ordinal))
        {
            error = $"'{database}' is the app's own database; generated data goes into a separate one.";
            return null;
        }
        error = "";
        return new ScaleOptions(count.Value, database, seed, region, versions);
    }

    private static int? ParseCount(string text)
    {
        var (digits, factor) = text switch
        {
            _ when text.EndsWith('k') => (text[..^1], 1_000),
            _ when text.EndsWith('m') => (text[..^1], 1_000_000),
            _ => (text, 1),
        };
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n * factor is >= 1 and <= 9_999_999
            ? (int)(n * factor)
            : null;
    }

    private static async Task EnsureDatabaseAsync(string connectionString, string database, CancellationToken cancellationToken)
    {
        // Ask the maintenance database, so the target need not exist yet.
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // The name matched DatabaseName() (lower-case letters, digits, _), so it needs no quoting.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}

public sealed record ScaleOptions(int Count, string Database, int Seed, ScaleRegion Region, int Versions = 1);
