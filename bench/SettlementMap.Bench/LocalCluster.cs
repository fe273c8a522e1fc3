using SettlementMap.Web;
using SettlementMap.Web.Database;

namespace SettlementMap.Bench;

/// <summary>
/// The app's own local cluster (.data/pg), started the way the app starts it and left running for
/// the benchmark's other steps; run.sh stops it at the end when it was not running before.
/// </summary>
public static class LocalCluster
{
    public static async Task<int> StartAsync()
    {
        var cluster = new LocalPostgisCluster(Path.Combine(ProjectPaths.Find().LocalState, "pg"));
        await cluster.StartAsync();
        Console.WriteLine(cluster.Port);
        // The connection string the app uses with its own cluster (pooling on, Maximum Pool Size=50), for any database.
        Console.WriteLine(cluster.ConnectionString("{db}"));
        return 0;
    }
}
