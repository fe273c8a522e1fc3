using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Import;

/// <summary>
/// The import's spatial checks, one statement per batch of rows (never one per row): the existing
/// settlement with the row's code (and when its current version began), validity and the optional ST_MakeValid repair, the
/// municipality (named, kept, or the one holding the outline), containment in it with the editing
/// margin, and overlap with another settlement or an earlier row of the file. Every value travels
/// as an array parameter.
/// </summary>
public static class ImportSql
{
    // The overlap rule is SettlementRules': against stored settlements (earlier batches of this
    // file are stored by now, in the import's transaction) and against the earlier rows of this batch.
    private static readonly string CheckBatch = $$"""
        WITH input AS (
            SELECT u.n, u.code, u.municipality_id,
                   CASE WHEN u.wkb IS NULL THEN NULL ELSE ST_GeomFromWKB(u.wkb, 4326) END AS geom
            FROM unnest(@n, @code, @wkb, @municipality_id) AS u(n, code, wkb, municipality_id)),
        checked AS (
            SELECT i.*, s.id AS settlement_id, s.municipality_id AS current_municipality_id,
                   {{History.PastVersions.CurrentSinceSql("s.id")}} AS current_since,
                   ST_IsValid(i.geom) AS valid
            FROM input i LEFT JOIN settlements s ON s.code = i.code),
        fixed AS (
            SELECT c.*,
                   CASE WHEN c.valid IS FALSE THEN ST_IsValidReason(c.geom) END AS invalid_reason,
                   CASE WHEN c.valid IS FALSE AND @repair THEN ST_Multi(ST_CollectionExtract(ST_MakeValid(c.geom), 3))
                        WHEN c.valid IS FALSE THEN NULL
                        ELSE c.geom END AS outline
            FROM checked c),
        placed AS (
            SELECT f.*, COALESCE(f.municipality_id, f.current_municipality_id,
                   (SELECT m.id FROM municipalities m
                    WHERE f.outline IS NOT NULL AND ST_Covers(m.geom, ST_PointOnSurface(f.outline)) ORDER BY m.id LIMIT 1)) AS target_municipality_id
            FROM fixed f),
        margins AS MATERIALIZED (
            SELECT m.id, ST_Buffer(m.geom, @tolerance) AS geom
            FROM municipalities m WHERE m.id IN (SELECT target_municipality_id FROM placed))
        SELECT p.n, p.settlement_id, p.current_municipality_id, p.target_municipality_id, p.invalid_reason,
               CASE WHEN p.valid IS FALSE AND p.outline IS NOT NULL THEN ST_AsBinary(p.outline) END AS repaired,
               CASE WHEN p.outline IS NULL OR ST_IsEmpty(p.outline) OR b.id IS NULL THEN NULL ELSE ST_Covers(b.geom, p.outline) END AS inside,
               (SELECT s.code FROM settlements s
                WHERE p.outline IS NOT NULL AND NOT ST_IsEmpty(p.outline) AND s.code <> p.code
                  AND {{SettlementRules.OverlapCondition("p.outline", "s.geom")}}
                ORDER BY s.id LIMIT 1) AS overlaps,
               (SELECT q.n FROM placed q
                WHERE p.outline IS NOT NULL AND NOT ST_IsEmpty(p.outline) AND q.n < p.n AND q.outline IS NOT NULL AND NOT ST_IsEmpty(q.outline)
                  AND q.code <> p.code AND {{SettlementRules.OverlapCondition("p.outline", "q.outline")}}
                ORDER BY q.n LIMIT 1) AS overlaps_row,
               p.current_since
        FROM placed p LEFT JOIN margins b ON b.id = p.target_municipality_id
        """;

    /// <summary>What the database says of one row; CurrentSince: when the existing settlement's current version began.</summary>
    public sealed record Checked(
        long Row, long? SettlementId, int? CurrentMunicipalityId, int? TargetMunicipalityId, string? InvalidReason, byte[]? Repaired, bool? Inside, string? Overlaps,
        long? OverlapsRow, DateTimeOffset? CurrentSince = null);

    /// <summary>The check of a batch of rows (the statement with its parameters, not yet on a connection).</summary>
    public static NpgsqlCommand CheckCommand(IReadOnlyList<(long Row, string Code, int? MunicipalityId, byte[]? Wkb)> rows, bool repair)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var command = new NpgsqlCommand(CheckBatch);
        command.Parameters.Add(new NpgsqlParameter<long[]>("n", [.. rows.Select(r => r.Row)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("code", [.. rows.Select(r => r.Code)]));
        command.Parameters.Add(new NpgsqlParameter("wkb", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(r => (object?)r.Wkb ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("municipality_id", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(r => (object?)r.MunicipalityId ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<bool>("repair", repair));
        command.Parameters.Add(new NpgsqlParameter<double>("tolerance", SettlementEdit.MunicipalityTolerance));
        SettlementRules.AddOverlapParameters(command.Parameters);
        return command;
    }

    /// <summary>Rows: number, code, named municipality (or null), outline as WKB in lon/lat (or null).</summary>
    public static async Task<Dictionary<long, Checked>> CheckAsync(
        NpgsqlConnection connection, IReadOnlyList<(long Row, string Code, int? MunicipalityId, byte[]? Wkb)> rows, bool repair, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var command = CheckCommand(rows, repair);
        command.Connection = connection;
        var result = new Dictionary<long, Checked>(rows.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetInt64(0)] = new Checked(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5),
                reader.IsDBNull(6) ? null : reader.GetBoolean(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9));
        }
        return result;
    }
}
