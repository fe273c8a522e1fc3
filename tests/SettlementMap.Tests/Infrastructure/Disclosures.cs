using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>Who-sees-what settings of a test class's own database (the app sees them at its next request).</summary>
public static class Disclosures
{
    /// <summary>
    /// Every attribute public and nothing generalised: for tests about something else (filters, caching,
    /// the schema's order), whose anonymous requests then see what an administrator sees.
    /// </summary>
    public static async Task EverythingPublicAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var attribute in SettlementSchema.Attributes.Where(a => a.Restrictable && !a.GeneralisedViewOnly))
        {
            await SetLevelAsync(app, attribute.Name, "public");
        }
        await GeneraliseAsync(app, false);
    }

    /// <summary>Sets an attribute's level ("public", "signed_in", "administrators").</summary>
    public static async Task SetLevelAsync(AppFixture app, string attribute, string level)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var db = app.CreateContext();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO attribute_levels (attribute, level, changed_by) VALUES ({attribute}, {level}, 'test')
            ON CONFLICT (attribute) DO UPDATE SET level = EXCLUDED.level WHERE attribute_levels.level IS DISTINCT FROM EXCLUDED.level
            """);
    }

    /// <summary>Turns small-number generalisation of the public view on or off (threshold 100, radius 500 m unless given).</summary>
    public static async Task GeneraliseAsync(AppFixture app, bool enabled, int threshold = 100, int radiusM = 500)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var db = app.CreateContext();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE disclosure_settings SET generalise_small = {enabled}, threshold = {threshold}, radius_m = {radiusM}
            WHERE id = 1 AND (generalise_small, threshold, radius_m) IS DISTINCT FROM ({enabled}, {threshold}, {radiusM})
            """);
    }
}
