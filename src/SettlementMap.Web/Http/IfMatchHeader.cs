using System.Globalization;

namespace SettlementMap.Web.Http;

/// <summary>The row version a write was based on, as editors send it back from the ETag they read (settlements, measures).</summary>
public static class IfMatchHeader
{
    /// <summary>The version in If-Match ("123", W/"123" or 123); null when absent or not a version of ours.</summary>
    public static uint? Version(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Headers.IfMatch.ToString().Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        text = text.Trim('"');
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }
}
