using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Database;

/// <summary>The replica's settings (section <c>Database:Replica</c>), each bounded.</summary>
public sealed record ReplicaOptions(TimeSpan PollInterval, TimeSpan MaxLag, TimeSpan ReadYourWritesFor)
{
    public const string Section = "Database:Replica";

    public static ReplicaOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        return new ReplicaOptions(
            TimeSpan.FromMilliseconds(Math.Clamp(section.GetValue("PollMilliseconds", 100), 10, 10_000)),
            TimeSpan.FromSeconds(Math.Clamp(section.GetValue("MaxLagSeconds", 30), 1, 3600)),
            TimeSpan.FromSeconds(Math.Clamp(section.GetValue("ReadYourWritesSeconds", 600), 10, 86_400)));
    }
}

/// <summary>
/// How far behind the primary a replica is, in time: the primary's WAL position is sampled at each poll,
/// and the replica is as far behind as the oldest sample it has not replayed yet. A byte count says nothing
/// of how stale an answer is; a timestamp of the last replayed transaction grows on an idle primary too.
/// </summary>
public sealed class ReplicaLag
{
    private (DateTimeOffset At, NpgsqlLogSequenceNumber Lsn)? _oldestUnreplayed;

    /// <summary>Records one poll: the primary's position and the replica's replayed position, both read at <paramref name="now"/>.</summary>
    public void Observe(DateTimeOffset now, NpgsqlLogSequenceNumber primary, NpgsqlLogSequenceNumber replayed)
    {
        if (_oldestUnreplayed is { } pending && replayed >= pending.Lsn)
        {
            _oldestUnreplayed = null;
        }
        if (_oldestUnreplayed is null && replayed < primary)
        {
            _oldestUnreplayed = (now, primary);
        }
    }

    /// <summary>How long the oldest change the replica has not replayed has been waiting (zero when it has them all).</summary>
    public TimeSpan Behind(DateTimeOffset now) => _oldestUnreplayed is { } pending ? now - pending.At : TimeSpan.Zero;
}

/// <summary>
/// A hot-standby replica fed by PostgreSQL's own streaming replication (pg_basebackup -R; README, "A read
/// replica"), configured by ConnectionStrings:SettlementMapReplica or SETTLEMENTMAP_DB_REPLICA. Reads are
/// routed to it by <see cref="ReadRoute"/>. A standby takes no LISTEN, so instead of the primary's
/// notifications (<see cref="LayerVersions"/>) this polls, every <see cref="ReplicaOptions.PollInterval"/>,
/// how far it has replayed and, when that moved, its layer versions: read after the position, they are at
/// least that new, and read before any request's body, they are never newer than that body. So an ETag made
/// from them never names a change the answer lacks. It is not used while a poll fails, or while it is more
/// than <see cref="ReplicaOptions.MaxLag"/> behind.
/// </summary>
public sealed partial class ReadReplica(NpgsqlDataSource replica, NpgsqlDataSource primary, ReplicaOptions options, TimeProvider clock, ILogger<ReadReplica> logger)
    : BackgroundService
{
    public const string ConnectionStringName = "SettlementMapReplica";
    public const string EnvironmentVariable = "SETTLEMENTMAP_DB_REPLICA";

    /// <summary>What the replica had replayed at one poll, and its layer versions then.</summary>
    public sealed record State(NpgsqlLogSequenceNumber Replayed, LayerVersionSnapshot Versions, DateTimeOffset PolledAt, TimeSpan Behind);

    private State? _state;
    private readonly ReplicaLag _lag = new();

    public NpgsqlDataSource DataSource => replica;

    public ReplicaOptions Options => options;

    /// <summary>The latest poll's state while the replica may serve reads; null while it may not.</summary>
    public State? Usable
    {
        get
        {
            var state = Volatile.Read(ref _state);
            // A poller that stopped answering says nothing about now. Generous: on a loaded machine the loop itself runs
            // late, and an older snapshot is still safe (older versions than the body), only its lag figure is stale.
            var fresh = state is not null && clock.GetUtcNow() - state.PolledAt <= options.PollInterval * 5 + TimeSpan.FromSeconds(5);
            return fresh && state!.Behind <= options.MaxLag ? state : null;
        }
    }

    /// <summary>The primary's WAL position now: a write committed before this call is at or before it.</summary>
    public static async Task<NpgsqlLogSequenceNumber> PrimaryPositionAsync(NpgsqlDataSource primary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        await using var command = primary.CreateCommand("SELECT pg_current_wal_lsn()");
        return (NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stoppingToken);
                if (failing)
                {
                    LogReplicaBack(logger);
                    failing = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is NpgsqlException or DbException or IOException or TimeoutException or InvalidOperationException)
            {
                Volatile.Write(ref _state, null);
                if (!failing)
                {
                    LogReplicaLost(logger, exception);
                    failing = true;
                }
            }
            try
            {
                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        Volatile.Write(ref _state, null);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var primaryAt = await PrimaryPositionAsync(primary, cancellationToken);
        NpgsqlLogSequenceNumber replayed;
        await using (var command = replica.CreateCommand("SELECT pg_last_wal_replay_lsn()"))
        {
            // NULL: the server is not a standby (a misconfiguration): its reads would be the primary's, but its position says nothing.
            replayed = await command.ExecuteScalarAsync(cancellationToken) is NpgsqlLogSequenceNumber lsn
                ? lsn
                : throw new InvalidOperationException("The configured replica is not a hot standby (pg_last_wal_replay_lsn() is NULL).");
        }
        var previous = Volatile.Read(ref _state);
        var versions = previous is not null && previous.Replayed == replayed
            ? previous.Versions
            : await LayerVersionSnapshot.ReadAsync(replica, cancellationToken);
        var now = clock.GetUtcNow();
        _lag.Observe(now, primaryAt, replayed);
        Volatile.Write(ref _state, new State(replayed, versions, now, _lag.Behind(now)));
    }

    public override void Dispose()
    {
        base.Dispose();
        replica.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The read replica does not answer; reads go to the primary until it does")]
    private static partial void LogReplicaLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The read replica answers again")]
    private static partial void LogReplicaBack(ILogger logger);
}
