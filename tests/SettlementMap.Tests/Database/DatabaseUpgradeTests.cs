using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Database;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Database;

/// <summary>A database from before the definition files, upgraded, against a new one.</summary>
public sealed class DatabaseUpgradeTests(BareDatabaseFixture database, ITestOutputHelper output) : IClassFixture<BareDatabaseFixture>
{
    /// <summary>The last migration before the definition files: what every existing database had.</summary>
    private const string BeforeDefinitionFiles = "20261203080000_SignInThrottle";

    [Fact]
    public async Task A_database_migrated_before_the_definition_files_ends_with_the_same_functions_triggers_and_views_as_a_new_one()
    {
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeDefinitionFiles);
            Assert.Equal(BeforeDefinitionFiles, (await db.Database.GetAppliedMigrationsAsync()).Last());
        }
        var old = await Catalog.DefinitionsAsync(database.ConnectionString);

        await using (var db = database.CreateContext())
        {
            await DatabaseInitialisation.MigrateAsync(db, NullLogger.Instance);
        }
        var upgraded = await Catalog.DefinitionsAsync(database.ConnectionString);

        var fresh = await database.Server.CreateDatabaseAsync(PostgisServer.EmptyTemplate);
        try
        {
            Assert.Equal(await Catalog.DefinitionsAsync(fresh), upgraded);
        }
        finally
        {
            await database.Server.DropDatabaseAsync(fresh);
        }
        // What the files changed in a database of before them (none when they were made: they hold the
        // definitions the migrations had left), for the log.
        foreach (var name in upgraded.Keys.Union(old.Keys).Where(n => upgraded.GetValueOrDefault(n) != old.GetValueOrDefault(n)))
        {
            output.WriteLine($"changed by the definition files: {name}");
        }
    }
}
