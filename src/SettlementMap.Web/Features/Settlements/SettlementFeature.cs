using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using SettlementMap.Web.Data;

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

    public static Feature ToFeature(Settlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        return new Feature(settlement.Geom, SettlementProperties.From(settlement));
    }
}
