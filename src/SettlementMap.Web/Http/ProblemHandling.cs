using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace SettlementMap.Web.Http;

public static class ProblemHandling
{
    /// <summary>Seconds a client is asked to wait while the database is away (about a PostgreSQL restart).</summary>
    public const int DatabaseRetryAfterSeconds = 10;

    /// <summary>Every error leaves as an RFC 7807 problem body (with a trace id); unexpected ones never show internals.</summary>
    public static IServiceCollection AddSettlementMapProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails().AddExceptionHandler<DatabaseUnavailableHandler>().AddExceptionHandler<UniqueViolationHandler>();

    /// <summary>
    /// Npgsql's own judgement of "try again later": the server cannot be reached, refused or dropped
    /// the connection, is starting or shutting down, or a connection did not come in time (Npgsql
    /// marks those IsTransient; EF Core's retry strategy asks the same question).
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception? exception)
    {
        return Chain(exception).Any(e => e is NpgsqlException { IsTransient: true });
    }

    /// <summary>
    /// The backstop for a write that collides with a row that exists (PostgreSQL 23505, e.g. two
    /// requests creating the same code at once): a 409 naming the column, not a 500. Handlers still
    /// check what they can first and say it better; this covers the race between check and insert.
    /// </summary>
    private sealed class UniqueViolationHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var violation = Chain(exception).OfType<PostgresException>().FirstOrDefault(e => e.SqlState == PostgresErrorCodes.UniqueViolation);
            if (violation is null)
            {
                return false;
            }
            // EF Core names unique indexes IX_<table>_<columns>.
            var prefix = $"IX_{violation.TableName}_";
            var field = violation.ConstraintName is { } name && name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : "value";
            return await WriteAsync(problems, httpContext, exception, StatusCodes.Status409Conflict, "It exists already.",
                $"Another record has the same {field}; nothing was saved.", new Dictionary<string, string[]> { [field] = [$"Another record has this {field}."] });
        }
    }

    /// <summary>The problem body an exception handler answers with: status, title, detail and, where one field is at fault, its errors.</summary>
    private static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext httpContext, Exception exception,
        int status, string title, string detail, Dictionary<string, string[]>? errors = null)
    {
        httpContext.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (errors is not null)
        {
            context.ProblemDetails.Extensions["errors"] = errors;
        }
        return problems.TryWriteAsync(context);
    }

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>A database outage is the service being unavailable (503, Retry-After), not a server bug (500).</summary>
    private sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (!IsDatabaseUnavailable(exception))
            {
                return false;
            }
            logger.LogWarning("The database is unavailable: {Message}", exception.GetBaseException().Message);
            httpContext.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await WriteAsync(problems, httpContext, exception, StatusCodes.Status503ServiceUnavailable, "The database is not available.",
                $"The service cannot reach its database just now; try again in {DatabaseRetryAfterSeconds} seconds.");
        }
    }
}
