using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// Writes the export as an OGC GeoPackage 1.3 (one feature table, "settlements") with SQLite and
/// NetTopologySuite.IO.GeoPackage's geometry encoder. A GeoPackage stores x/y (longitude/easting first)
/// whatever the CRS's axis order. SQLite pages through its own bounded cache, so memory stays flat
/// however many settlements are written. In the generalised public view the small settlements, points
/// there, are a second table (<see cref="GeneralisedTable"/>, POINT, the same columns): each table keeps one
/// geometry type, as the Shapefile must, so QGIS and GDAL open both as ordinary layers.
/// </summary>
public static class GeoPackageExport
{
    public const string MediaType = "application/geopackage+sqlite3";
    public const string Table = "settlements";
    public const string GeneralisedTable = Table + "_generalised";

    public static async Task WriteAsync(string path, ExportQuery query, SupportedCrs crs, string description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var srsId = ExportColumns.FileEpsg(crs);
        var wgs84Definition = await query.CrsWktAsync(4326, cancellationToken);
        var srsDefinition = srsId == 4326 ? wgs84Definition : await query.CrsWktAsync(srsId, cancellationToken);
        // No pooling: the file must be closed (and so complete) when the connection is.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        // A temporary file that is either finished or deleted: no journal needed.
        await ExecuteAsync(connection, "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            """, cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, $wgs84, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
            INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES ($name, $srs, 'EPSG', $srs, $definition, NULL);
            """, cancellationToken, ("$wgs84", wgs84Definition), ("$name", crs.Name), ("$srs", srsId), ("$definition", srsDefinition));
        var columns = query.Columns;
        var outlines = await FeatureTable.CreateAsync(connection, Table, "MULTIPOLYGON", srsId, description, columns, cancellationToken);
        var points = query.Shown.Generalises
            ? await FeatureTable.CreateAsync(connection, GeneralisedTable, "POINT", srsId,
                $"{description}: settlements of fewer than {query.Shown.Policy.Generalisation.Threshold} inhabitants, each a point within {query.Shown.Policy.Generalisation.RadiusM} m of its centre",
                columns, cancellationToken)
            : null;
        await using (var transaction = connection.BeginTransaction())
        {
            outlines.Prepare(transaction);
            points?.Prepare(transaction);
            var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
            await query.ForEachAsync((properties, geometry, _) =>
            {
                var table = geometry is Point ? points ?? throw new InvalidOperationException("A point outside the generalised view.") : outlines;
                var written = XyOrder.FromCrs84(geometry, crs);
                written.SRID = srsId;
                table.Insert(writer.Write(written), written.EnvelopeInternal, properties);
                return ValueTask.CompletedTask;
            }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await outlines.SetExtentAsync(cancellationToken);
        if (points is not null)
        {
            await points.SetExtentAsync(cancellationToken);
        }
    }

    /// <summary>One feature table of the file: created with its gpkg_contents and gpkg_geometry_columns rows, filled a row at a time.</summary>
    private sealed class FeatureTable(SqliteConnection connection, string table, IReadOnlyList<ExportColumn> columns)
    {
        private readonly Envelope _extent = new();
        private SqliteCommand? _insert;
        private SqliteParameter? _geometry;
        private SqliteParameter[] _values = [];

        public static async Task<FeatureTable> CreateAsync(SqliteConnection connection, string table, string geometryType, int srsId, string description,
            IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken)
        {
            await ExecuteAsync(connection, $"""
                CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometryType}{string.Concat(columns.Select(c => $", \"{c.Name}\" {SqlType(c.Type)}"))});
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ($table, 'features', $table, $description, $srs);
                INSERT INTO gpkg_geometry_columns VALUES ($table, 'geom', $type, $srs, 0, 0);
                """, cancellationToken, ("$table", table), ("$description", description), ("$srs", srsId), ("$type", geometryType));
            return new FeatureTable(connection, table, columns);
        }

        public void Prepare(SqliteTransaction transaction)
        {
            _insert = connection.CreateCommand();
            _insert.Transaction = transaction;
            _insert.CommandText = $"INSERT INTO \"{table}\" (geom{string.Concat(columns.Select(c => $", \"{c.Name}\""))}) VALUES ($geom{string.Concat(columns.Select((_, i) => ", $p" + i.ToString(CultureInfo.InvariantCulture)))})";
            _geometry = _insert.Parameters.Add("$geom", SqliteType.Blob);
            _values = [.. columns.Select((_, i) => _insert.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text))];
            _insert.Prepare();
        }

        public void Insert(byte[] geometry, Envelope envelope, System.Text.Json.JsonElement properties)
        {
            _extent.ExpandToInclude(envelope);
            _geometry!.Value = geometry;
            for (var i = 0; i < _values.Length; i++)
            {
                var column = columns[i];
                _values[i].SqliteType = column.Type switch { ExportColumnType.WholeNumber => SqliteType.Integer, ExportColumnType.Real => SqliteType.Real, _ => SqliteType.Text };
                _values[i].Value = column.Read(properties) switch
                {
                    null => DBNull.Value,
                    DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    var value => value,
                };
            }
            _insert!.ExecuteNonQuery();
        }

        public async Task SetExtentAsync(CancellationToken cancellationToken)
        {
            if (_insert is not null)
            {
                await _insert.DisposeAsync();
            }
            if (!_extent.IsNull)
            {
                await ExecuteAsync(connection, "UPDATE gpkg_contents SET min_x = $minx, min_y = $miny, max_x = $maxx, max_y = $maxy WHERE table_name = $table", cancellationToken,
                    ("$minx", _extent.MinX), ("$miny", _extent.MinY), ("$maxx", _extent.MaxX), ("$maxy", _extent.MaxY), ("$table", table));
            }
        }
    }

    private static string SqlType(ExportColumnType type) => type switch
    {
        ExportColumnType.WholeNumber => "INTEGER",
        ExportColumnType.Real => "REAL",
        ExportColumnType.Date => "DATE",
        ExportColumnType.DateTime => "DATETIME",
        _ => "TEXT",
    };

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
