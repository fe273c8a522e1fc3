using Npgsql;
using SettlementMap.Web.Database;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>
/// A primary with the demo database and a hot standby of it, made by PostgreSQL's own streaming replication
/// (<see cref="LocalPostgisCluster.StartStandbyAsync"/>: pg_basebackup -R), for one test class. The standby is
/// reached through a <see cref="TcpProxy"/>, so a test can take it away as in an outage. The pair is its own,
/// not the run's shared server, so its replay carries no other class's work.
/// </summary>
public sealed class ReplicatedDatabase(IMessageSink messageSink) : IAsyncLifetime
{
    private LocalPostgisCluster? _primary;
    private LocalPostgisCluster? _standby;

    public string PrimaryConnectionString { get; private set; } = "";

    /// <summary>The standby's connection string, through <see cref="ReplicaProxy"/>.</summary>
    public string ReplicaConnectionString { get; private set; } = "";

    /// <summary>The standby's own connection string (replay control), not through the proxy.</summary>
    private string StandbyAdminConnectionString { get; set; } = "";

    public TcpProxy ReplicaProxy { get; private set; } = null!;

    /// <summary>A connection string to the standby through a relay of the caller's own (to cut it without cutting the class's).</summary>
    public string ReplicaConnectionStringThrough(TcpProxy proxy) =>
        new NpgsqlConnectionStringBuilder(StandbyAdminConnectionString) { Port = proxy.Port }.ConnectionString;

    public int StandbyPort => _standby!.Port;

    public async Task InitializeAsync()
    {
        var shared = Environment.GetEnvironmentVariable("SETTLEMENTMAP_TEST_PG_DIR") ?? Path.Combine(PostgisServer.Paths.LocalState, "test-pg");
        var directory = shared.TrimEnd('/') + "-replication";
        var (server, primary) = await PostgisServer.StartOwnClusterAsync(Path.Combine(directory, "primary"));
        _primary = primary;
        PrimaryConnectionString = await server.CreateDatabaseAsync(PostgisServer.DemoTemplate);
        _standby = await LocalPostgisCluster.StartStandbyAsync(Path.Combine(directory, "standby"), primary.Port);
        var database = new NpgsqlConnectionStringBuilder(PrimaryConnectionString).Database!;
        StandbyAdminConnectionString = _standby.ConnectionString(database);
        ReplicaProxy = new TcpProxy(_standby.Port);
        ReplicaConnectionString = new NpgsqlConnectionStringBuilder(StandbyAdminConnectionString) { Port = ReplicaProxy.Port }.ConnectionString;
        await WaitForReplayAsync();
        messageSink.OnMessage(new Xunit.Sdk.DiagnosticMessage($"ReplicatedDatabase: primary on port {primary.Port}, standby on port {_standby.Port} (proxy {ReplicaProxy.Port})"));
    }

    public async Task DisposeAsync()
    {
        await ReplicaProxy.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_standby is not null)
        {
            await _standby.StopAsync();
        }
        if (_primary is not null)
        {
            await _primary.StopAsync();
        }
    }

    /// <summary>Holds replay back: the standby keeps receiving the primary's WAL but applies none of it.</summary>
    public async Task PauseReplayAsync()
    {
        await StandbyAsync("SELECT pg_wal_replay_pause()");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((string?)await StandbyAsync("SELECT pg_get_wal_replay_pause_state()") != "paused")
        {
            Assert.True(DateTime.UtcNow < deadline, "the standby's replay pauses within 30 s");
            await Task.Delay(20);
        }
    }

    public Task ResumeReplayAsync() => StandbyAsync("SELECT pg_wal_replay_resume()");

    /// <summary>Waits until the standby has replayed everything the primary had written when this was called.</summary>
    public async Task WaitForReplayAsync()
    {
        var target = await PrimaryAsync("SELECT pg_current_wal_lsn()::text");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (await StandbyAsync($"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") is true)
                {
                    return;
                }
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // The database is not there yet: its CREATE DATABASE is still being replayed.
            }
            Assert.True(DateTime.UtcNow < deadline, "the standby catches up within 60 s");
            await Task.Delay(20);
        }
    }

    public Task<object?> PrimaryAsync(string sql) => ScalarAsync(PrimaryConnectionString, sql);

    public Task<object?> StandbyAsync(string sql) => ScalarAsync(StandbyAdminConnectionString, sql);

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
