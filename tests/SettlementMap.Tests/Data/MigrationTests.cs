using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Database;

namespace SettlementMap.Tests.Data;

public sealed class MigrationTests(BareDatabaseFixture database) : IClassFixture<BareDatabaseFixture>
{
    [Fact]
    public async Task Migrations_create_the_schema_with_PostGIS_GiST_indexes_and_an_append_only_audit_table()
    {
        await using (var db = database.CreateContext())
        {
            Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
            await DatabaseInitialisation.MigrateAsync(db, NullLogger.Instance);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        var cs = database.ConnectionString;
        Assert.StartsWith("3.", await Sql.ScalarAsync<string>(cs, "SELECT extversion FROM pg_extension WHERE extname = 'postgis'"));
        var tables = await Sql.ColumnAsync(cs, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
        Assert.Superset(new HashSet<string> { "districts", "municipalities", "settlements", "coverage", "programmes", "settlement_changes" }, tables.ToHashSet());

        // Every geometry column has a GiST index.
        var geometryColumns = await Sql.ColumnAsync(cs, "SELECT f_table_name || '.' || f_geometry_column FROM geometry_columns WHERE f_table_schema = 'public' ORDER BY 1");
        Assert.Equal(["municipalities.geom", "municipalities.seat", "settlement_changes.geom_after", "settlement_changes.geom_before", "settlement_point_winners.centre", "settlement_points.point", "settlement_versions.centroid", "settlement_versions.geom", "settlements.centroid", "settlements.geom"], geometryColumns);
        var indexed = await Sql.ColumnAsync(cs, """
            SELECT t.relname || '.' || a.attname
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'gist'
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) AND a.atttypid = 'geometry'::regtype
            ORDER BY 1
            """);
        Assert.Equal(geometryColumns, indexed);

        // The audit history cannot be rewritten, even by hand-written SQL.
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO settlement_changes (settlement_id, action, changed_by, changes) VALUES (1, 'create', 'test', '{}')", connection))
        {
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }
        foreach (var statement in new[] { "UPDATE settlement_changes SET changed_by = 'someone else'", "DELETE FROM settlement_changes", "TRUNCATE settlement_changes" })
        {
            await using var command = new NpgsqlCommand(statement, connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlement_changes"));
    }
}
