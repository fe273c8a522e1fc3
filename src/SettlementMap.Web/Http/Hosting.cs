using Microsoft.AspNetCore.Connections;
using SettlementMap.Web.Database;

namespace SettlementMap.Web.Http;

public static class Hosting
{
    /// <summary>
    /// Runs the app; a port already in use is a one-line message and exit code 2 instead of a
    /// stack trace, and the local cluster we started is stopped either way.
    /// </summary>
    public static async Task<int> RunSettlementMapAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cluster = app.Services.GetService<LocalPostgisCluster>(); // the provider is disposed once start-up fails
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (IOException exception) when (exception.InnerException is AddressInUseException)
        {
            await Console.Error.WriteLineAsync(
                $"{exception.Message} Is SettlementMap already running? " +
                "Stop the other process or choose another address with SETTLEMENTMAP_URLS / --urls.");
            if (cluster is not null)
            {
                await cluster.StopAsync();
            }
            return 2;
        }
    }
}
