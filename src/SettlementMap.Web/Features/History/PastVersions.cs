using System.Text.Json;
using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.History;

/// <summary>
/// A settlement's history where it is not its current state: when its current version began (a change
/// dated before that is history, not an update), the state a past-dated change replaces, and the insertion
/// of that change into history (Sql/insert_settlement_version.sql), all on the caller's connection and
/// transaction.
/// </summary>
public static class PastVersions
{
    /// <summary>
    /// SQL for the instant the current version of the settlement <paramref name="idExpression"/> began
    /// (null for no current version), to place in a caller's SELECT list.
    /// </summary>
    public static string CurrentSinceSql(string idExpression) =>
        $"(SELECT lower(v.valid) FROM settlement_versions v WHERE v.id = {idExpression} AND upper_inf(v.valid))";

    /// <summary>When the current version of a settlement began; null when it has none (it does not exist).</summary>
    public static async Task<DateTimeOffset?> CurrentSinceAsync(SettlementMapDbContext db, long settlementId, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<DateTimeOffset?>(CurrentSinceQuery, new NpgsqlParameter<long>("id", settlementId)).SingleAsync(cancellationToken);

    private static readonly string CurrentSinceQuery = $"SELECT {CurrentSinceSql("@id")} AS \"Value\"";

    // The version insert_settlement_version replaces: the one holding the instant, else the first after it.
    private const string ReplacedSql = """
        SELECT (to_jsonb(v) - 'geom' - 'valid' - 'version_id')::text, ST_AsBinary(v.geom), m.code
        FROM settlement_versions v LEFT JOIN municipalities m ON m.id = v.municipality_id
        WHERE v.id = @id AND (v.valid @> @at OR lower(v.valid) > @at)
        ORDER BY lower(v.valid) LIMIT 1
        """;

    private static readonly WKBReader WkbReader = new(NetTopologySuite.NtsGeometryServices.Instance);
    private static readonly WKBWriter EwkbWriter = new(ByteOrder.LittleEndian, handleSRID: true);

    /// <summary>
    /// The state a change dated <paramref name="at"/> replaces in history, as a detached settlement (with
    /// its municipality's code), or null when the settlement has no version at or after that instant.
    /// </summary>
    public static async Task<(Settlement State, string MunicipalityCode)?> ReplacedStateAsync(
        NpgsqlConnection connection, long settlementId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(ReplacedSql, connection);
        command.Parameters.Add(new NpgsqlParameter<long>("id", settlementId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", NpgsqlDbType.TimestampTz) { TypedValue = at.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        using var values = JsonDocument.Parse(reader.GetString(0));
        var row = values.RootElement;
        var geometry = (MultiPolygon)WkbReader.Read((byte[])reader.GetValue(1));
        geometry.SRID = 4326;
        string? Text(string name) => row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var state = new Settlement
        {
            Id = settlementId, Code = Text("code") ?? "", NameLatn = "", NameCyrl = "", Geom = geometry, Source = Text("source") ?? "",
            MunicipalityId = row.TryGetProperty("municipality_id", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 0,
            UpdatedBy = Text("updated_by"),
        };
        // Each attribute as the editing rules read it (history may hold what the rules now refuse: such a value is left empty).
        foreach (var field in SettlementFields.All)
        {
            if (row.TryGetProperty(field.Name, out var value) && SettlementFields.TryRead(field, value, out var parsed, out _))
            {
                field.Set(state, parsed);
            }
        }
        return (state, reader.IsDBNull(2) ? "" : reader.GetString(2));
    }

    /// <summary>
    /// Puts <paramref name="state"/> into the settlement's history from <paramref name="at"/> to the next
    /// version (insert_settlement_version: splits the version holding the instant, bumps the layer version
    /// and logs the edit area). The current state is not touched.
    /// </summary>
    public static async Task InsertAsync(NpgsqlConnection connection, Settlement state, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(state);
        var survey = new JsonObject();
        foreach (var field in SettlementFields.All)
        {
            survey[field.Name] = JsonSerializer.SerializeToNode(field.Get(state));
        }
        survey["code"] = state.Code;
        survey["municipality_id"] = state.MunicipalityId;
        survey["geom"] = Convert.ToHexString(EwkbWriter.Write(state.Geom));
        survey["source"] = state.Source;
        survey["updated_at"] = state.UpdatedAt;
        survey["updated_by"] = state.UpdatedBy;
        survey["search_key"] = SearchKeys.For(state.NameLatn, state.NameCyrl);
        await using var command = new NpgsqlCommand("SELECT insert_settlement_version(@id, @at, @survey)", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("id", state.Id));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", NpgsqlDbType.TimestampTz) { TypedValue = at.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string>("survey", NpgsqlDbType.Jsonb) { TypedValue = survey.ToJsonString() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
