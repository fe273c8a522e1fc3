using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace SettlementMap.Web.Http;

/// <summary>
/// The versions of the layer tables (layer_versions, bumped by a trigger on every committed change),
/// held in memory so that an ETag, and a response cache hit, cost no round trip to PostgreSQL.
/// The trigger also sends a notification on the channel <see cref="Channel"/>; a connection listening
/// on it drops the copy, so writes by anyone (another instance, psql, an import) are seen within
/// milliseconds. The app's own writes drop it themselves at commit (<see cref="Interceptor"/>), so
/// whoever saved sees the new versions at once. While the listener is not connected, every lookup
/// asks the database, as before.
/// </summary>
public sealed partial class LayerVersions(NpgsqlDataSource dataSource, ILogger<LayerVersions> logger) : BackgroundService
{
    public const string Channel = "layer_versions";

    /// <summary>How long the listener waits for a notification before checking its connection is alive.</summary>
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    private LayerVersionSnapshot? _versions;
    private readonly Lock _gate = new();
    private long _generation;
    private volatile bool _listening;

    /// <summary>True while the listener is connected, so the copy can be trusted.</summary>
    public bool Listening => _listening;

    /// <summary>Clears the app's copy after a write (EF Core calls it at commit and after SaveChanges); one for every DbContext.</summary>
    public IInterceptor Interceptor => _interceptor ??= new WriteInterceptor(this);

    private WriteInterceptor? _interceptor;

    /// <summary>
    /// The versions of <paramref name="tables"/> as "layer:version,…" (<see cref="LayerVersionSnapshot.Format"/>).
    /// </summary>
    public async ValueTask<string> GetAsync(IReadOnlyCollection<string> tables, CancellationToken cancellationToken, TileArea? tile = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var versions = Volatile.Read(ref _versions);
        if (versions is null || !_listening)
        {
            var generation = Interlocked.Read(ref _generation);
            versions = await LayerVersionSnapshot.ReadAsync(dataSource, cancellationToken);
            // Kept only if nothing was written since the read began: a commit that raced it has
            // already cleared the copy (or will, when its notification arrives).
            if (_listening)
            {
                lock (_gate)
                {
                    if (Interlocked.Read(ref _generation) == generation)
                    {
                        Volatile.Write(ref _versions, versions);
                    }
                }
            }
        }
        return versions.Format(tables, tile);
    }

    /// <summary>Forgets the copy: the next lookup reads the table again.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            Volatile.Write(ref _versions, null);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Invalidate();
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Anything committed before LISTEN took effect was not announced: start from a fresh read.
                Invalidate();
                _listening = true;
                delay = TimeSpan.FromSeconds(1);
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        if (!await connection.WaitAsync(KeepAliveInterval, stoppingToken))
                        {
                            await using var ping = new NpgsqlCommand("SELECT 1", connection);
                            await ping.ExecuteScalarAsync(stoppingToken);
                        }
                    }
                }
                finally
                {
                    // The pool does not reset connections (DatabaseRegistration.WithQuerySettings): leave none listening.
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        try
                        {
                            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                        }
                        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or IOException)
                        {
                            // A broken connection is not pooled again: nothing is left listening.
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is NpgsqlException or DbException or IOException or TimeoutException)
            {
                LogListenerLost(logger, exception, delay.TotalSeconds);
            }
            finally
            {
                _listening = false;
                Invalidate();
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the layer_versions listener; ETags are looked up per request until it reconnects (in {Seconds} s)")]
    private static partial void LogListenerLost(ILogger logger, Exception exception, double seconds);

    /// <summary>Clears the copy after each save and each commit of the app's own DbContext.</summary>
    private sealed class WriteInterceptor(LayerVersions versions) : ISaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
    {
        public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            versions.Invalidate();
            return result;
        }

        public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            versions.Invalidate();
            return ValueTask.FromResult(result);
        }

        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => versions.Invalidate();

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            versions.Invalidate();
            return Task.CompletedTask;
        }

        // ExecuteUpdate / ExecuteDelete bypass SaveChanges.
        public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            versions.Invalidate();
            return result;
        }

        public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            versions.Invalidate();
            return ValueTask.FromResult(result);
        }
    }
}

/// <summary>The layer tables' versions and the settlements' edit areas as one server had them at one moment.</summary>
public sealed class LayerVersionSnapshot
{
    /// <summary>The layer whose tiles follow <see cref="EditAreaLog"/> rather than its one version.</summary>
    private const string AreaLayer = "settlements";

    private readonly Dictionary<string, long> _versions;
    private readonly EditAreaLog _areas;

    private LayerVersionSnapshot(Dictionary<string, long> versions, EditAreaLog areas)
    {
        _versions = versions;
        _areas = areas;
    }

    /// <summary>
    /// The versions of <paramref name="tables"/> as "layer:version,…" in layer order ("" for none known).
    /// For a tile (<paramref name="tile"/>), the settlements layer is named by the version its area
    /// last changed at ("settlements@area:version"), so edits elsewhere leave the tile's ETag alone.
    /// </summary>
    public string Format(IReadOnlyCollection<string> tables, TileArea? tile = null) =>
        string.Join(',', tables.Where(_versions.ContainsKey).Order(StringComparer.Ordinal).Select(t =>
            tile is { } area && t == AreaLayer ? t + "@area:" + _areas.VersionFor(area) : t + ":" + _versions[t]));

    /// <summary>Reads the versions from <paramref name="dataSource"/>'s server (the primary, or a replica).</summary>
    public static async Task<LayerVersionSnapshot> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var areas = new List<EditArea>();
        // The versions first: an edit committed between the two reads adds an area newer than the
        // version read, which only makes the tiles it reaches look changed a moment early.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT layer, version FROM layer_versions"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT version, min_x, min_y, max_x, max_y FROM settlement_edit_areas ORDER BY version"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            areas.Add(new EditArea(reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
        }
        return new LayerVersionSnapshot(versions, EditAreaLog.From(areas, versions.GetValueOrDefault(AreaLayer)));
    }
}
