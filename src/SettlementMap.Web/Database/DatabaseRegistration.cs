using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Database;

public static class DatabaseRegistration
{
    public const string ConnectionStringName = "SettlementMap";
    public const string EnvironmentVariable = "SETTLEMENTMAP_DB";
    private const string LocalDatabaseName = "settlementmap";

    /// <summary>
    /// Registers the Npgsql data source (for streamed SQL) and the EF Core context on the same
    /// connection string: the configured one, SETTLEMENTMAP_DB, or a local cluster under .data/pg;
    /// and, when one is configured, a read replica (<see cref="ReadReplica"/>).
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

        var dataSourceBuilder = new NpgsqlDataSourceBuilder(WithQuerySettings(connectionString)) { Name = "settlementmap" };
        dataSourceBuilder.UseNetTopologySuite();
        builder.Services.AddSingleton(dataSourceBuilder.Build());
        builder.Services.AddSingleton<LayerVersions>().AddHostedService(services => services.GetRequiredService<LayerVersions>());
        var replicaConnectionString = builder.Configuration.GetConnectionString(ReadReplica.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(replicaConnectionString))
        {
            replicaConnectionString = Environment.GetEnvironmentVariable(ReadReplica.EnvironmentVariable);
        }
        if (!string.IsNullOrWhiteSpace(replicaConnectionString))
        {
            var replicaBuilder = new NpgsqlDataSourceBuilder(WithQuerySettings(replicaConnectionString)) { Name = "settlementmap-replica" };
            replicaBuilder.UseNetTopologySuite();
            var replica = replicaBuilder.Build();
            var options = ReplicaOptions.From(builder.Configuration);
            // The real clock, not the app's TimeProvider (tests set a manual one for dates): replication runs in real time.
            builder.Services.AddSingleton(services => new ReadReplica(replica, services.GetRequiredService<NpgsqlDataSource>(), options,
                    TimeProvider.System, services.GetRequiredService<ILogger<ReadReplica>>()))
                .AddHostedService(services => services.GetRequiredService<ReadReplica>());
        }
        // Pooled: the context keeps no per-request state, and a request that asks for one (every layer
        // handler does, for its filters' place check) then reuses an instance instead of building its
        // options and services again (EF Core's WarningsConfiguration showed in the bbox profile).
        builder.Services.AddDbContextPool<SettlementMapDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>(), o => o.UseNetTopologySuite())
                .AddInterceptors(services.GetRequiredService<LayerVersions>().Interceptor));
    }

    /// <summary>Statements Npgsql prepares once they have run this many times on a connection.</summary>
    public const int AutoPrepareMinUsages = 2;

    /// <summary>Prepared statements kept a connection (the app has a few dozen distinct statements).</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// The app's settings on top of any connection string (configured, SETTLEMENTMAP_DB or the local
    /// cluster's); a setting the string already has is kept. Measured by bench/run.sh at 100k settlements:
    /// <list type="bullet">
    /// <item>jit=off: the layer and tile queries are short but PostgreSQL's cost estimates for the
    /// PostGIS functions cross jit_above_cost, and compiling took ~190 ms of a z8 tile's ~600 ms
    /// while saving nothing.</item>
    /// <item>Automatic preparation: the same few statements (layer_versions, layer by bbox, tiles) run
    /// thousands of times; prepared, each skips parsing and planning (a city-zoom bbox plans in about as
    /// long as it executes).</item>
    /// <item>No Reset On Close: the app keeps no session state on pooled connections (no SET, temporary
    /// tables or advisory locks; LISTEN only on LayerVersions' own connection, which UNLISTENs before it
    /// goes back), so the reset Npgsql runs each time a connection is taken again is pure cost: without it
    /// the city-zoom bbox served 15,316 and 14,425 requests in 15 s against 12,411 and 13,104 with it (A/B/A/B).</item>
    /// </list>
    /// </summary>
    public static string WithQuerySettings(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var options = settings.Options ?? "";
        if (!options.Contains("jit=", StringComparison.Ordinal) && !options.Contains("jit ", StringComparison.Ordinal))
        {
            settings.Options = (options + " -c jit=off").Trim();
        }
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("NoResetOnClose", StringComparison.OrdinalIgnoreCase)))
        {
            settings.NoResetOnClose = true;
        }
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
            settings.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        return settings.ConnectionString;
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
