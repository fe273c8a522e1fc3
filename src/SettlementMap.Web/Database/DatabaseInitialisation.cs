using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Web.Database;

public static class DatabaseInitialisation
{
    /// <summary>Applies pending migrations, then loads the demo data into an empty database unless Demo:Load is false.</summary>
    public static async Task InitialiseDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<SettlementMapDbContext>>();
        await MigrateAsync(db, logger);
        if (app.Configuration.GetValue("Demo:Load", true))
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadIfEmptyAsync();
            var accounts = await DemoAccounts.EnsureAsync(db, scope.ServiceProvider.GetRequiredService<IPasswordHasher<UserAccount>>());
            if (accounts > 0)
            {
                logger.LogInformation("Created {Count} demo accounts", accounts);
            }
        }
    }

    /// <summary>Applies pending migrations, then the function, trigger and view files that changed (<see cref="DatabaseDefinitions"/>).</summary>
    public static async Task MigrateAsync(SettlementMapDbContext db, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Asking for pending migrations on a new database makes EF Core log a failed query of its
        // history table; ask whether that table exists first.
        var applied = await db.GetService<IHistoryRepository>().ExistsAsync()
            ? await db.Database.GetAppliedMigrationsAsync()
            : [];
        var pending = db.Database.GetMigrations().Except(applied).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying migrations: {Migrations}", string.Join(", ", pending));
            await db.Database.MigrateAsync();
            await SearchKeys.BackfillAsync(db);
        }
        await DatabaseDefinitions.ApplyAsync(db, logger);
    }
}
