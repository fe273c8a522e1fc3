using Npgsql;

namespace SettlementMap.Web.Data.Scale;

/// <summary>
/// The history of the generated settlements, written in one INSERT … SELECT (the row trigger would take
/// one statement per version): each settlement gets from 1 to 2·V−1 versions (V on average), decided by
/// a hash of its code and the seed, with contiguous periods between 2016-01-01 and 2026-01-01. Earlier
/// versions differ in water supply, electricity, legal status, inhabitants and substandard share; the
/// last one is open and is the settlements row itself. Same seed and rows, same versions.
/// </summary>
public static class ScaleVersions
{
    private static readonly DateTimeOffset From = new(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // A fraction in [0, 1) from the code, the seed and a salt: md5's first 31 bits.
    private static string Fraction(string salt) => $"((('x' || substr(md5(s.code || ':' || @seed || ':' || {salt}), 1, 8))::bit(32)::bigint & 2147483647) / 2147483648.0)";

    public static async Task WriteAsync(NpgsqlConnection connection, int seed, int versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var columns = new List<string>();
        await using (var catalogue = new NpgsqlCommand(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'settlements'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum", connection))
        await using (var reader = await catalogue.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(reader.GetString(0));
            }
        }
        static string F(string salt) => Fraction(salt);
        // Column names come from the catalogue, values are parameters: nothing from outside is interpolated.
        var earlier = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["water_supply"] = $"(@water)[1 + floor({F("'w' || v.j")} * cardinality(@water))::int]",
            ["electricity"] = $"(@electricity)[1 + floor({F("'e' || v.j")} * cardinality(@electricity))::int]",
            ["legal_status"] = $"(@legal)[1 + floor({F("'l' || v.j")} * cardinality(@legal))::int]",
            ["estimated_inhabitants"] = $"round(s.estimated_inhabitants * (0.7 + 0.5 * {F("'i' || v.j")}))::int",
            ["substandard_share_pct"] = $"round((100 * {F("'p' || v.j")})::numeric, 1)",
        };
        var quoted = columns.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"").ToList();
        var values = columns.Zip(quoted, (c, q) => earlier.TryGetValue(c, out var e) ? $"CASE WHEN v.last THEN s.{q} ELSE {e} END" : $"s.{q}");
        var start = $"@from + @span * ((v.j + 0.8 * {F("v.j")}) / v.n)::float8";
        var sql = $"""
            INSERT INTO settlement_versions (valid, {string.Join(", ", quoted)})
            SELECT tstzrange({start}, CASE WHEN v.last THEN NULL ELSE @from + @span * ((v.j + 1 + 0.8 * {F("v.j + 1")}) / v.n)::float8 END),
                   {string.Join(", ", values)}
            FROM settlements s
            CROSS JOIN LATERAL (SELECT 1 + floor({F("'n'")} * (2 * @versions - 1))::int AS n) c
            CROSS JOIN LATERAL (SELECT j, c.n AS n, j = c.n - 1 AS last FROM generate_series(0, c.n - 1) j) v
            WHERE s.code LIKE @prefix
            """;
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("versions", versions);
        command.Parameters.AddWithValue("from", From);
        command.Parameters.AddWithValue("span", Until - From);
        command.Parameters.AddWithValue("prefix", ScaleGenerator.CodePrefix + "%");
        command.Parameters.AddWithValue("water", Known<WaterSupply>());
        command.Parameters.AddWithValue("electricity", Known<Electricity>());
        command.Parameters.AddWithValue("legal", Known<LegalStatus>());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string[] Known<TEnum>() where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Where(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0).Select(v => EnumText.ToText(v))];
}
