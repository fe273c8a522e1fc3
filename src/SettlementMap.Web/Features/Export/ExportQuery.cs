using System.Text.Json;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// The rows of one export: the settlements the layer's filters select, each with its published
/// properties (the OGC collection's, one definition), geometry and centroid as <paramref name="shown"/>'s
/// viewer sees them, read one at a time so that memory does not grow with the export. With <paramref name="time"/>
/// (as_of), the settlements as they were then.
/// </summary>
public sealed class ExportQuery(NpgsqlDataSource dataSource, string where, IReadOnlyList<NpgsqlParameter> parameters, Disclosure shown, SettlementTime? time)
{
    /// <summary>SQL of the GeoJSON export: one feature (text) a row, built in PostGIS.</summary>
    public string GeoJsonSql => ExportSql.GeoJson(where, shown, time);

    public IReadOnlyList<NpgsqlParameter> Parameters => parameters;

    /// <summary>What the viewer sees: the columns are theirs, and a generalised settlement is a point.</summary>
    public Disclosure Shown => shown;

    /// <summary>The columns of this export, in order: the export attributes the viewer sees.</summary>
    public IReadOnlyList<ExportColumn> Columns { get; } = ExportColumns.For(shown);

    /// <summary>How many settlements the export holds.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ExportSql.Count(where, time), Clones());
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Calls <paramref name="row"/> for each settlement: its properties, geometry (the outline, or a generalised
    /// settlement's displaced point) and centroid (CRS84).
    /// </summary>
    public async Task ForEachAsync(Func<JsonElement, Geometry, Point, ValueTask> row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var command = dataSource.CreateCommand(ExportSql.Rows(where, shown, time), Clones());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var properties = JsonDocument.Parse(reader.GetString(0));
            await row(properties.RootElement, reader.GetFieldValue<Geometry>(1), reader.GetFieldValue<Point>(2));
        }
    }

    /// <summary>The longest value (UTF-8 bytes) of each property over the selected settlements: a DBF's text fields have a fixed width.</summary>
    public async Task<Dictionary<string, int>> MaxTextBytesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ExportSql.MaxTextBytes(where, shown, time), Clones());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lengths = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            lengths[reader.GetString(0)] = reader.IsDBNull(1) ? 0 : reader.GetInt32(1);
        }
        return lengths;
    }

    /// <summary>An EPSG CRS's definition as PostGIS has it (OGC WKT 1 with its EPSG authority), for a .prj or a GeoPackage's spatial_ref_sys.</summary>
    public async Task<string> CrsWktAsync(int epsg, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ExportSql.CrsWkt);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = epsg });
        return (string?)await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new InvalidOperationException($"PostGIS has no spatial_ref_sys row for EPSG:{epsg}.");
    }

    // A parameter belongs to one command; each query of the export gets its own copies.
    private IEnumerable<NpgsqlParameter> Clones() => parameters.Select(p => p.Clone());
}
