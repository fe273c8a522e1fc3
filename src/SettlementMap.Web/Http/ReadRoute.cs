using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Database;

namespace SettlementMap.Web.Http;

/// <summary>
/// Which server answers a request's reads: the replica (<see cref="ReadReplica"/>) for a GET or HEAD while
/// it is usable and has replayed the client's own last write (<see cref="ReadYourWrites"/>), the primary
/// otherwise. Decided once a request, so its ETag (<see cref="LayerETags"/>) and its body come from the same
/// server: on the replica the ETag is made of the versions it had at the poll before the request, never newer
/// than what the body is then read from. A handler that reads takes one as a parameter (minimal APIs bind it
/// with <see cref="BindAsync"/>); one that writes, or must see the latest state, takes the primary's
/// <see cref="NpgsqlDataSource"/> (or the DbContext) as before.
/// </summary>
public sealed class ReadRoute
{
    private readonly LayerVersionSnapshot? _replicaVersions;
    private readonly LayerVersions? _primaryVersions;

    private ReadRoute(NpgsqlDataSource dataSource, LayerVersionSnapshot? replicaVersions, LayerVersions? primaryVersions)
    {
        DataSource = dataSource;
        _replicaVersions = replicaVersions;
        _primaryVersions = primaryVersions;
    }

    /// <summary>Where this request's reads go.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>True when <see cref="DataSource"/> is the replica.</summary>
    public bool OnReplica => _replicaVersions is not null;

    /// <summary>The versions of <paramref name="tables"/> on the server this request reads from (<see cref="LayerVersionSnapshot.Format"/>).</summary>
    public ValueTask<string> VersionsAsync(IReadOnlyCollection<string> tables, CancellationToken cancellationToken, TileArea? tile = null) =>
        _replicaVersions is { } versions ? ValueTask.FromResult(versions.Format(tables, tile)) : _primaryVersions!.GetAsync(tables, cancellationToken, tile);

    /// <summary>The request's route, decided at its first use.</summary>
    public static ReadRoute Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<ReadRoute>() is { } decided)
        {
            return decided;
        }
        var services = context.RequestServices;
        var reads = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var route = reads && services.GetService<ReadReplica>() is { Usable: { } state } replica && ReadYourWrites.Replayed(context.Request, state.Replayed)
            ? new ReadRoute(replica.DataSource, state.Versions, null)
            : new ReadRoute(services.GetRequiredService<NpgsqlDataSource>(), null, services.GetRequiredService<LayerVersions>());
        context.Features.Set(route);
        return route;
    }

    /// <summary>Minimal APIs' binding of a handler's ReadRoute parameter.</summary>
    public static ValueTask<ReadRoute?> BindAsync(HttpContext context) => ValueTask.FromResult<ReadRoute?>(Of(context));
}

/// <summary>
/// Read-your-writes with a replica: after a request that may have written (any method but GET, HEAD and
/// OPTIONS), a cookie carries the primary's WAL position, at or past the write's commit; until the replica
/// has replayed that far, the client's reads go to the primary (<see cref="ReadRoute"/>). The cookie holds no
/// secret: a client that forges it only sends its own reads to the primary. It lasts
/// <see cref="ReplicaOptions.ReadYourWritesFor"/>; a replica that lags longer than its MaxLag serves no one.
/// Clients without cookies (scripts with a bearer token) may read the replica's older state right after a write.
/// </summary>
public static partial class ReadYourWrites
{
    public const string CookieName = "SettlementMap.Wrote";

    /// <summary>True when the request has no (readable) write position, or the replica has replayed it.</summary>
    public static bool Replayed(HttpRequest request, NpgsqlLogSequenceNumber replayed)
    {
        ArgumentNullException.ThrowIfNull(request);
        return !request.Cookies.TryGetValue(CookieName, out var text)
            || !NpgsqlLogSequenceNumber.TryParse(text, out var wrote)
            || replayed >= wrote;
    }

    public static IApplicationBuilder UseReadYourWrites(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<ReadReplica>() is null)
        {
            return app;
        }
        return app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method))
            {
                // At the response's start the handler has committed (or failed); the position is read then.
                context.Response.OnStarting(() => MarkAsync(context));
            }
            await next(context);
        });
    }

    private static async Task MarkAsync(HttpContext context)
    {
        var services = context.RequestServices;
        try
        {
            var position = await ReadReplica.PrimaryPositionAsync(services.GetRequiredService<NpgsqlDataSource>(), context.RequestAborted);
            context.Response.Cookies.Append(CookieName, position.ToString(), new CookieOptions
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                Path = "/",
                MaxAge = services.GetRequiredService<ReadReplica>().Options.ReadYourWritesFor,
            });
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // No position: nothing was written that the primary can confirm, or the client has gone.
            LogNoPosition(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReadYourWrites)), exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the primary's WAL position after a write; the client's next reads may come from the replica")]
    private static partial void LogNoPosition(ILogger logger, Exception exception);
}
