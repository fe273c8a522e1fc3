using System.Text.RegularExpressions;

namespace SettlementMap.Web.Http;

/// <summary>
/// A strict Content-Security-Policy and the other browser hardening headers, on every response:
/// the pages, their scripts (a worker takes its policy from its own script's response), the API and
/// every error, 304, 429 and 503 (the middleware is the first of the pipeline).
/// </summary>
public static partial class SecurityHeaders
{
    /// <summary>
    /// Scripts, styles, workers and requests from this origin only: no inline script or style, no
    /// eval, no plugins, no framing. Images also from data: URLs (Leaflet-Geoman's icons) and from
    /// the base map's tile host when one is configured.
    /// </summary>
    public static string ContentSecurityPolicy(string? baseLayerUrl)
    {
        var images = BaseLayerSource(baseLayerUrl) is { } tiles ? $"'self' data: {tiles}" : "'self' data:";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + images + "; font-src 'self'; connect-src 'self'; " +
            "worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary>
    /// The CSP source of a tile URL template: its scheme, host and port. A leading template label
    /// ("{s}.tile.example.org") becomes a wildcard; a host templated elsewhere can only be allowed by
    /// its scheme. Null for a URL of this origin (relative) or none.
    /// </summary>
    public static string? BaseLayerSource(string? urlTemplate)
    {
        if (string.IsNullOrWhiteSpace(urlTemplate))
        {
            return null;
        }
        var match = AbsoluteUrl().Match(urlTemplate.Trim());
        if (!match.Success)
        {
            return null;
        }
        var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
        var host = LeadingTemplateLabel().Replace(match.Groups["host"].Value, "*.");
        return host.Contains('{', StringComparison.Ordinal) || host.Contains('}', StringComparison.Ordinal) || host.Length == 0
            ? scheme + ":"
            : scheme + "://" + host.ToLowerInvariant() + match.Groups["port"].Value;
    }

    /// <summary>
    /// What the pages may use of the browser: geolocation from this origin (to find "near me"), nothing
    /// that records, pays or talks to devices. Only features Chromium knows: it warns of an unknown one in
    /// the console of every page (it does of "bluetooth"; ContentSecurityPolicyTests watches for it).
    /// </summary>
    public const string PermissionsPolicy =
        "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), hid=(), midi=(), " +
        "accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), publickey-credentials-get=()";

    /// <summary>A year; no includeSubDomains or preload, which would bind hosts this service does not know of.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// Cross-Origin-Resource-Policy of a response. The OGC API and the vector tiles are the data's public
    /// interface: a web map on another origin may load them, also from a page that is cross-origin isolated
    /// (COEP require-corp, which refuses any resource that does not say cross-origin). Everything else (the
    /// pages, their files, the page's own API, exports) is for this origin. QGIS and GDAL are not browsers
    /// and never read the header.
    /// </summary>
    public static string ResourcePolicy(PathString path) =>
        path.StartsWithSegments("/ogc") || path.StartsWithSegments("/tiles") ? "cross-origin" : "same-origin";

    /// <summary>Adds the headers to every response, errors included (set as the response starts, after any handler cleared it).</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app, string? baseLayerUrl)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = ContentSecurityPolicy(baseLayerUrl);
        app.Use((context, next) =>
        {
            var request = context.Request;
            var response = context.Response;
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // The origin only, and only to other sites: tile servers such as OpenStreetMap's ask for a referrer.
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                // No other site's window keeps a handle on ours (nor ours on a link it opened).
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = ResourcePolicy(request.Path);
                headers["Permissions-Policy"] = PermissionsPolicy;
                if (request.IsHttps)
                {
                    // Only over HTTPS: a browser ignores it over HTTP, and a plain-HTTP set-up must stay reachable.
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>[^/:?#]+)(?<port>:\d+)?(?:[/?#]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex(@"^\{[^}]*\}\.", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingTemplateLabel();
}
