using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SettlementMap.Web.Features.Sensitivity;

namespace SettlementMap.Web.Http;

/// <summary>
/// HTTP caching of layers and tiles: the ETag is the versions of the tables a response is made of
/// (bumped by a trigger on every change, Features/Layers/Sql/bump_layer_version.sql) plus the request's own
/// path and query, so an edit changes the ETag of every layer and tile it can affect, and a client
/// that still holds the current version gets 304 without the layer being built again. The viewer's
/// level (Features/Sensitivity) and the who-sees-what settings' versions are part of it too. The same
/// tag keys <see cref="ResponseCache"/>, the server's copy of recent responses.
/// </summary>
public static class LayerETags
{
    /// <summary>Revalidate every time (a 304 is cheap); the ETag makes that safe.</summary>
    public const string CacheControl = "no-cache";

    /// <summary>The tables the settlement and municipality layers, the summary and the tiles are made of: their versions make the ETag.</summary>
    public static readonly string[] LayerTables = ["settlements", "municipalities"];

    /// <summary>The tables of the plans and measures: the measures' map layers, and the settlement filter unplanned, read them.</summary>
    public static readonly string[] MeasureTables = ["action_plans", "measures", "measure_settlements"];

    /// <summary>
    /// The tables a settlement response with this request's filters is made of: <see cref="LayerTables"/>, and the measures'
    /// with unplanned (a measure saved changes which settlements it keeps).
    /// </summary>
    public static string[] SettlementTables(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Query.ContainsKey("unplanned") ? [.. LayerTables, .. MeasureTables] : LayerTables;
    }

    /// <summary>The ETag of a layer or summary response: <see cref="SettlementTables"/>' versions with the URL (the handlers' and the response cache's).</summary>
    public static Task<string> LayerETagAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ETagAsync(request, SettlementTables(request), cancellationToken);

    /// <summary>The ETag of a response built from <paramref name="tables"/> for this request's path and query.</summary>
    /// <param name="request">The request: its path and query are part of the tag.</param>
    /// <param name="tables">The tables the response is made of.</param>
    /// <param name="cancellationToken">Cancels the version lookup.</param>
    /// <param name="variant">Anything else the response depends on that the URL does not say (e.g. "today").</param>
    /// <param name="tile">For a vector tile, its area: the settlements part of the tag is then the version
    /// that area last changed at (<see cref="EditAreaLog"/>), not the layer's.</param>
    public static async Task<string> ETagAsync(HttpRequest request, string[] tables, CancellationToken cancellationToken, string? variant = null, TileArea? tile = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        // What the viewer may see shapes every response: the policy's versions and the viewer's level are
        // part of every tag, so a restricted answer (or a copy in ResponseCache) never reaches another level.
        tables = [.. tables, .. DisclosurePolicies.Tables];
        var viewer = (await DisclosurePolicies.OfAsync(request.HttpContext)).CacheKey;
        // Looked up once a request: ResponseCache asks before the handler does (a query when LayerVersions has no copy),
        // on the server the request reads from.
        var itemKey = "layer_versions:" + string.Join(',', tables) + (tile is null ? "" : ":tile");
        if (request.HttpContext.Items[itemKey] is not string versions)
        {
            versions = await ReadRoute.Of(request.HttpContext).VersionsAsync(tables, cancellationToken, tile);
            request.HttpContext.Items[itemKey] = versions;
        }
        var key = versions + "|" + viewer + "|" + request.Path + request.QueryString + "|" + variant;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20];
        return string.Create(CultureInfo.InvariantCulture, $"\"{hash}\"");
    }

    /// <summary>Sets the caching headers; true when the client's If-None-Match already names this version (answer 304).</summary>
    public static bool IsNotModified(HttpContext context, string etag)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = CacheControl;
        var inm = context.Request.Headers.IfNoneMatch.ToString();
        return inm.Length > 0 && inm.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "W/" + etag || t == "*");
    }
}
