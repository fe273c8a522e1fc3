using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Sensitivity;

/// <summary>What a viewer sees under a policy, as the SQL every output builds from it (pure: no database).</summary>
public sealed class DisclosureTests
{
    private static readonly DisclosurePolicy Defaults = DisclosurePolicy.Defaults;
    private static readonly Viewer Coordinator = new(Clearance.SignedIn, new HashSet<int> { 7, 3 }, "coord");
    private static AttributeDefinition A(string name) => SettlementSchema.Find(name)!;

    [Fact]
    public void Anonymous_visitors_do_not_get_what_is_not_public_by_default()
    {
        var anonymous = new Disclosure(Defaults, Viewer.Anonymous);
        Assert.All(["eviction_threat", "residents_without_documents", "legal_status", "electricity", "updated_by"], n => Assert.True(anonymous.Hides(n), n));
        Assert.All(["water_supply", "estimated_inhabitants", "name_latn"], n => Assert.False(anonymous.Hides(n), n));
        var layer = anonymous.SelectList(Outputs.Layer);
        Assert.DoesNotContain("eviction_threat", layer, StringComparison.Ordinal);
        Assert.DoesNotContain("legal_status", layer, StringComparison.Ordinal);
        Assert.Contains("s.water_supply", layer, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coordinator_sees_every_level_in_their_own_municipalities_only()
    {
        var coordinator = new Disclosure(Defaults, Coordinator);
        Assert.Equal("CASE WHEN s.municipality_id IN (3, 7) THEN s.eviction_threat END", coordinator.Sql(A("eviction_threat")));
        Assert.Equal("s.legal_status", coordinator.Sql(A("legal_status")));
        Assert.False(coordinator.Hides("eviction_threat"));
        Assert.False(coordinator.Generalises);
        Assert.Equal(Clearance.Administrators, Coordinator.LevelIn(7));
        Assert.Equal(Clearance.SignedIn, Coordinator.LevelIn(8));
    }

    [Fact]
    public void Administrators_see_everything_unmasked()
    {
        var admin = new Disclosure(Defaults, Viewer.Administrator("admin"));
        Assert.Equal(SchemaSql.SelectList(Outputs.Export), admin.SelectList(Outputs.Export));
        Assert.Equal(SchemaSql.SelectList(Outputs.Layer), Disclosure.Everything.SelectList(Outputs.Layer));
        Assert.DoesNotContain(SettlementSchema.EstimatedInhabitantsBelow, admin.SelectList(Outputs.Export), StringComparison.Ordinal);
    }

    [Fact]
    public void A_level_set_by_an_administrator_overrides_the_default_but_identity_stays_public()
    {
        var policy = Defaults with { Levels = new Dictionary<string, Clearance> { ["water_supply"] = Clearance.Administrators, ["eviction_threat"] = Clearance.Public, ["name_latn"] = Clearance.Administrators } };
        var anonymous = new Disclosure(policy, Viewer.Anonymous);
        Assert.True(anonymous.Hides("water_supply"));
        Assert.False(anonymous.Hides("eviction_threat"));
        Assert.False(anonymous.Hides("name_latn"));
        // Hidden from everyone but the coordinator's own: a typed null for the others (a bare NULL has no type to sum).
        Assert.Equal("CASE WHEN FALSE THEN s.water_supply END", new Disclosure(policy, Viewer.Anonymous).FilterSql(A("water_supply")));
    }

    [Fact]
    public void The_public_view_generalises_small_settlements_and_compares_boxes_with_their_moved_point()
    {
        var anonymous = new Disclosure(Defaults, Viewer.Anonymous);
        Assert.True(anonymous.Generalises);
        Assert.Contains(anonymous.In(Outputs.Layer), a => a.Name == SettlementSchema.EstimatedInhabitantsBelow);
        Assert.Equal("CASE WHEN COALESCE(s.estimated_inhabitants < 100, TRUE) THEN NULL ELSE s.estimated_inhabitants END", anonymous.Sql(A("estimated_inhabitants")));
        Assert.Equal("CASE WHEN s.estimated_inhabitants < 100 THEN 100 END", anonymous.Sql(A(SettlementSchema.EstimatedInhabitantsBelow)));
        Assert.Equal("CASE WHEN COALESCE(s.estimated_inhabitants < 100, TRUE) THEN disclosed_point(s.id, s.centroid) ELSE s.geom END", anonymous.Geometry("s.geom"));
        var box = anonymous.Intersects("s.geom", "E");
        Assert.Contains("ST_Intersects(disclosed_point(s.id, s.centroid), E)", box, StringComparison.Ordinal);
        Assert.Contains("s.geom && ST_Expand(E, ", box, StringComparison.Ordinal);
        var off = new Disclosure(Defaults with { Generalisation = Defaults.Generalisation with { Enabled = false } }, Viewer.Anonymous);
        Assert.False(off.Generalises);
        Assert.Equal("s.geom", off.Geometry("s.geom"));
        Assert.DoesNotContain(off.In(Outputs.Layer), a => a.Name == SettlementSchema.EstimatedInhabitantsBelow);
    }

    [Fact]
    public void Viewers_who_see_differently_never_share_a_cache_key()
    {
        var keys = new[]
        {
            new Disclosure(Defaults, Viewer.Anonymous).CacheKey,
            new Disclosure(Defaults with { Generalisation = Defaults.Generalisation with { Enabled = false } }, Viewer.Anonymous).CacheKey,
            new Disclosure(Defaults, Coordinator).CacheKey,
            new Disclosure(Defaults, Coordinator with { OwnMunicipalities = new HashSet<int> { 3 } }).CacheKey,
            new Disclosure(Defaults, Viewer.Administrator("admin")).CacheKey,
        };
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(new Disclosure(Defaults, Viewer.Administrator("a")).CacheKey, new Disclosure(Defaults, Viewer.Administrator("b")).CacheKey);
    }

    [Fact]
    public void Values_held_in_memory_follow_the_same_rules()
    {
        var values = new Dictionary<string, object?> { ["code"] = "x", ["eviction_threat"] = "yes", ["legal_status"] = "legalised", ["estimated_inhabitants"] = 42, ["water_supply"] = "none" };
        new Disclosure(Defaults, Viewer.Anonymous).Apply(values, 7);
        Assert.Equal(["code", "estimated_inhabitants", "estimated_inhabitants_below", "water_supply"], values.Keys.Order(StringComparer.Ordinal));
        Assert.Null(values["estimated_inhabitants"]);
        Assert.Equal(100, values["estimated_inhabitants_below"]);

        var own = new Dictionary<string, object?> { ["eviction_threat"] = "yes", ["estimated_inhabitants"] = 42 };
        new Disclosure(Defaults, Coordinator).Apply(own, 7);
        Assert.Equal("yes", own["eviction_threat"]);
        Assert.Equal(42, own["estimated_inhabitants"]);
        var other = new Dictionary<string, object?> { ["eviction_threat"] = "yes", ["legal_status"] = "in_process" };
        new Disclosure(Defaults, Coordinator).Apply(other, 8);
        Assert.Equal(["legal_status"], other.Keys);
    }
}
