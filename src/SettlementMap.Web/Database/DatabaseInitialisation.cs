using Microsoft.EntityFrameworkCore;
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
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying migrations: {Migrations}", string.Join(", ", pending));
            await db.Database.MigrateAsync();
        }
        if (app.Configuration.GetValue("Demo:Load", true))
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadIfEmptyAsync();
        }
    }
}
