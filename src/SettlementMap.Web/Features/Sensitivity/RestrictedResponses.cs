namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// Outputs that are not cached by ETag (the OGC API, the exports) but still differ per viewer: what a
/// signed-in viewer got is marked private, so that no shared cache (a proxy, a CDN) keeps it for the next
/// visitor; the public view's answers stay as they were.
/// </summary>
public static class RestrictedResponses
{
    /// <summary>What a response for a viewer who sees more than the public is sent with.</summary>
    public const string CacheControl = "private, no-cache";

    /// <summary>Whether <paramref name="shown"/>'s viewer sees more than the public view (a signed-in account).</summary>
    public static bool IsRestricted(this Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return shown.Viewer.Level > Clearance.Public || shown.Viewer.OwnMunicipalities.Count > 0;
    }

    /// <summary>Marks every response of the group's endpoints private when its viewer is signed in.</summary>
    public static TBuilder PrivateWhenRestricted<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if ((await DisclosurePolicies.OfAsync(context.HttpContext)).IsRestricted())
            {
                context.HttpContext.Response.Headers.CacheControl = CacheControl;
            }
            return await next(context);
        });
}
