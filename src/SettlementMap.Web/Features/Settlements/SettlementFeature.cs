using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>One settlement as the API hands it out (read and after an edit): loaded, versioned, as a GeoJSON Feature.</summary>
public static class SettlementFeature
{
    /// <summary>One settlement with its municipality and district, untracked; null when there is none.</summary>
    public static Task<Settlement?> LoadAsync(SettlementMapDbContext db, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Settlements.AsNoTracking()
            .Include(s => s.Municipality!).ThenInclude(m => m.District)
            .SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    /// <summary>The row version (xmin) as a strong ETag: what an edit sends back in If-Match.</summary>
    public static void SetETag(HttpResponse response, Settlement settlement)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(settlement);
        response.Headers.ETag = $"\"{settlement.Version.ToString(CultureInfo.InvariantCulture)}\"";
    }

    /// <summary>Every attribute and the outline: what an editor gets back after a save (all of their own municipality).</summary>
    public static Feature ToFeature(Settlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        return new Feature(settlement.Geom, SettlementProperties.From(settlement));
    }

    /// <summary>What <paramref name="shown"/>'s viewer sees: their attributes, and the displaced point instead of the outline when it is given.</summary>
    public static Feature ToFeature(Settlement settlement, Disclosure shown, Geometry? displacedPoint)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        return new Feature(displacedPoint ?? settlement.Geom, SettlementProperties.From(settlement, shown, generalised: displacedPoint is not null));
    }

    /// <summary>
    /// The ETag and caching of a read by <paramref name="shown"/>'s viewer. A signed-in viewer gets the row
    /// version (xmin), which edits send back in If-Match, and an answer no shared cache keeps (private,
    /// no-store). An anonymous one sees less under the same version: their tag adds what they may see
    /// (their level and the policy's version), so it never equals the full answer's, and it varies by
    /// the credentials a shared cache might otherwise ignore.
    /// </summary>
    public static void SetETag(HttpResponse response, Settlement settlement, Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(shown);
        if (shown.Viewer.UserName is not null)
        {
            SetETag(response, settlement);
            response.Headers.CacheControl = "private, no-store";
            return;
        }
        var view = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shown.CacheKey + "|" + shown.Policy.Version)))[..12];
        response.Headers.ETag = $"\"{settlement.Version.ToString(CultureInfo.InvariantCulture)}-{view}\"";
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = "Authorization, Cookie";
    }
}
