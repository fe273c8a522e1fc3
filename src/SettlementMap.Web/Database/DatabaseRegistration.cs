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
            // The host stops hosted services on Ctrl-C / SIGTERM: that is when the cluster we started stops too.
            builder.Services.AddSingleton(cluster).AddHostedService<LocalClusterLifetime>();
            connectionString = cluster.ConnectionString(LocalDatabaseName);
            Console.Error.WriteLine($"Local PostGIS cluster in {Path.Combine(paths.LocalState, "pg")} on 127.0.0.1:{cluster.Port}");
        }

        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString) { Name = "settlementmap" };
        dataSourceBuilder.UseNetTopologySuite();
        builder.Services.AddSingleton(dataSourceBuilder.Build());
        builder.Services.AddDbContext<SettlementMapDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>(), o => o.UseNetTopologySuite()));
    }
}

/// <summary>Stops the self-started cluster once everything else (the web server included) has stopped.</summary>
internal sealed class LocalClusterLifetime(LocalPostgisCluster cluster) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => cluster.StopAsync();
}
