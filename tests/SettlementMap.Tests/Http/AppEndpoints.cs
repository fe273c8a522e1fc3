using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SettlementMap.Tests.Http;

/// <summary>The endpoints the app maps, read from its own EndpointDataSource, and their URLs with route values filled in.</summary>
public static class AppEndpoints
{
    /// <summary>Every RouteEndpoint as "METHOD pattern" (an endpoint without methods answers GET).</summary>
    public static List<(string Key, RouteEndpoint Endpoint)> All(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => ($"{m} /{e.RoutePattern.RawText!.TrimStart('/')}", e)))];

    /// <summary>The endpoint's path with each route parameter replaced by its value in <paramref name="routes"/>, or <paramref name="parameter"/> by <paramref name="value"/>.</summary>
    public static string Fill(RouteEndpoint endpoint, IReadOnlyDictionary<string, string> routes, string? parameter = null, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(routes);
        var text = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        foreach (var p in endpoint.RoutePattern.Parameters)
        {
            var token = text[text.IndexOf("{" + p.Name, StringComparison.Ordinal)..];
            token = token[..(token.IndexOf('}', StringComparison.Ordinal) + 1)];
            text = text.Replace(token, p.Name == parameter ? value : routes[p.Name], StringComparison.Ordinal);
        }
        return text;
    }
}
