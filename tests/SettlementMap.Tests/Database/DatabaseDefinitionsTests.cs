using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Database;

namespace SettlementMap.Tests.Database;

/// <summary>The function, trigger and view files (Features/*/Sql) against the migrated demo database.</summary>
public sealed class DatabaseDefinitionsTests(DemoDatabaseFixture database) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task The_database_holds_exactly_the_functions_triggers_and_views_the_files_define_each_in_one_file()
    {
        var files = DatabaseDefinitions.Files;
        Assert.Equal(DatabaseDefinitions.Order, files.Select(f => f.File));

        var definedIn = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var created = Catalog.Created(file.Sql);
            foreach (var item in created)
            {
                definedIn.TryAdd(item, []);
                definedIn[item].Add(file.File);
            }
            // One function or view a file, named as the file; its triggers run that function.
            var name = Path.GetFileNameWithoutExtension(file.File);
            Assert.Equal([name], created.Where(c => !c.StartsWith("trigger ", StringComparison.Ordinal)).Select(c => c[(c.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
            Assert.All(Catalog.TriggerFunctions(file.Sql), f => Assert.Equal(name, f));
            Assert.Equal(created.Count(c => c.StartsWith("trigger ", StringComparison.Ordinal)), Catalog.TriggerFunctions(file.Sql).Count);
        }
        Assert.All(definedIn, d => Assert.True(d.Value.Count == 1, $"{d.Key} is defined in {string.Join(", ", d.Value)}"));

        var inDatabase = (await Catalog.DefinitionsAsync(database.ConnectionString)).Keys.ToList();
        Assert.Equal(definedIn.Keys.Order(StringComparer.Ordinal), inDatabase);
        // What moved out of the migrations (22 functions, 20 triggers, 1 view), account_changes_append_only and
        // export_records_append_only (a function and a trigger each), and who sees what's (disclosed_point,
        // sensitivity_changes_append_only and its trigger, two version triggers), and the settlements' history
        // (five functions, the trigger that records versions), and dated surveys (insert_settlement_version, with
        // bump_layer and log_settlement_edit_box, which its writes share with the triggers), and the measures'
        // (measure_changes_append_only and its trigger, four version triggers).
        int Count(string kind) => inDatabase.Count(n => n.StartsWith(kind, StringComparison.Ordinal));
        Assert.Equal((40, 31, 1), (Count("function "), Count("trigger "), Count("view ")));
    }

    [Fact]
    public async Task Applying_every_file_again_changes_no_definition_no_layer_version_and_no_derived_row()
    {
        var cs = database.ConnectionString;
        var before = await Catalog.DefinitionsAsync(cs);
        var versions = await Sql.ColumnAsync(cs, "SELECT layer || ' ' || version FROM layer_versions ORDER BY 1");
        var stamps = await Catalog.StampsAsync(cs);

        await using (var connection = new Npgsql.NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            // Another migration name than the recorded one: every file is applied, refills included.
            var applied = await DatabaseDefinitions.ApplyAsync(connection, DatabaseDefinitions.Files, "a newer migration");
            Assert.Equal(DatabaseDefinitions.Order, applied);
        }

        Assert.NotEqual(stamps, await Catalog.StampsAsync(cs)); // they were applied…
        Assert.Equal(before, await Catalog.DefinitionsAsync(cs)); // …and define the same
        // The refills found nothing out of step, so they wrote nothing and bumped no version.
        Assert.Equal(versions, await Sql.ColumnAsync(cs, "SELECT layer || ' ' || version FROM layer_versions ORDER BY 1"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.SettlementPointsOutOfStep));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.PointPyramidOutOfStep));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.PointHistoryOutOfStep));
    }

    [Fact]
    public async Task A_file_that_refills_brings_its_derived_rows_back_in_step_through_the_triggers()
    {
        var cs = database.ConnectionString;
        var version = await Sql.ScalarAsync<long>(cs, "SELECT version FROM layer_versions WHERE layer = 'settlements'");
        // Derived rows out of step, as after a definition changed what they hold.
        Assert.Equal(2L, await Sql.ScalarAsync<long>(cs, """
            WITH a AS (UPDATE settlement_layer_properties SET properties = '{}' WHERE id IN (SELECT id FROM settlements ORDER BY id LIMIT 2) RETURNING 1)
            SELECT count(*) FROM a
            """));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(cs, """
            WITH a AS (UPDATE settlement_points SET name_latn = 'stale' WHERE id IN (SELECT id FROM settlements ORDER BY id DESC LIMIT 3) RETURNING 1)
            SELECT count(*) FROM a
            """));
        // The point pyramid through time emptied, as the migration that created it left it.
        Assert.True(await Sql.ScalarAsync<long>(cs, "WITH a AS (DELETE FROM settlement_point_winners RETURNING 1) SELECT count(*) FROM a") > 0);
        Assert.Equal(2L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(cs, Sql.SettlementPointsOutOfStep));

        await using (var connection = new Npgsql.NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            var refilling = DatabaseDefinitions.Files.Where(f => f.Sql.Contains("\n-- @refill", StringComparison.Ordinal)).ToList();
            // record_settlement_version.sql's refill fills an empty history only: here it writes nothing.
            Assert.Equal(["record_settlement_version.sql", "settlement_layer_properties_source.sql", "sync_settlement_point.sql", "rebuild_point_history.sql"],
                refilling.Select(f => f.File));
            Assert.Equal(4, (await DatabaseDefinitions.ApplyAsync(connection, refilling, "another migration")).Count);
        }
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.PointHistoryOutOfStep));

        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.SettlementPointsOutOfStep));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.PointPyramidOutOfStep));
        // One transaction, one bump: cached layers and tiles of the old content are not served again.
        Assert.Equal(version + 1, await Sql.ScalarAsync<long>(cs, "SELECT version FROM layer_versions WHERE layer = 'settlements'"));
    }

    [Fact]
    public async Task After_a_migration_that_dropped_a_view_and_a_function_applying_the_files_brings_them_back()
    {
        var cs = database.ConnectionString;
        var before = await Catalog.DefinitionsAsync(cs);
        // As a migration must to change the type of a column under a view, or to drop a function.
        await Sql.ScalarAsync<int>(cs, "DROP VIEW settlement_layer_properties_source; DROP FUNCTION map_point_cell_box(int, bigint, bigint); SELECT 1");
        Assert.Equal(2, before.Count - (await Catalog.DefinitionsAsync(cs)).Count);

        await using (var connection = new Npgsql.NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await DatabaseDefinitions.ApplyAsync(connection, DatabaseDefinitions.Files, "the migration that dropped them");
        }

        Assert.Equal(before, await Catalog.DefinitionsAsync(cs));
    }
}
