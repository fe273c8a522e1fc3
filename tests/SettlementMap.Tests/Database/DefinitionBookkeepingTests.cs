using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Database;

namespace SettlementMap.Tests.Database;

/// <summary>database_definitions: unchanged files are skipped, a changed one is applied again.</summary>
public sealed class DefinitionBookkeepingTests(EmptyDatabaseFixture database) : IClassFixture<EmptyDatabaseFixture>
{
    private const string Hashes = "SELECT file || ' ' || sha256 || ' ' || migration FROM database_definitions ORDER BY file";
    private const string Recorded = "SELECT file || ' ' || sha256 || ' ' || migration || ' ' || applied_at FROM database_definitions ORDER BY file";

    [Fact]
    public async Task Unchanged_files_run_no_statement_a_changed_one_is_applied_again_and_a_new_migration_applies_all()
    {
        var cs = database.ConnectionString;
        string migration;
        await using (var db = database.CreateContext())
        {
            migration = db.Database.GetMigrations().Last();
        }
        Assert.Equal(DatabaseDefinitions.Files.Select(f => $"{f.File} {f.Hash} {migration}").Order(StringComparer.Ordinal), await Sql.ColumnAsync(cs, Hashes));
        var recorded = await Sql.ColumnAsync(cs, Recorded);
        var stamps = await Catalog.StampsAsync(cs);

        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();

        // Nothing changed: nothing applied, no function or trigger written, no bookkeeping row touched.
        Assert.Empty(await DatabaseDefinitions.ApplyAsync(connection, DatabaseDefinitions.Files, migration));
        Assert.Equal(stamps, await Catalog.StampsAsync(cs));
        Assert.Equal(recorded, await Sql.ColumnAsync(cs, Recorded));

        // One file edited: that file alone is applied, and its new text is what the database runs.
        var edited = DatabaseDefinitions.Files
            .Select(f => f.File == "coverage_changes_append_only.sql"
                ? DatabaseDefinitions.Create(f.File, f.Sql.Replace("is append-only:", "is append-only (edited):", StringComparison.Ordinal))
                : f)
            .ToList();
        Assert.Equal(["coverage_changes_append_only.sql"], await DatabaseDefinitions.ApplyAsync(connection, edited, migration));
        Assert.Contains("(edited)", await Sql.ScalarAsync<string>(cs, "SELECT pg_get_functiondef('coverage_changes_append_only'::regproc)"), StringComparison.Ordinal);
        var changedStamps = (await Catalog.StampsAsync(cs)).Except(stamps).ToList();
        Assert.Equal(["function coverage_changes_append_only", "trigger coverage_changes_append_only"], changedStamps.Select(s => s[..s.LastIndexOf(' ')]));
        var rows = await Sql.ColumnAsync(cs, Recorded);
        Assert.Equal(["coverage_changes_append_only.sql"], rows.Except(recorded).Select(r => r[..r.IndexOf(' ', StringComparison.Ordinal)]));
        Assert.Equal(edited.Select(f => $"{f.File} {f.Hash} {migration}").Order(StringComparer.Ordinal), await Sql.ColumnAsync(cs, Hashes));

        // And again: nothing to do.
        Assert.Empty(await DatabaseDefinitions.ApplyAsync(connection, edited, migration));

        // A new migration: every file again, in order.
        Assert.Equal(DatabaseDefinitions.Order, await DatabaseDefinitions.ApplyAsync(connection, edited, migration + "_next"));
    }

    [Fact]
    public void A_token_is_replaced_from_the_dictionary_and_an_unknown_one_is_an_error()
    {
        var tokens = new Dictionary<string, string> { ["columns"] = "s.a, s.b" };
        Assert.Equal("SELECT s.a, s.b FROM s", SqlDefinitionTokens.Expand("x.sql", "SELECT {{columns}} FROM s", tokens));
        var error = Assert.Throws<InvalidOperationException>(() => SqlDefinitionTokens.Expand("x.sql", "SELECT {{colums}} FROM s", tokens));
        Assert.Contains("x.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("{{colums}}", error.Message, StringComparison.Ordinal);
        // Every token the app's files use is known (loading them expands every one).
        Assert.Equal(DatabaseDefinitions.Order.Count, DatabaseDefinitions.Load(SqlDefinitionTokens.Values).Count);
    }
}

/// <summary>Two instances starting together: the advisory lock lets one apply the files, the other then finds nothing to do.</summary>
public sealed class ConcurrentDefinitionTests(EmptyDatabaseFixture database) : IClassFixture<EmptyDatabaseFixture>
{
    [Fact]
    public async Task Two_appliers_at_once_apply_each_file_once()
    {
        async Task<IReadOnlyList<string>> ApplyAsync()
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            return await DatabaseDefinitions.ApplyAsync(connection, DatabaseDefinitions.Files, "a migration both see as new");
        }

        var results = await Task.WhenAll(ApplyAsync(), ApplyAsync());

        Assert.Equal([DatabaseDefinitions.Order.Count, 0], results.Select(r => r.Count).OrderDescending());
    }
}
