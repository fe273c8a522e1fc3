using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// One feature layer (table) of a GeoPackage, read through SQLite opened read-only and immutable
/// (no journal, no -wal or -shm files, nothing written beside the upload), rows streamed with a
/// data reader and geometry blobs decoded by NetTopologySuite.IO.GeoPackage.
/// </summary>
internal sealed class GeoPackageSource : IImportSource
{
    private readonly string _connectionString;
    private readonly string _table;
    private readonly string _geometryColumn;
    private readonly string? _orderColumn;
    private readonly ImportLimits _limits;

    private GeoPackageSource(string connectionString, string table, string geometryColumn, string? orderColumn, ImportLimits limits, SourceDescription description)
    {
        _limits = limits;
        _connectionString = connectionString;
        _table = table;
        _geometryColumn = geometryColumn;
        _orderColumn = orderColumn;
        Description = description;
    }

    public SourceDescription Description { get; }

    public static async Task<IImportSource> OpenAsync(string path, ImportReadOptions options, ImportLimits limits, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            // immutable=1: SQLite reads the file as it is, even one left in WAL mode, and never locks or writes.
            DataSource = new Uri(Path.GetFullPath(path)).AbsoluteUri + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            LimitLength(connection, limits);
            await ExecuteAsync(connection, "PRAGMA trusted_schema = OFF", cancellationToken); // views and triggers may not call functions with side effects

            var layers = await LayersAsync(connection, cancellationToken);
            var table = Choose(layers, options.Layer);
            if (await ScalarAsync(connection, "SELECT type FROM sqlite_master WHERE name = $name", table.Name, cancellationToken) is not "table")
            {
                throw new ImportFileException($"The layer \"{table.Name}\" is a view or missing from the GeoPackage, not a table: save the layer as a table (in QGIS: Export > Save Features As… GeoPackage) and import that.");
            }

            var (geometryColumn, srsId) = await GeometryColumnAsync(connection, table.Name, cancellationToken);
            var (crs, crsNote) = await CrsAsync(connection, srsId ?? table.SrsId, cancellationToken);
            var (columns, primaryKey) = await ColumnsAsync(connection, table.Name, geometryColumn, cancellationToken);
            if (columns.Count > limits.MaxColumns)
            {
                throw ImportLimits.Exceeded("columns", $"The GeoPackage layer \"{table.Name}\" has {columns.Count} columns, more than the {limits.MaxColumns} one import may have. Keep only the columns you import.");
            }

            var description = new SourceDescription("GeoPackage", columns, crs, crsNote, HasGeometry: true, Encoding: "utf-8", table.Name);
            return new GeoPackageSource(connectionString, table.Name, geometryColumn, primaryKey, limits, description);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == TooBig)
        {
            throw TooLarge(limits);
        }
        catch (SqliteException exception)
        {
            throw new ImportFileException(exception.SqliteErrorCode switch
            {
                26 => "The file is not a GeoPackage: it is not an SQLite database. Export the layer again as a GeoPackage (.gpkg).",
                11 => "The GeoPackage is damaged (SQLite reports a malformed database). Export the layer again.",
                _ => $"The GeoPackage cannot be read: {exception.Message.TrimEnd('.')}. Export the layer again as a GeoPackage.",
            });
        }
    }

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = Description.Columns;
        var reader = new GeoPackageGeoReader(NtsGeometryServices.Instance.DefaultCoordinateSequenceFactory, NtsGeometryServices.Instance.DefaultPrecisionModel, Ordinates.AllOrdinates)
        {
            HandleSRID = false, // the layer's SRS is the file's CRS; the blobs' srs_id is not the pipeline's concern
        };
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        LimitLength(connection, _limits);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(Quote))}, {Quote(_geometryColumn)} FROM {Quote(_table)}"
            + (_orderColumn is null ? "" : $" ORDER BY {Quote(_orderColumn)}");
        SqliteDataReader rows;
        try
        {
            rows = await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == TooBig)
        {
            throw TooLarge(_limits);
        }
        catch (SqliteException exception)
        {
            throw new ImportFileException($"The layer \"{_table}\" of the GeoPackage cannot be read: {exception.Message.TrimEnd('.')}.");
        }

        await using (rows)
        {
            long number = 0;
            while (await NextAsync(rows, cancellationToken))
            {
                number++;
                var values = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
                for (var i = 0; i < columns.Count; i++)
                {
                    values[columns[i]] = rows.IsDBNull(i) ? null : ValueText.Of(rows.GetValue(i));
                }

                var geometryIndex = columns.Count;
                var (geometry, error) = rows.IsDBNull(geometryIndex) ? (null, null)
                    : rows.GetValue(geometryIndex) is byte[] blob ? Decode(reader, blob)
                    : (null, "the geometry could not be read (the geometry column holds a number or text, not a geometry blob)");
                yield return new SourceRow(number, values, geometry, error);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<bool> NextAsync(SqliteDataReader rows, CancellationToken cancellationToken)
    {
        try
        {
            return await rows.ReadAsync(cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == TooBig)
        {
            throw TooLarge(_limits);
        }
        catch (SqliteException exception)
        {
            throw new ImportFileException($"The layer \"{_table}\" of the GeoPackage is damaged part-way: {exception.Message.TrimEnd('.')}. Export it again.");
        }
    }

    private static (Geometry?, string?) Decode(GeoPackageGeoReader reader, byte[] blob)
    {
        if (WkbLayout.Problem(blob) is { } problem)
        {
            return (null, problem);
        }

        try
        {
            return (reader.Read(blob), null);
        }
        catch (Exception exception) when (ImportSources.IsFileFault(exception))
        {
            return (null, $"the geometry could not be read ({exception.Message.TrimEnd('.')})");
        }
    }

    /// <summary>SQLITE_TOOBIG: a value is longer than the length limit set on the connection.</summary>
    private const int TooBig = 18;

    /// <summary>
    /// No string or blob longer than MaxRecordBytes: SQLite then refuses to read one (SQLITE_TOOBIG)
    /// instead of allocating it, whatever length the file declares.
    /// </summary>
    private static void LimitLength(SqliteConnection connection, ImportLimits limits) =>
        SQLitePCL.raw.sqlite3_limit(connection.Handle, SQLitePCL.raw.SQLITE_LIMIT_LENGTH, limits.MaxRecordBytes);

    private static ImportFileException TooLarge(ImportLimits limits) =>
        ImportLimits.Exceeded("record size", $"A value of the GeoPackage (a geometry or a text) is larger than the {ImportLimits.Size(limits.MaxRecordBytes)} one value may take. Simplify that geometry or split the layer.");

    private sealed record Layer(string Name, int? SrsId);

    private static async Task<List<Layer>> LayersAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = $name", "gpkg_contents", cancellationToken) is null)
        {
            throw new ImportFileException("The file is an SQLite database but not a GeoPackage (it has no gpkg_contents table). Export the layer again as a GeoPackage.");
        }

        var layers = new List<Layer>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT table_name, srs_id FROM gpkg_contents WHERE lower(data_type) = 'features' ORDER BY table_name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            layers.Add(new Layer(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1)));
        }

        return layers;
    }

    private static Layer Choose(List<Layer> layers, string? wanted)
    {
        if (layers.Count == 0)
        {
            throw new ImportFileException("The GeoPackage holds no feature layer (only tables without geometry or tiles). Export a layer with geometry.");
        }

        if (!string.IsNullOrWhiteSpace(wanted))
        {
            return layers.FirstOrDefault(l => l.Name.Equals(wanted.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new ImportFileException($"The GeoPackage has no layer \"{wanted}\". Its layers are: {string.Join(", ", layers.Select(l => l.Name))}.");
        }

        return layers.Count == 1
            ? layers[0]
            : throw new ImportFileException($"The GeoPackage holds {layers.Count} layers ({string.Join(", ", layers.Select(l => l.Name))}): choose the one to import.");
    }

    private static async Task<(string Column, int? SrsId)> GeometryColumnAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = $name";
        command.Parameters.AddWithValue("$name", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1))
            : throw new ImportFileException($"The GeoPackage does not say which column of \"{table}\" holds the geometry (gpkg_geometry_columns has no row for it). Export the layer again.");
    }

    private static async Task<(SupportedCrs?, string?)> CrsAsync(SqliteConnection connection, int? srsId, CancellationToken cancellationToken)
    {
        if (srsId is null or 0 or -1)
        {
            return (null, "The GeoPackage layer has no coordinate system (SRS undefined): choose it yourself.");
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT organization, organization_coordsys_id, srs_name, definition FROM gpkg_spatial_ref_sys WHERE srs_id = $id";
        command.Parameters.AddWithValue("$id", srsId.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (null, $"The GeoPackage layer refers to SRS {srsId} but does not define it: choose the coordinate system yourself.");
        }

        var organization = reader.IsDBNull(0) ? "" : reader.GetString(0);
        var code = reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1);
        var name = reader.IsDBNull(2) ? null : reader.GetString(2);
        var definition = reader.IsDBNull(3) ? null : reader.GetString(3);
        if (organization.Equals("EPSG", StringComparison.OrdinalIgnoreCase) && code is { } epsg)
        {
            var text = "EPSG:" + (epsg == 6316 ? 3909 : epsg).ToString(CultureInfo.InvariantCulture); // 6316: 3909's non-deprecated twin
            if (CrsRegistry.TryParse(text, out var crs))
            {
                return (crs, null);
            }
        }

        var (byDefinition, note) = WktCrs.Recognise(definition, "GeoPackage's coordinate system definition");
        if (byDefinition is not null)
        {
            return (byDefinition, null);
        }

        var declared = organization.Length > 0 && code is not null ? $"{organization}:{code}" : name ?? $"SRS {srsId}";
        return (null, $"The GeoPackage layer is in the coordinate system \"{declared}\"{(name is not null && !declared.Contains(name, StringComparison.Ordinal) ? $" ({name})" : "")}, which we do not support. {note}");
    }

    private static async Task<(List<string> Columns, string? PrimaryKey)> ColumnsAsync(SqliteConnection connection, string table, string geometryColumn, CancellationToken cancellationToken)
    {
        var columns = new List<string>();
        string? primaryKey = null;
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, pk FROM pragma_table_info($name) ORDER BY cid";
        command.Parameters.AddWithValue("$name", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (reader.GetInt32(1) == 1)
            {
                primaryKey = name;
            }

            if (!name.Equals(geometryColumn, StringComparison.OrdinalIgnoreCase))
            {
                columns.Add(name);
            }
        }

        return (columns, primaryKey);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An SQL identifier from the file, quoted: names are data here, never SQL.</summary>
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
