using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SettlementMap.Web.Features.Accounts;

namespace SettlementMap.Web.Http;

/// <summary>A client's token bucket: <see cref="TokenLimit"/> requests at once, then <see cref="TokensPerPeriod"/> more each <see cref="PeriodSeconds"/>.</summary>
public sealed record RateBudget(string Name, string Label, int TokenLimit, int TokensPerPeriod, double PeriodSeconds)
{
    public TokenBucketRateLimiterOptions Options => new()
    {
        TokenLimit = TokenLimit,
        TokensPerPeriod = TokensPerPeriod,
        ReplenishmentPeriod = TimeSpan.FromSeconds(PeriodSeconds),
        QueueLimit = 0, // a client over its budget is told when to come back, never held in a queue
        AutoReplenishment = true,
    };

    /// <summary>This budget with what configuration sets (RateLimits:&lt;Name&gt;:TokenLimit, :TokensPerPeriod, :PeriodSeconds).</summary>
    public RateBudget Configured(IConfiguration configuration)
    {
        var section = configuration.GetSection($"{ClientRateLimits.Section}:{Name}");
        return this with
        {
            TokenLimit = Math.Max(1, section.GetValue(nameof(TokenLimit), TokenLimit)),
            TokensPerPeriod = Math.Max(1, section.GetValue(nameof(TokensPerPeriod), TokensPerPeriod)),
            PeriodSeconds = Math.Max(0.001, section.GetValue(nameof(PeriodSeconds), PeriodSeconds)),
        };
    }
}

/// <summary>
/// Per-client rate limits (429 with Retry-After and a problem body), on top of the endpoints' own
/// policies (<see cref="MapQueryLimiter"/>'s gate), as the rate limiter's global limiter. A client is
/// the signed-in account when there is one (cookie or personal access token), else its address
/// (IPv4, or the IPv6 /64, as <see cref="SignInThrottle.AddressKey"/> counts it). Two budgets:
/// <list type="bullet">
/// <item><see cref="Api"/>: every request to /api, /ogc and /tiles. Measured in headless Chromium
/// panning and zooming as fast as the mouse allows, the page asks for at most 56 tiles a second and 338
/// in ten seconds at 1920×1080 (124–199 and 441–555 at 3840×2160); GDAL 3.6 paging through the OGC items with
/// its default 10 a page asks 86 a second without pause. The bucket holds 2,000 and refills 200 each
/// second (a whole second: the partitioned limiter's 100 ms heartbeat would drop some shorter periods): several times what a person or a client paging sequentially asks for, but a bound on a
/// scraper or a runaway script.</item>
/// <item><see cref="Bulk"/>: exports and import uploads, each of which reads or writes a whole data
/// set: 6 at once, then one every 10 s.</item>
/// </list>
/// Answers from <see cref="ResponseCache"/> (and its 304s) do not count: it runs before the limiter,
/// and a copy from memory costs the server next to nothing, which is what the budget protects; a
/// person returning over tiles already built spends nothing. Static files and pages do not count either.
/// A request that waits in <see cref="MapQueryLimiter"/>'s queue takes a second API token (the
/// middleware acquires the global lease again when it waits for the endpoint's).
/// </summary>
public static class ClientRateLimits
{
    public const string Section = "RateLimits";

    /// <summary>Configuration key: false turns the per-client limits off (the benchmark's load comes from one address).</summary>
    public const string EnabledSetting = Section + ":Enabled";

    /// <summary>The title of the 429 problem (the sign-in throttle's 429 has its own).</summary>
    public const string RejectionTitle = "Too many requests.";

    public static readonly RateBudget Api = new("Api", "API requests", 2_000, 200, 1);

    public static readonly RateBudget Bulk = new("Bulk", "exports and import uploads", 6, 1, 10);

    public static IServiceCollection AddClientRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue(EnabledSetting, true))
        {
            return services;
        }
        var api = Api.Configured(configuration);
        var bulk = Bulk.Configured(configuration);
        var apiLimiter = Limiter(api, IsApi);
        var bulkLimiter = Limiter(bulk, IsBulk);
        return services.AddRateLimiter(options =>
        {
            // API first: a request that the bulk budget refuses has spent one API token, never the other way round.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(apiLimiter, bulkLimiter);
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                // Which budget ran out: the bulk one when this request is in it and it is empty, else the API's.
                var http = context.HttpContext;
                var empty = IsBulk(http.Request) && bulkLimiter.GetStatistics(http)?.CurrentAvailablePermits == 0;
                return RejectAsync(context, empty ? bulk : api);
            };
        });
    }

    /// <summary>Who a request counts against: its account, else its address.</summary>
    public static string ClientKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? "account:" + id
            : "address:" + SignInThrottle.AddressKey(context.Connection.RemoteIpAddress);
    }

    public static bool IsApi(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/ogc") || request.Path.StartsWithSegments("/tiles");
    }

    public static bool IsBulk(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments("/api/export")
            || (HttpMethods.IsPost(request.Method) && request.Path.Value?.TrimEnd('/') == "/api/imports");
    }

    /// <summary>One bucket per client for the requests <paramref name="applies"/> selects; the name keeps the budgets' partitions apart.</summary>
    private static PartitionedRateLimiter<HttpContext> Limiter(RateBudget budget, Func<HttpRequest, bool> applies) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => applies(context.Request)
            ? RateLimitPartition.GetTokenBucketLimiter(budget.Name + "|" + ClientKey(context), _ => budget.Options)
            : RateLimitPartition.GetNoLimiter(""));

    private static async ValueTask RejectAsync(OnRejectedContext context, RateBudget budget)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: RejectionTitle,
            detail: $"This client has used its budget of {budget.Label} ({budget.TokenLimit} at once, then {budget.TokensPerPeriod} every " +
                $"{budget.PeriodSeconds.ToString(CultureInfo.InvariantCulture)} s); try again in {seconds} s.").ExecuteAsync(http);
    }
}
