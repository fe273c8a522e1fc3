namespace SettlementMap.Web.Http;

/// <summary>
/// Which hosts the service answers for and the address its absolute links start with. A request's
/// Host header is the client's to choose: links built from it let anyone who can send a request
/// (or poison a cache) point the OGC API's links elsewhere. So links use <c>PublicBaseUrl</c> when
/// it is set and otherwise a Host header that <c>AllowedHosts</c> admits; any other Host gets a 400.
/// X-Forwarded-* headers are not read unless ASP.NET Core's ASPNETCORE_FORWARDEDHEADERS_ENABLED is
/// set (and then only the scheme and client address, never the host).
/// </summary>
public sealed class PublicUrls
{
    public const string BaseUrlSetting = "PublicBaseUrl";

    /// <summary>Semicolon-separated host names ("*" any, "*.example.org" its subdomains); ports are not compared.</summary>
    public const string AllowedHostsSetting = "AllowedHosts";

    /// <summary>What run.sh, the tests and docker-compose (a loopback port, the container's own health probe) use.</summary>
    public const string DefaultAllowedHosts = "localhost;127.0.0.1;[::1]";

    private readonly string[] _hosts;

    public PublicUrls(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[BaseUrlSetting] is { Length: > 0 } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                throw new InvalidOperationException($"{BaseUrlSetting} must be an absolute http(s) URL without query, e.g. https://maps.example.org; got '{text}'.");
            }
            BaseUrl = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }
        var allowed = configuration[AllowedHostsSetting] is { Length: > 0 } hosts ? hosts : DefaultAllowedHosts;
        _hosts = [.. allowed.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            .. BaseUrl is null ? [] : new[] { new Uri(BaseUrl).Host }];
    }

    /// <summary>The configured public root (scheme, host, port and path, no trailing slash), or null.</summary>
    public string? BaseUrl { get; }

    /// <summary>The start of every absolute link in a response to this request.</summary>
    public static string Root(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.RequestServices.GetRequiredService<PublicUrls>().BaseUrl
            ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
    }

    public bool Allows(HostString host)
    {
        var name = host.Host;
        return _hosts.Any(allowed => allowed == "*"
            || (name.Length > 0 && (string.Equals(allowed, name, StringComparison.OrdinalIgnoreCase)
                || (allowed.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)))));
    }
}
