using System.Data;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Database;

/// <summary>One database definition file, its tokens expanded, and the SHA-256 of that text.</summary>
public sealed record SqlDefinition(string File, string Sql, string Hash);

/// <summary>
/// The database's functions, triggers and views, each defined once, in the current form, by a .sql file
/// of the feature that owns it: <c>Features/&lt;Feature&gt;/Sql/&lt;name&gt;.sql</c> holds the function or view
/// <c>name</c>, then every trigger that runs that function (a trigger lives in the file of its function).
/// A file is idempotent (CREATE OR REPLACE FUNCTION / VIEW, DROP TRIGGER IF EXISTS + CREATE TRIGGER; a
/// function whose signature or a view whose columns change is dropped first, IF EXISTS). It may end with
/// a data refresh after a line <c>-- @refill</c>: a refill of the table that the definition derives (see
/// settlement_layer_properties_source.sql), run each time the file is applied, after every file due has
/// been applied, so that it goes through the current version of every trigger.
/// <para>
/// Migrations keep what they ran (history) and are only needed for tables, columns and data. After them,
/// every path that migrates (<see cref="DatabaseInitialisation.MigrateAsync"/>) applies here, in
/// <see cref="Order"/>, each file whose text (tokens expanded) or whose database migration differs from
/// what the table database_definitions records: a changed file is applied again, and after any new
/// migration every file is (a migration may have had to drop a view or function to change a column under
/// it). All of it in one transaction, under an advisory lock so that instances starting together apply
/// it once. With nothing changed, this costs one SELECT.
/// </para>
/// </summary>
public static class DatabaseDefinitions
{
    /// <summary>
    /// Every definition file, in the order they are applied: what a definition needs at creation (a SQL
    /// function's body, a view's tables and functions, a trigger's function) comes before it.
    /// </summary>
    public static readonly IReadOnlyList<string> Order =
    [
        // Accounts
        "sign_in_decayed.sql", "sign_in_delay.sql", "sign_in_attempt.sql", "sign_in_release.sql", "account_changes_append_only.sql",
        // Editing, Coverage: append-only histories
        "settlement_changes_append_only.sql", "coverage_changes_append_only.sql",
        // Measures: the append-only history of plans and measures
        "measure_changes_append_only.sql",
        // Sensitivity: its history, the public view's displaced points
        "sensitivity_changes_append_only.sql", "disclosed_point.sql",
        // Export: the record of exports by signed-in viewers
        "export_records_append_only.sql",
        // History: every version of every settlement (the column lists first: the others are written from them;
        // a past survey's insertion last)
        "settlement_change_time.sql", "settlement_columns.sql", "record_settlement_version.sql", "settlements_as_of.sql", "settlements_during.sql",
        "insert_settlement_version.sql",
        // Layers: versions, then the kept layer properties (the view first: refresh_… reads it)
        "bump_layer.sql", "bump_layer_version.sql",
        "settlement_layer_properties_source.sql", "refresh_settlement_layer_properties.sql",
        "sync_settlement_layer_properties.sql", "truncate_settlement_layer_properties.sql",
        "sync_place_layer_properties.sql",
        // Tiles: settlement_points, its point pyramid (map_point_cell_size before its users), the edited areas
        "sync_settlement_point.sql", "truncate_settlement_points.sql",
        "map_point_cell_size.sql", "map_point_cell.sql", "map_point_cell_box.sql",
        "rebuild_point_pyramid.sql", "refresh_point_pyramid.sql", "point_pyramid_rebuild_is_cheaper.sql",
        // … and through time (its level first; its refill after history's backfill)
        "point_history_level.sql", "rebuild_point_history.sql", "refresh_point_history.sql", "point_history_rebuild_is_cheaper.sql",
        "queue_point_pyramid.sql", "settlements_point_pyramid.sql", "process_point_pyramid_queue.sql",
        "log_settlement_edit_box.sql", "log_settlement_edit_area.sql",
    ];

    private const string Table = "database_definitions";
    private const string LockKey = "settlementmap.database_definitions";
    private const string RefillMarker = "-- @refill";
    private static readonly Lazy<IReadOnlyList<SqlDefinition>> Embedded = new(() => Load(SqlDefinitionTokens.Values));

    /// <summary>The definition files embedded in the app, in <see cref="Order"/>, with tokens expanded.</summary>
    public static IReadOnlyList<SqlDefinition> Files => Embedded.Value;

    /// <summary>Reads the embedded files; a file missing from <see cref="Order"/>, or named there but absent, is an error.</summary>
    public static IReadOnlyList<SqlDefinition> Load(IReadOnlyDictionary<string, string> tokens)
    {
        var assembly = typeof(DatabaseDefinitions).Assembly;
        var embedded = assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var unordered = embedded.Except(Order).Order(StringComparer.Ordinal).ToList();
        var absent = Order.Except(embedded).ToList();
        if (unordered.Count > 0 || absent.Count > 0)
        {
            throw new InvalidOperationException(
                $"DatabaseDefinitions.Order and the Features/*/Sql files differ: not in Order: {string.Join(", ", unordered)}; no such file: {string.Join(", ", absent)}.");
        }
        return [.. Order.Select(file =>
        {
            using var stream = assembly.GetManifestResourceStream(file)!;
            using var reader = new StreamReader(stream);
            return Create(file, SqlDefinitionTokens.Expand(file, reader.ReadToEnd(), tokens));
        })];
    }

    public static SqlDefinition Create(string file, string sql) =>
        new(file, sql, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql))));

    /// <summary>Applies the embedded definitions that the database does not hold yet (see the class remarks).</summary>
    public static async Task ApplyAsync(SettlementMapDbContext db, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(logger);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var close = connection.State != ConnectionState.Open;
        if (close)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            var applied = await ApplyAsync(connection, Files, db.Database.GetMigrations().LastOrDefault() ?? "", cancellationToken);
            var milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (applied.Count > 0)
            {
                logger.LogInformation("Applied {Count} database definitions in {Milliseconds} ms: {Files}", applied.Count, milliseconds, string.Join(", ", applied));
            }
            else
            {
                logger.LogDebug("Database definitions unchanged (checked in {Milliseconds} ms)", milliseconds);
            }
        }
        finally
        {
            if (close)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>
    /// Applies those of <paramref name="definitions"/> whose hash or migration differ from the recorded
    /// ones, in the order given; returns the files applied (none: one SELECT was all it took).
    /// </summary>
    /// <param name="connection">An open connection to the migrated database.</param>
    /// <param name="definitions">The files, in the order to apply them.</param>
    /// <param name="migration">The database's last migration: after a new one, every file is applied again.</param>
    /// <param name="cancellationToken">Cancels the work (the transaction then rolls back).</param>
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlConnection connection, IReadOnlyList<SqlDefinition> definitions, string migration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(definitions);
        if (Due(await RecordedAsync(connection, null, cancellationToken), definitions, migration) is null)
        {
            return [];
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        // Again under the lock: an instance that started at the same time may have applied them meanwhile.
        var due = Due(await RecordedAsync(connection, transaction, cancellationToken), definitions, migration);
        if (due is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return [];
        }
        foreach (var definition in due.Apply)
        {
            await ExecuteAsync(connection, transaction, definition.File, definition.Sql[..RefillStart(definition.Sql)], cancellationToken);
        }
        foreach (var definition in due.Apply.Where(d => RefillStart(d.Sql) < d.Sql.Length))
        {
            await ExecuteAsync(connection, transaction, definition.File, definition.Sql[RefillStart(definition.Sql)..], cancellationToken);
        }
        foreach (var definition in due.Apply)
        {
            await using var record = new NpgsqlCommand($"""
                INSERT INTO {Table} (file, sha256, migration, applied_at) VALUES (@file, @sha256, @migration, clock_timestamp())
                ON CONFLICT (file) DO UPDATE SET sha256 = EXCLUDED.sha256, migration = EXCLUDED.migration, applied_at = EXCLUDED.applied_at
                """, connection, transaction);
            record.Parameters.AddWithValue("file", definition.File);
            record.Parameters.AddWithValue("sha256", definition.Hash);
            record.Parameters.AddWithValue("migration", migration);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        if (due.Forget.Count > 0)
        {
            // A file that is gone: its objects were dropped by a migration, and its row goes too.
            await using var forget = new NpgsqlCommand($"DELETE FROM {Table} WHERE file = ANY (@files)", connection, transaction);
            forget.Parameters.AddWithValue("files", due.Forget.ToArray());
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return [.. due.Apply.Select(d => d.File)];
    }

    /// <summary>Where the file's refill (the line <c>-- @refill</c> and what follows) starts; its length when it has none.</summary>
    private static int RefillStart(string sql)
    {
        var marker = sql.StartsWith(RefillMarker, StringComparison.Ordinal) ? 0 : sql.IndexOf("\n" + RefillMarker, StringComparison.Ordinal);
        return marker < 0 ? sql.Length : marker;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string file, string sql, CancellationToken cancellationToken)
    {
        // No timeout: a refill may rewrite a large table, and this runs only at start.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception)
        {
            throw new InvalidOperationException($"Applying the database definition {file} failed: {exception.MessageText}", exception);
        }
    }

    private sealed record Work(List<SqlDefinition> Apply, List<string> Forget);

    private static Work? Due(Dictionary<string, (string Hash, string Migration)> recorded, IReadOnlyList<SqlDefinition> definitions, string migration)
    {
        var apply = definitions.Where(d => !recorded.TryGetValue(d.File, out var r) || r.Hash != d.Hash || r.Migration != migration).ToList();
        var forget = recorded.Keys.Except(definitions.Select(d => d.File)).ToList();
        return apply.Count > 0 || forget.Count > 0 ? new Work(apply, forget) : null;
    }

    private static async Task<Dictionary<string, (string Hash, string Migration)>> RecordedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT file, sha256, migration FROM {Table}", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }
        return recorded;
    }
}
