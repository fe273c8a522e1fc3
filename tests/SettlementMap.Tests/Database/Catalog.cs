using System.Text.RegularExpressions;
using Npgsql;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Database;

/// <summary>The app's own functions, triggers and views as PostgreSQL holds them (extension objects left out).</summary>
public static partial class Catalog
{
    /// <summary>"function name", "trigger name" and "view name" of each object, with its definition as PostgreSQL prints it.</summary>
    public static async Task<SortedDictionary<string, string>> DefinitionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT 'function ' || p.proname, pg_get_functiondef(p.oid)
            FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            UNION ALL
            SELECT 'trigger ' || t.tgname, c.relname || ': ' || pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'view ' || c.relname, pg_get_viewdef(c.oid)
            FROM pg_class c
            WHERE c.relkind IN ('v', 'm') AND c.relnamespace = 'public'::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var definitions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            // A name twice (an overload, or one trigger name on two tables) would be a second definition.
            Assert.True(definitions.TryAdd(reader.GetString(0), reader.GetString(1)), $"{reader.GetString(0)} is defined twice in the database.");
        }
        return definitions;
    }

    /// <summary>
    /// The row version of each of the app's functions and triggers: a CREATE OR REPLACE gives a function
    /// a new one, a DROP + CREATE gives a trigger a new oid, so equal stamps mean nothing was applied.
    /// </summary>
    public static Task<List<string>> StampsAsync(string connectionString) => Sql.ColumnAsync(connectionString, """
        SELECT 'function ' || p.proname || ' ' || p.xmin FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        SELECT 'trigger ' || t.tgname || ' ' || t.oid FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
        ORDER BY 1
        """);

    /// <summary>The objects a definition file creates, as "function name", "trigger name" or "view name".</summary>
    public static List<string> Created(string sql) =>
        [.. Create().Matches(sql).Select(m => m.Groups[1].Value.ToLowerInvariant() + " " + m.Groups[2].Value)];

    /// <summary>The functions the file's triggers execute.</summary>
    public static List<string> TriggerFunctions(string sql) =>
        [.. ExecuteFunction().Matches(sql).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(FUNCTION|TRIGGER|VIEW)\s+(\w+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Create();

    [GeneratedRegex(@"EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ExecuteFunction();
}
