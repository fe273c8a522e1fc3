using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SettlementMap.Web.Database;

/// <summary>
/// A throwaway PostgreSQL + PostGIS cluster in a folder of ours (initdb + pg_ctl), used when no
/// connection string is configured. Runs the server as "postgres" when we are root, because
/// initdb refuses root.
/// </summary>
public sealed class LocalPostgisCluster : IAsyncDisposable
{
    private const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";
    private const string PostgisControlFile = "/usr/share/postgresql/15/extension/postgis.control";

    private readonly string _directory;
    private readonly string _binDirectory;
    private bool _startedByUs;

    public LocalPostgisCluster(string directory, string? binDirectory = null)
    {
        _directory = Path.GetFullPath(directory);
        _binDirectory = binDirectory ?? Environment.GetEnvironmentVariable("SETTLEMENTMAP_PG_BIN") ?? DefaultBinDirectory;
    }

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_directory, "data");

    private static bool IsRoot => Environment.UserName == "root";

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    /// <summary>Starts the cluster, creating it first if the folder is empty. Reuses one already running there.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(_binDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({_binDirectory}/initdb is missing): apt-get install postgresql-15-postgis-3, or configure a connection string.");
        }
        if (!File.Exists(PostgisControlFile))
        {
            throw new InvalidOperationException(
                "PostGIS is not installed for PostgreSQL 15: apt-get install postgresql-15-postgis-3, or configure a connection string.");
        }

        Directory.CreateDirectory(_directory);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _directory], asPostgres: false, cancellationToken);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await RunAsync(Path.Combine(_binDirectory, "initdb"),
                ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"], asPostgres: true, cancellationToken);
        }

        var runningPort = await RunningPortAsync(cancellationToken);
        if (runningPort is { } port)
        {
            Port = port;
            return;
        }

        await StartServerAsync([], cancellationToken);
    }

    /// <summary>
    /// A hot standby of the cluster on 127.0.0.1:<paramref name="primaryPort"/>, made afresh in
    /// <paramref name="directory"/> by PostgreSQL's own tools: pg_basebackup -R copies the primary and
    /// writes the settings that make the copy stream and replay the primary's WAL. initdb's pg_hba.conf
    /// already trusts replication connections from 127.0.0.1.
    /// </summary>
    public static async Task<LocalPostgisCluster> StartStandbyAsync(string directory, int primaryPort, CancellationToken cancellationToken = default)
    {
        var standby = new LocalPostgisCluster(directory);
        await standby.StopAsync(force: true);
        if (Directory.Exists(standby.DataDirectory))
        {
            Directory.Delete(standby.DataDirectory, recursive: true);
        }
        Directory.CreateDirectory(standby._directory);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", standby._directory], asPostgres: false, cancellationToken);
        }
        await RunAsync(Path.Combine(standby._binDirectory, "pg_basebackup"),
        [
            "-D", standby.DataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync",
            "-h", "127.0.0.1", "-p", primaryPort.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
        ], asPostgres: true, cancellationToken);
        // hot_standby_feedback: the primary's vacuum keeps the rows a long read on the standby (an export)
        // still sees, instead of the standby cancelling that read when it replays the cleanup.
        await standby.StartServerAsync(["-c hot_standby=on", "-c hot_standby_feedback=on"], cancellationToken);
        return standby;
    }

    private async Task StartServerAsync(IReadOnlyList<string> extraOptions, CancellationToken cancellationToken)
    {
        Port = FreePort();
        // shared_buffers 512 MB, not the default 128 MB: the 100k scale database (275 MB with its
        // indexes) then stays in PostgreSQL's own cache instead of being read back from the OS's, and
        // the city-zoom bbox query ran 1.10-1.13x as many times a second (pgbench, A/B/A/B/A/B).
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"),
        [
            "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", string.Join(' ', [$"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=512MB", .. extraOptions]),
            "start",
        ], asPostgres: true, cancellationToken);
        _startedByUs = true;
    }

    /// <summary>Creates the database if it does not exist yet (EF Core would log a failed connection first).</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // CREATE DATABASE takes no parameters; the name is ours (a constant or a test's generated name), quoted as an identifier.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server if this instance started it (or, with <paramref name="force"/>, one left running in its folder).</summary>
    public async Task StopAsync(bool force = false)
    {
        if (!_startedByUs && !(force && File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))))
        {
            return;
        }
        var ours = _startedByUs;
        _startedByUs = false;
        // A forced stop of a server left from an earlier run may find it gone already: not an error.
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asPostgres: true, CancellationToken.None, throwOnError: ours);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task<int?> RunningPortAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }
        var status = await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "status"], asPostgres: true, cancellationToken, throwOnError: false);
        if (status != 0)
        {
            return null;
        }
        // postmaster.pid line 4 is the port.
        var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
        return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<int> RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres && IsRoot ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed ({process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}");
        }
        return process.ExitCode;
    }
}
