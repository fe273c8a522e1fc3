using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Database;

public static class DatabaseRegistration
{
    public const string ConnectionStringName = "SettlementMap";
    public const string EnvironmentVariable = "SETTLEMENTMAP_DB";
    private const string LocalDatabaseName = "settlementmap";

    /// <summary>
    /// Registers the Npgsql data source (for streamed SQL) and the EF Core context on the same
    /// connection string: the configured one, SETTLEMENTMAP_DB, or a local cluster under .data/pg.
    /// </summary>
    public static async Task AddSettlementMapDatabaseAsync(this WebApplicationBuilder builder, ProjectPaths paths)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var cluster = new LocalPostgisCluster(Path.Combine(paths.LocalState, "pg"));
            await cluster.StartAsync();
            await cluster.EnsureDatabaseAsync(LocalDatabaseName);
            // Registered as a singleton so the host disposes it (pg_ctl stop) on Ctrl-C.
            builder.Services.AddSingleton(cluster);
            connectionString = cluster.ConnectionString(LocalDatabaseName);
            Console.WriteLine($"Local PostGIS cluster in {Path.Combine(paths.LocalState, "pg")} on 127.0.0.1:{cluster.Port}");
        }

        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString) { Name = "settlementmap" };
        dataSourceBuilder.UseNetTopologySuite();
        builder.Services.AddSingleton(dataSourceBuilder.Build());
        builder.Services.AddDbContext<SettlementMapDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>(), o => o.UseNetTopologySuite()));
    }
}
