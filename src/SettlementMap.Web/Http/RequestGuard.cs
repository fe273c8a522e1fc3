using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SettlementMap.Web.Http;

/// <summary>
/// Checks every request's Host and target before any endpoint sees it, so every endpoint benefits:
/// a Host that <see cref="PublicUrls"/> does not admit is a 400, a URL over <see cref="MaxUrlLength"/>
/// a 414, a path or a query value that breaks <see cref="InputText"/> a 400 naming the parameter,
/// each with a problem body.
/// </summary>
public static class RequestGuard
{
    /// <summary>
    /// The longest request target (path and query) the app answers. Above CQL2's own limit of 8,192
    /// characters even when a filter is percent-encoded, so that limit is the one a client meets.
    /// </summary>
    public const int MaxUrlLength = 32 * 1024;

    /// <summary>
    /// Kestrel answers a longer request line itself, with an empty 414, before the app runs; set
    /// well above <see cref="MaxUrlLength"/> so the app's own problem+json 414 is the one users meet.
    /// </summary>
    public const int KestrelRequestLineLimit = 64 * 1024;

    /// <summary>Raises Kestrel's request-line limit (default 8 KiB) and its header total with it.</summary>
    public static void ConfigureLimits(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.MaxRequestLineSize = KestrelRequestLineLimit;
        options.Limits.MaxRequestHeadersTotalSize = Math.Max(options.Limits.MaxRequestHeadersTotalSize, KestrelRequestLineLimit);
    }

    public static IServiceCollection AddRequestGuard(this IServiceCollection services) =>
        // ASP.NET Core's own host filter reads AllowedHosts too, but rejects with an empty 400 before
        // any middleware of ours runs; the check here applies the same setting with a problem body.
        services.AddSingleton<PublicUrls>().PostConfigure<HostFilteringOptions>(o => o.AllowedHosts = ["*"]);

    public static IApplicationBuilder UseRequestGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var problem = Check(context);
            if (problem is null)
            {
                await next(context);
            }
            else
            {
                await problem.ExecuteAsync(context);
            }
        });

    private static IResult? Check(HttpContext context)
    {
        var request = context.Request;
        if (!context.RequestServices.GetRequiredService<PublicUrls>().Allows(request.Host))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown host.",
                detail: $"This service does not answer for the host '{request.Host}'. Its operator lists the names it answers for in " +
                    $"{PublicUrls.AllowedHostsSetting} (or sets {PublicUrls.BaseUrlSetting}).");
        }
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var length = string.IsNullOrEmpty(target) ? (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) : target.Length;
        if (length > MaxUrlLength)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status414UriTooLong, title: "The URL is too long.",
                detail: $"At most {MaxUrlLength} characters of path and query are accepted; this one has {length}.");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (InputText.Flaw(request.Path.Value) is { } pathFlaw)
        {
            errors["path"] = [$"The path {pathFlaw.Message}."];
        }
        foreach (var (key, values) in request.Query)
        {
            var flaw = InputText.Flaw(key) is { } keyFlaw
                ? $"The parameter's name {keyFlaw.Message}."
                : values.Select(v => InputText.Flaw(v)).FirstOrDefault(f => f is not null) is { } valueFlaw ? $"The value {valueFlaw.Message}." : null;
            if (flaw is not null)
            {
                errors[InputText.Printable(key)] = [flaw];
            }
        }
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The request has text that cannot be accepted.");
    }
}
