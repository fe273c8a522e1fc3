using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SettlementMap.Web.Http;

/// <summary>
/// Admission control for the map's database-built responses (layers, the summary, tiles): at most a
/// few run in PostgreSQL at once and the rest wait their turn, oldest first. PostgreSQL does the most
/// work a second with about as many active queries as it has cores; with one backend per open request
/// (32 clients panning at city zoom) the backends time-slice, each query takes several times longer
/// and the slowest are the ones users notice (bench/run.sh, step b: p95 90 → under 50 ms).
/// The gate sits after <see cref="ResponseCache"/>, so answers from memory never queue, and exports
/// (long streams) are not in it, so they cannot hold the map up either.
/// </summary>
public static class MapQueryLimiter
{
    public const string PolicyName = "map-queries";

    /// <summary>Configuration key of the number of map queries run at once (default: two a core, plus two).</summary>
    public const string ConcurrencySetting = "MapQueries:Concurrency";

    /// <summary>Requests that may wait; beyond that the server is overloaded and says so (503, Retry-After).</summary>
    public const string QueueSetting = "MapQueries:Queue";

    public static int DefaultConcurrency => (2 * Environment.ProcessorCount) + 2;

    public const int DefaultQueue = 1000;

    public static IServiceCollection AddMapQueryLimiter(this IServiceCollection services, IConfiguration configuration)
    {
        var concurrency = Math.Max(1, configuration.GetValue(ConcurrencySetting, DefaultConcurrency));
        var queue = Math.Max(0, configuration.GetValue(QueueSetting, DefaultQueue));
        // Its own rejection (503: the server is busy), apart from the per-client budgets' 429 (ClientRateLimits).
        return services.AddRateLimiter(options => options.AddPolicy(PolicyName, new Gate(new ConcurrencyLimiterOptions
        {
            PermitLimit = concurrency,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        })));
    }

    private sealed class Gate(ConcurrencyLimiterOptions options) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) =>
        {
            context.HttpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return ValueTask.CompletedTask;
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.GetConcurrencyLimiter(PolicyName, _ => options);
    }
}
