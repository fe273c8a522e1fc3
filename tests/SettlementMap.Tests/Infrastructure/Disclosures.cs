using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>Who-sees-what settings of a test class's own database (the app sees them at its next request).</summary>
public static class Disclosures
{
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

    /// <summary>The restricted value planted in a settlement of coord-nis's own municipality (residents_without_documents, administrators only).</summary>
    public const int OwnSecret = 187;

    /// <summary>The restricted value planted in a settlement of another municipality.</summary>
    public const int OtherSecret = 193;

    /// <summary>The text planted in source (set to administrators only) of the settlement in coord-nis's municipality.</summary>
    public const string OwnSecretText = "SECRET-OWN-SOURCE";

    /// <summary>The text planted in source of the settlement of another municipality.</summary>
    public const string OtherSecretText = "SECRET-OTHER-SOURCE";

    /// <summary>
    /// The settlements the who-sees-what tests read, with distinctive restricted values planted: one of
    /// coord-nis's own municipality and one of another (both large enough not to be generalised), and a
    /// small one (fewer than 100 inhabitants, generalised in the public view). source is set to
    /// administrators only, generalisation is on with its defaults (100, 500 m).
    /// </summary>
    public static async Task<Planted> PlantAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var db = app.CreateContext();
        var own = await db.Database.SqlQuery<long>($"""
            SELECT s.id AS "Value" FROM settlements s JOIN user_municipalities um ON um.municipality_id = s.municipality_id JOIN users u ON u.id = um.user_id
            WHERE u.user_name = 'coord-nis' AND s.estimated_inhabitants >= 200 ORDER BY s.id LIMIT 1
            """).SingleAsync();
        var other = await db.Database.SqlQuery<long>($"""
            SELECT s.id AS "Value" FROM settlements s
            WHERE s.municipality_id NOT IN (SELECT um.municipality_id FROM user_municipalities um JOIN users u ON u.id = um.user_id WHERE u.user_name = 'coord-nis')
              AND s.estimated_inhabitants >= 200 ORDER BY s.id LIMIT 1
            """).SingleAsync();
        // Small, and with an outline whose bounding box (widened by 10 m) does not hold its displaced point.
        await GeneraliseAsync(app, true);
        var small = await db.Database.SqlQuery<long>($"""
            SELECT s.id AS "Value" FROM settlements s
            WHERE s.estimated_inhabitants < 100 AND NOT ST_Intersects(ST_Expand(ST_Envelope(s.geom), 0.0001), disclosed_point(s.id, s.centroid))
            ORDER BY s.id LIMIT 1
            """).SingleAsync();
        await db.Database.ExecuteSqlAsync($"UPDATE settlements SET residents_without_documents = {OwnSecret}, source = {OwnSecretText} WHERE id = {own}");
        await db.Database.ExecuteSqlAsync($"UPDATE settlements SET residents_without_documents = {OtherSecret}, source = {OtherSecretText} WHERE id = {other}");
        await SetLevelAsync(app, "source", "administrators");
        return new Planted(own, other, small);
    }
}

/// <summary>A test class over restricted values planted (<see cref="Disclosures.PlantAsync"/>) in its own database, before each test.</summary>
public abstract class PlantedTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    protected AppFixture App => app;

    protected Planted Planted { get; private set; } = null!;

    public async Task InitializeAsync() => Planted = await Disclosures.PlantAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>What <see cref="Disclosures.PlantAsync"/> chose: ids of a settlement of coord-nis's own municipality, of another, and of a small one.</summary>
public sealed record Planted(long Own, long Other, long Small);
