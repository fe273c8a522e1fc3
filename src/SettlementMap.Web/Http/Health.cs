using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Http;

/// <summary>
/// /health/live: the process answers (no database; a load balancer restarts nothing because the
/// database is away). /health/ready: the database answers and every migration is applied (send
/// traffic here). Both 200 when healthy, 503 when not, with a small JSON body.
/// </summary>
public static class Health
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddSettlementMapHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<ReplicaCheck>("replica", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("The process is up (200); does not ask the database");
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("The database answers and its migrations are applied (200), or not (503)");
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Unhealthy)
        {
            context.Response.Headers.RetryAfter = ProblemHandling.DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Exception is null ? e.Value.Description : "The check failed." }),
        });
    }

    /// <summary>
    /// The container's health probe: <c>dotnet SettlementMap.Web.dll healthcheck [url]</c> exits 0
    /// when the URL (default: /health/ready on 127.0.0.1:8080) answers 200. The runtime image has
    /// neither curl nor wget, and the app's own runtime is already there.
    /// </summary>
    public static async Task<int> ProbeAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var url = args.Length > 0 ? args[0] : $"http://127.0.0.1:8080{ReadyPath}";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            await Console.Out.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Degraded, never unhealthy, while a configured replica serves no reads: the primary serves them.</summary>
    private sealed class ReplicaCheck(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(services.GetService<Database.ReadReplica>() switch
            {
                null => HealthCheckResult.Healthy("No read replica is configured."),
                { Usable: { } state } => HealthCheckResult.Healthy(FormattableString.Invariant($"The read replica serves reads ({state.Behind.TotalSeconds:0.0} s behind).")),
                _ => HealthCheckResult.Degraded("The read replica does not answer or is too far behind; the primary serves reads."),
            });
    }

    private sealed class DatabaseCheck(SettlementMapDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
                var pending = db.Database.GetMigrations().Except(applied).Count();
                return pending == 0
                    ? HealthCheckResult.Healthy("The database answers; its migrations are applied.")
                    : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied yet.");
            }
            catch (Npgsql.NpgsqlException)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.");
            }
        }
    }
}
