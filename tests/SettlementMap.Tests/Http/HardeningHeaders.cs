using System.Net.Http.Headers;

namespace SettlementMap.Tests.Http;

/// <summary>The browser hardening headers every response must carry, whatever its status, kind or method.</summary>
public static class HardeningHeaders
{
    /// <summary>Features no page uses (a sample of what the policy refuses).</summary>
    private static readonly string[] Refused = ["camera", "microphone", "payment", "usb"];

    /// <summary>
    /// Asserts the strict policy and the other headers on a response to <paramref name="path"/>: the OGC API
    /// and the tiles may be loaded by other origins, everything else by this one only; HSTS only over HTTPS.
    /// </summary>
    public static void AssertOn(HttpResponseMessage response, string path, bool https = false)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(path);
        var what = $"{response.RequestMessage?.Method} {path} ({(int)response.StatusCode})";
        var headers = response.Headers;
        var policy = One(headers, "Content-Security-Policy", what);
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "", StringComparer.Ordinal);
        Assert.Equal("'self'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["style-src"]);
        Assert.Equal("'self' data:", directives["img-src"]); // the tests configure no base map
        Assert.Equal("'self'", directives["connect-src"]);
        Assert.Equal("'self'", directives["worker-src"]);
        Assert.Equal("'none'", directives["object-src"]);
        Assert.Equal("'self'", directives["base-uri"]);
        Assert.Equal("'self'", directives["form-action"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", One(headers, "X-Content-Type-Options", what));
        Assert.Equal("DENY", One(headers, "X-Frame-Options", what));
        Assert.Equal("strict-origin-when-cross-origin", One(headers, "Referrer-Policy", what));
        Assert.Equal("same-origin", One(headers, "Cross-Origin-Opener-Policy", what));
        // The OGC API's and the tiles' paths (not /ogc.css, the OGC pages' own style sheet).
        var shared = path.Split('?')[0] is "/ogc" || path.StartsWith("/ogc/", StringComparison.Ordinal) || path.StartsWith("/tiles/", StringComparison.Ordinal);
        Assert.True((shared ? "cross-origin" : "same-origin") == One(headers, "Cross-Origin-Resource-Policy", what), what);
        var permissions = One(headers, "Permissions-Policy", what).Split(", ").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        Assert.Equal("(self)", permissions["geolocation"]);
        Assert.All(Refused, feature => Assert.Equal("()", permissions[feature]));
        if (https)
        {
            Assert.Equal("max-age=31536000", One(headers, "Strict-Transport-Security", what));
        }
        else
        {
            Assert.False(headers.Contains("Strict-Transport-Security"), $"{what}: HSTS over plain HTTP");
        }
    }

    private static string One(HttpResponseHeaders headers, string name, string what)
    {
        Assert.True(headers.TryGetValues(name, out var values), $"{what} has no {name}");
        return Assert.Single(values);
    }
}
