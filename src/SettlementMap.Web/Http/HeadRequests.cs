using Microsoft.AspNetCore.Http.Features;

namespace SettlementMap.Web.Http;

/// <summary>
/// HEAD on every GET endpoint (RFC 9110 9.3.2; OGC API – Features clients and link checkers
/// send it): minimal APIs' MapGet answers only GET, so a HEAD is handled as the GET it
/// stands for, with the same status and headers and the body thrown away.
/// Registered as a startup filter so that it runs before routing picks an endpoint.
/// </summary>
public static class HeadRequests
{
    public static IServiceCollection AddHeadRequests(this IServiceCollection services) =>
        services.AddTransient<IStartupFilter, HeadFirst>();

    private sealed class HeadFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(AnswerAsGetAsync);
            next(app);
        };
    }

    private static async Task AnswerAsGetAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Request.Method = HttpMethods.Get;
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(body);
            context.Request.Method = HttpMethods.Head;
        }
    }
}
