using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Database;

namespace SettlementMap.Web.Data.Scale;

/// <summary>What a load did.</summary>
/// <param name="Count">Settlements written.</param>
/// <param name="LoadTime">From the first row to the committed data with its indexes.</param>
/// <param name="IndexTime">The part of <paramref name="LoadTime"/> spent rebuilding the indexes.</param>
/// <param name="TotalTime">Everything: migrations, demo boundaries, clean-up, load, ANALYZE.</param>
/// <param name="RemovedEarlier">Generated settlements of an earlier run, replaced.</param>
/// <param name="LoadedDemoBoundaries">Whether the database was empty and got the demo districts and municipalities.</param>
public sealed record ScaleLoadResult(int Count, TimeSpan LoadTime, TimeSpan IndexTime, TimeSpan TotalTime, int RemovedEarlier, bool LoadedDemoBoundaries)
{
    public double RowsPerSecond => Count / Math.Max(LoadTime.TotalSeconds, 1e-9);
}

/// <summary>
/// Fills a scale-test database: migrations, the demo districts and municipalities (without the demo
/// settlements), then <see cref="ScaleGenerator"/>'s settlements by binary COPY in batches, streamed
/// from a generator thread so neither side holds more than a couple of batches.
/// </summary>
public sealed class ScaleLoader(NpgsqlDataSource dataSource, DemoFiles demoFiles)
{
    public const int BatchSize = 10_000;

    // Every written column of settlements; id (identity), area_m2 and centroid (generated) and xmin are the database's.
    private const string CopyCommand = """
        COPY settlements (code, name_latn, name_cyrl, municipality_id, settlement_type, location_class, decade_founded, geom,
            estimated_inhabitants, households, population_year, population_source, dwelling_count, main_building_material,
            substandard_share_pct, legal_status, overcrowding, planning_document, water_supply, sewerage, electricity, heating,
            paved_access_road, street_network, waste_collection, street_lighting, distance_to_seat_m, distance_to_primary_school_m,
            distance_to_preschool_m, distance_to_health_centre_m, distance_to_social_work_centre_m, distance_to_transport_stop_m,
            distance_to_pharmacy_m, flood_zone, hazard_nearby, eviction_threat, source, data_collected_on, updated_at, updated_by,
            search_key) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Status lines ("Loaded the demo boundaries", …); the progress bar is separate.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Called after each row with the number written so far.</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>The most versions a settlement may have on average (<c>--versions</c>).</summary>
    public const int MaxVersions = 20;

    /// <summary>Loads <paramref name="count"/> settlements, each with one version (its row) in settlement_versions.</summary>
    public async Task<ScaleLoadResult> LoadAsync(int seed, int count, ScaleRegion region, CancellationToken cancellationToken = default) =>
        await LoadAsync(seed, count, region, 1, cancellationToken);

    /// <summary>Loads <paramref name="count"/> settlements, each with on average <paramref name="versions"/> versions in settlement_versions (<see cref="ScaleVersions"/>).</summary>
    public async Task<ScaleLoadResult> LoadAsync(int seed, int count, ScaleRegion region, int versions, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(versions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(versions, MaxVersions);
        var total = Stopwatch.StartNew();
        var options = new DbContextOptionsBuilder<SettlementMapDbContext>()
            .UseNpgsql(dataSource, o => o.UseNetTopologySuite())
            .Options;
        await using var db = new SettlementMapDbContext(options);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30)); // Migrations of a database that already holds a million rows take a while.

        await DatabaseInitialisation.MigrateAsync(db, NullLogger.Instance);
        // A scale database holds only generated settlements: the demo's boundaries come without the demo settlements and their history.
        var loadedDemo = await new DemoDataLoader(demoFiles, db, NullLogger<DemoDataLoader>.Instance).LoadBoundariesIfEmptyAsync(cancellationToken);
        if (loadedDemo)
        {
            Log.WriteLine("Loaded the demo districts and municipalities.");
        }

        var municipalities = await db.Municipalities.AsNoTracking().OrderBy(m => m.Id)
            .Select(m => new ScaleMunicipality(m.Id, m.Seat, m.Geom))
            .ToListAsync(cancellationToken);
        var generator = new ScaleGenerator(seed, region, municipalities);

        // One transaction from removing the earlier rows to the rebuilt indexes: an interrupted run leaves the
        // previous data as it was, and other sessions wait (DROP INDEX locks the table) rather than see half a load.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await RemoveEarlierAsync(connection, cancellationToken);
        if (removed > 0)
        {
            Log.WriteLine($"Removed {removed:N0} settlements of an earlier run.");
        }

        // Building the secondary indexes (GiST on geom and centroid, trigram GIN, btree) once after the load is
        // several times cheaper than maintaining them row by row. They come back from their own definitions.
        var load = Stopwatch.StartNew();
        var indexes = await SecondaryIndexesAsync(connection, cancellationToken);
        // settlement_versions' too when the history is written here (ScaleVersions): ~5 versions a settlement.
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX {QuoteIdentifier(name)}", cancellationToken);
        }
        // The layer's kept properties (Features/Layers/Sql/sync_settlement_layer_properties.sql) written once for the whole load,
        // not by their row trigger at each row: that halved the load's rate (1,770 rows/s at 100k, from ~4,000).
        // The table is already locked by DROP INDEX, and the trigger is back on before the commit.
        await ExecuteAsync(connection, "ALTER TABLE settlements DISABLE TRIGGER settlements_layer_properties", cancellationToken);
        // Their history too (Features/History/Sql/settlement_versions.sql's trigger): written below in one statement.
        await ExecuteAsync(connection, "ALTER TABLE settlements DISABLE TRIGGER settlement_versions_record", cancellationToken);
        var written = await CopyAsync(connection, generator, count, cancellationToken);
        await ExecuteAsync(connection, "ALTER TABLE settlements ENABLE TRIGGER settlement_versions_record", cancellationToken);
        await ExecuteAsync(connection, "ALTER TABLE settlements ENABLE TRIGGER settlements_layer_properties", cancellationToken);
        await ScaleVersions.WriteAsync(connection, seed, versions, cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO settlement_layer_properties
            SELECT v.id, v.properties FROM settlement_layer_properties_source v
            WHERE NOT EXISTS (SELECT 1 FROM settlement_layer_properties k WHERE k.id = v.id)
            """, cancellationToken);
        var indexing = Stopwatch.StartNew();
        Log.WriteLine($"Rebuilding {indexes.Count} indexes of settlements and settlement_versions…");
        foreach (var (_, definition) in indexes)
        {
            await ExecuteAsync(connection, definition, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        indexing.Stop();
        load.Stop();

        // settlement_points was filled row by row by its trigger (Features/Tiles/Sql/sync_settlement_point.sql),
        // and its pyramid rebuilt once at the commit (process_point_pyramid_queue.sql): its statistics too.
        await ExecuteAsync(connection, "ANALYZE settlements, settlement_points, settlement_layer_properties, settlement_versions", cancellationToken);
        return new ScaleLoadResult(written, load.Elapsed, indexing.Elapsed, total.Elapsed, removed, loadedDemo);
    }

    private static async Task<int> RemoveEarlierAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand(
            $"SELECT count(*) FILTER (WHERE code LIKE '{ScaleGenerator.CodePrefix}%'), count(*) FROM settlements", connection);
        long earlier, all;
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (earlier, all) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        // An earlier run's history goes with its rows (TRUNCATE fires no row trigger that would close it).
        await ExecuteAsync(connection, $"DELETE FROM settlement_versions WHERE code LIKE '{ScaleGenerator.CodePrefix}%'", cancellationToken);
        if (earlier == 0)
        {
            return 0;
        }
        if (earlier == all)
        {
            // Only generated rows: TRUNCATE is instant and leaves no dead rows behind. measure_settlements references
            // settlements (PostgreSQL refuses to truncate one without the other); its rows could only name generated
            // settlements, which a DELETE would take with them too.
            await ExecuteAsync(connection, "TRUNCATE settlements, measure_settlements", cancellationToken);
            return (int)earlier;
        }
        return await ExecuteAsync(connection, $"DELETE FROM settlements WHERE code LIKE '{ScaleGenerator.CodePrefix}%'", cancellationToken);
    }

    private static async Task<List<(string Name, string Definition)>> SecondaryIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Not the primary key, not a unique index nor an exclusion constraint's: those guard the data while it loads.
        const string sql = """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid IN ('settlements'::regclass, 'settlement_versions'::regclass) AND NOT x.indisunique AND NOT x.indisprimary AND NOT x.indisexclusion
            ORDER BY x.indrelid, i.relname
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var indexes = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        return indexes;
    }

    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        // Statements of this class only: constants, and index names and definitions read from the catalogue.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string QuoteIdentifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private async Task<int> CopyAsync(NpgsqlConnection connection, ScaleGenerator generator, int count, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<Settlement>(new BoundedChannelOptions(4096)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var settlement in generator.Generate(count))
                {
                    await channel.Writer.WriteAsync(settlement.Row, stop.Token);
                }
                channel.Writer.Complete();
            }
            catch (Exception exception)
            {
                channel.Writer.TryComplete(exception);
                throw;
            }
        }, stop.Token);

        var written = 0;
        var updatedAt = DateTimeOffset.UtcNow;
        try
        {
            Progress?.Invoke(0);
            var reader = channel.Reader;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                // One COPY per batch: each commits on its own, so a long load shows up (and can be queried) as it goes.
                await using var importer = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken);
                var inBatch = 0;
                while (inBatch < BatchSize && await reader.WaitToReadAsync(cancellationToken) && reader.TryRead(out var row))
                {
                    await WriteAsync(importer, row, updatedAt, cancellationToken);
                    inBatch++;
                    written++;
                    Progress?.Invoke(written);
                }
                await importer.CompleteAsync(cancellationToken);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        await producer;
        return written;
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter importer, Settlement s, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken);
        await importer.WriteAsync(s.Code, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(s.NameLatn, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(s.NameCyrl, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(s.MunicipalityId, NpgsqlDbType.Integer, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.SettlementType), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.LocationClass), NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, s.DecadeFounded, cancellationToken);
        await importer.WriteAsync(s.Geom, NpgsqlDbType.Geometry, cancellationToken);
        await WriteAsync(importer, s.EstimatedInhabitants, cancellationToken);
        await WriteAsync(importer, s.Households, cancellationToken);
        await WriteAsync(importer, s.PopulationYear, cancellationToken);
        await WriteAsync(importer, s.PopulationSource, cancellationToken);
        await WriteAsync(importer, s.DwellingCount, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.MainBuildingMaterial), NpgsqlDbType.Text, cancellationToken);
        if (s.SubstandardSharePct is { } share)
        {
            await importer.WriteAsync(share, NpgsqlDbType.Numeric, cancellationToken);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        await importer.WriteAsync(EnumText.ToText(s.LegalStatus), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.Overcrowding), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.PlanningDocument), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.WaterSupply), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.Sewerage), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.Electricity), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.Heating), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.PavedAccessRoad), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.StreetNetwork), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.WasteCollection), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.StreetLighting), NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, s.DistanceToSeatM, cancellationToken);
        await WriteAsync(importer, s.DistanceToPrimarySchoolM, cancellationToken);
        await WriteAsync(importer, s.DistanceToPreschoolM, cancellationToken);
        await WriteAsync(importer, s.DistanceToHealthCentreM, cancellationToken);
        await WriteAsync(importer, s.DistanceToSocialWorkCentreM, cancellationToken);
        await WriteAsync(importer, s.DistanceToTransportStopM, cancellationToken);
        await WriteAsync(importer, s.DistanceToPharmacyM, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.FloodZone), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.HazardNearby), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(EnumText.ToText(s.EvictionThreat), NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(s.Source, NpgsqlDbType.Text, cancellationToken);
        if (s.DataCollectedOn is { } collected)
        {
            await importer.WriteAsync(collected, NpgsqlDbType.Date, cancellationToken);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        await importer.WriteAsync(updatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(importer, s.UpdatedBy, cancellationToken);
        await importer.WriteAsync(s.SearchKey, NpgsqlDbType.Text, cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, int? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Integer, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Text, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
