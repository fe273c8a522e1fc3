using Npgsql;
using SettlementMap.Web.Database;

namespace SettlementMap.Web.Data.Demo;

public static class DemoCommands
{
    /// <summary>
    /// dotnet run -- build-demo-data: rebuilds data/demo from data/sources in a scratch database of
    /// the local cluster (or of SETTLEMENTMAP_DB), which PostGIS needs for the Voronoi cells.
    /// </summary>
    public static async Task BuildDemoDataAsync(ProjectPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var connectionString = Environment.GetEnvironmentVariable(DatabaseRegistration.EnvironmentVariable);
        await using var cluster = string.IsNullOrWhiteSpace(connectionString) ? new LocalPostgisCluster(Path.Combine(paths.LocalState, "pg")) : null;
        if (cluster is not null)
        {
            await cluster.StartAsync();
            connectionString = cluster.ConnectionString("postgres");
        }
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        await using var dataSource = builder.Build();
        await using (var command = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS postgis"))
        {
            await command.ExecuteNonQueryAsync();
        }
        await new DemoDataBuilder(new DemoFiles(paths), dataSource).BuildAsync();
    }
}
