using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Data;

/// <summary>The demo data set as loaded: sizes, names, and geometric validity checked by PostGIS.</summary>
public sealed class DemoDataTests(DemoDatabaseFixture database) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task Districts_municipalities_and_settlements_have_the_sizes_of_the_real_survey()
    {
        await using var db = database.CreateContext();
        Assert.Equal(25, await db.Districts.CountAsync());
        Assert.InRange(await db.Municipalities.CountAsync(), 120, 200);
        Assert.InRange(await db.Settlements.CountAsync(), 550, 620);
        Assert.True(await db.Settlements.AllAsync(s => s.Source == "demo"));
        Assert.True(await db.Municipalities.AllAsync(m => m.BoundaryApproximate));
    }

    [Fact]
    public async Task Belgrade_city_municipalities_of_the_programmes_are_present_in_both_scripts()
    {
        await using var db = database.CreateContext();
        var belgrade = await db.Municipalities.Where(m => m.District!.Code == "RS.SE.0").ToDictionaryAsync(m => m.NameLatn, m => m.NameCyrl);
        Assert.Equal("Чукарица", belgrade["Čukarica"]);
        Assert.Equal("Звездара", belgrade["Zvezdara"]);
        Assert.Equal("Нови Београд", belgrade["Novi Beograd"]);
        Assert.Equal("Сурчин", belgrade["Surčin"]);
        Assert.Equal("Обреновац", belgrade["Obrenovac"]);
        Assert.Equal("Крагујевац", (await db.Municipalities.SingleAsync(m => m.Code == "kragujevac")).NameCyrl);
    }

    [Fact]
    public async Task Programme_membership_matches_the_published_lists()
    {
        await using var db = database.CreateContext();
        var members = await db.Coverage.Where(c => c.Kind == CoverageKind.Programme)
            .GroupBy(c => c.Programme!.Code).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Assert.Equal(11, members["romacted"]);
        Assert.Equal(30, members["undp_youth"]);
        var romacted = await db.Programmes.SingleAsync(p => p.Code == "romacted");
        Assert.Equal(new DateOnly(2017, 5, 1), romacted.StartedOn);
        Assert.Equal(new DateOnly(2020, 4, 30), romacted.EndedOn);
        Assert.True(await db.Coverage.AnyAsync(c => c.Kind == CoverageKind.HealthMediator && c.Source == "demo"));
    }

    [Fact]
    public async Task Every_geometry_is_valid_and_every_settlement_lies_within_its_municipality()
    {
        var cs = database.ConnectionString;
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements WHERE NOT ST_IsValid(geom)"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM municipalities WHERE NOT ST_IsValid(geom)"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlements s JOIN municipalities m ON m.id = s.municipality_id WHERE NOT ST_Within(s.geom, m.geom)"));
        // RFC 7946 winding is stored, not only served: shells counter-clockwise.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements WHERE NOT ST_IsPolygonCCW(geom)"));
    }

    [Fact]
    public async Task Municipalities_do_not_overlap_and_settlements_do_not_overlap_each_other()
    {
        var cs = database.ConnectionString;
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM municipalities a JOIN municipalities b ON a.id < b.id AND ST_Overlaps(a.geom, b.geom)"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlements a JOIN settlements b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)"));
    }

    [Fact]
    public async Task Attributes_vary_across_every_closed_list()
    {
        await using var db = database.CreateContext();
        Assert.Equal(4, await db.Settlements.Select(s => s.WaterSupply).Distinct().CountAsync());
        Assert.Equal(4, await db.Settlements.Select(s => s.LegalStatus).Distinct().CountAsync());
        Assert.Equal(5, await db.Settlements.Select(s => s.Electricity).Distinct().CountAsync());
        Assert.Equal(3, await db.Settlements.Select(s => s.SettlementType).Distinct().CountAsync(s => s != SettlementType.Unknown));
        var inhabitants = await db.Settlements.Select(s => s.EstimatedInhabitants!.Value).ToListAsync();
        Assert.InRange(inhabitants.Min(), 50, 200);
        Assert.InRange(inhabitants.Max(), 1000, 3000);
    }
}
