using NetTopologySuite;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Tests.History;
using SettlementMap.Web.Features.History;
using Xunit.Abstractions;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.Coverage;

/// <summary>
/// A small hand-made country, so every figure can be counted by hand:
/// district TS.D1 = alfa (settlements of 100, 200 and unknown inhabitants) and beta (50, 70);
/// district TS.D2 = gama (1000) and delta (no settlements).
/// Coverage: alfa coordinator ×2 2024-01-01..2024-06-30; alfa health mediator (count unknown) 2020-01-01..open;
/// beta health mediator ×1 open start..2030-12-31; beta coordinator ×0 (never covers);
/// gama coordinator ×1 2023-01-01..open and ×2 2024-03-01..2024-03-31; gama pedagogical assistant ×0 from 2024-01-01;
/// delta coordinator ×1 always; programme test_prog: beta and delta 2022-01-01..2025-12-31.
/// </summary>
public sealed class CoverageFiguresFixture(IMessageSink messageSink) : SeededAppFixture(messageSink)
{
    private static readonly GeometryFactory Geometry = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    private static MultiPolygon Square(double lon, double lat, double half) => HistorySeed.Square(lon, lat, half);

    // About coverage periods, not who sees what: the hand-counted population includes the small settlements (SeededAppFixture).
    protected override async Task SeedAsync(SettlementMapDbContext db)
    {
        var d1 = new District { Code = "TS.D1", NameLatn = "Prvi", NameCyrl = "Први", NameEn = "First" };
        var d2 = new District { Code = "TS.D2", NameLatn = "Drugi", NameCyrl = "Други", NameEn = "Second" };
        Municipality Place(string code, string latn, string cyrl, District district, double lon) => new()
        {
            Code = code, NameLatn = latn, NameCyrl = cyrl, District = district, Seat = Geometry.CreatePoint(new Coordinate(lon, 44.0)),
            Geom = Square(lon, 44.0, 0.08), Source = "test",
        };
        var alfa = Place("alfa", "Alfa", "Алфа", d1, 20.0);
        var beta = Place("beta", "Beta", "Бета", d1, 20.2);
        var gama = Place("gama", "Gama", "Гама", d2, 20.4);
        var delta = Place("delta", "Delta", "Делта", d2, 20.6);
        var count = 0;
        Settlement Settlement(Municipality m, int? inhabitants)
        {
            count++;
            return new Settlement
            {
                Code = $"TEST-{count:000}", NameLatn = $"Naselje {count}", NameCyrl = $"Насеље {count}", Municipality = m,
                Geom = Square(m.Seat.X - 0.05 + count * 0.01, 44.0, 0.003), EstimatedInhabitants = inhabitants, Source = "test",
            };
        }
        db.Settlements.AddRange(
            Settlement(alfa, 100), Settlement(alfa, 200), Settlement(alfa, null),
            Settlement(beta, 50), Settlement(beta, 70),
            Settlement(gama, 1000));
        db.Municipalities.Add(delta);
        var programme = new Programme { Code = "test_prog", NameEn = "Test programme", NameSrLatn = "Test program", NameSrCyrl = "Тест програм", Funders = "test" };
        CoverageRecord Record(Municipality m, CoverageKind kind, int? n, string? from, string? to) => new()
        {
            Municipality = m, Kind = kind, Count = n, ValidFrom = from is null ? null : Day(from), ValidTo = to is null ? null : Day(to), Source = "test",
            Programme = kind == CoverageKind.Programme ? programme : null,
        };
        db.Coverage.AddRange(
            Record(alfa, CoverageKind.Coordinator, 2, "2024-01-01", "2024-06-30"),
            Record(alfa, CoverageKind.HealthMediator, null, "2020-01-01", null),
            Record(beta, CoverageKind.HealthMediator, 1, null, "2030-12-31"),
            Record(beta, CoverageKind.Coordinator, 0, null, null),
            Record(gama, CoverageKind.Coordinator, 1, "2023-01-01", null),
            Record(gama, CoverageKind.Coordinator, 2, "2024-03-01", "2024-03-31"),
            Record(gama, CoverageKind.PedagogicalAssistant, 0, "2024-01-01", null),
            Record(delta, CoverageKind.Coordinator, 1, null, null),
            Record(beta, CoverageKind.Programme, null, "2022-01-01", "2025-12-31"),
            Record(delta, CoverageKind.Programme, null, "2022-01-01", "2025-12-31"));
        // The figures of a day count the settlements of that day: these have existed since 1900, the earliest day one can ask.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await ChangeTime.SetAsync(db, new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero), default);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}

/// <summary>
/// GET /api/coverage/figures and the coverage layer over the hand-made fixture: every expected
/// number below is counted by hand from the fixture's description, not queried.
/// </summary>
public sealed class CoverageFiguresTests(CoverageFiguresFixture fixture) : IClassFixture<CoverageFiguresFixture>
{
    private const string Programme = "programme:test_prog";
    private static readonly string[] AllCodes = ["alfa", "beta", "delta", "gama"];
    private static readonly string[] NoneMissing = [];
    private static readonly string[] CoordinatorMissing = ["coordinator"];
    private static readonly string[] BothMissing = ["coordinator", "health_mediator"];
    private static readonly string[] HealthMediatorMissing = ["health_mediator"];

    [Fact]
    public async Task Figures_on_a_day_match_the_hand_counted_numbers_nationally_and_per_district()
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, "2024-03-15");
        Assert.Equal("2024-03-15", figures.GetProperty("as_of").GetString());

        // Coordinator: alfa (3 settlements, 300) and gama (1, 1000); beta's count is 0.
        Assert.Equal(new Figure(4, 2, 1300, 120, 2, 1), FigureOf(figures, "coordinator"));
        Assert.Equal(new Figure(3, 2, 300, 120, 1, 1), FigureOf(figures, "coordinator", "TS.D1"));
        Assert.Equal(new Figure(1, 0, 1000, 0, 1, 0), FigureOf(figures, "coordinator", "TS.D2"));
        // Health mediator: alfa and beta.
        Assert.Equal(new Figure(5, 1, 420, 1000, 2, 1), FigureOf(figures, "health_mediator"));
        Assert.Equal(new Figure(5, 0, 420, 0, 2, 0), FigureOf(figures, "health_mediator", "TS.D1"));
        Assert.Equal(new Figure(0, 1, 0, 1000, 0, 1), FigureOf(figures, "health_mediator", "TS.D2"));
        // The programme: beta (delta is a member but has no settlements).
        Assert.Equal(new Figure(2, 4, 120, 1300, 1, 2), FigureOf(figures, Programme));
        Assert.Equal(new Figure(2, 3, 120, 300, 1, 1), FigureOf(figures, Programme, "TS.D1"));
        Assert.Equal(new Figure(0, 1, 0, 1000, 0, 1), FigureOf(figures, Programme, "TS.D2"));
    }

    [Fact]
    public async Task Figures_list_every_kind_and_the_programme_with_their_keys()
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, "2024-03-15");
        string[] expected = ["coordinator", "health_mediator", "pedagogical_assistant", "mobile_team", "local_action_plan", "inter_ethnic_council", Programme];
        Assert.Equal(expected, figures.GetProperty("kinds").EnumerateArray().Select(k => k.GetProperty("key").GetString()));
        Assert.Equal(expected.Order(), figures.GetProperty("national").EnumerateArray().Select(r => r.GetProperty("kind").GetString()).Order());
        // Nothing covers anyone by mobile team: everything is "not covered".
        Assert.Equal(new Figure(0, 6, 0, 1420, 0, 3), FigureOf(figures, "mobile_team"));
    }

    [Fact]
    public async Task A_record_with_count_zero_does_not_cover()
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, "2024-03-15");
        // gama's only pedagogical-assistant record has count 0.
        Assert.Equal(new Figure(0, 6, 0, 1420, 0, 3), FigureOf(figures, "pedagogical_assistant"));
        Assert.Equal(new Figure(0, 1, 0, 1000, 0, 1), FigureOf(figures, "pedagogical_assistant", "TS.D2"));
        var layer = await LayerAsync(client, "2024-03-15");
        Assert.DoesNotContain("pedagogical_assistant", CoverageOf(layer["gama"]).Keys);
        // beta's only coordinator record has count 0: beta lacks a coordinator.
        Assert.DoesNotContain("coordinator", CoverageOf(layer["beta"]).Keys);
        Assert.Equal(CoordinatorMissing, GapMissing(layer["beta"]));
    }

    [Fact]
    public async Task Municipalities_without_settlements_are_not_counted()
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, "2024-03-15");
        // delta has a coordinator and is a programme member, but no settlements: 3 municipalities are counted, not 4.
        var coordinator = FigureOf(figures, "coordinator");
        Assert.Equal(3, coordinator.MunicipalitiesCovered + coordinator.MunicipalitiesNotCovered);
        Assert.Equal(2, coordinator.MunicipalitiesCovered);
        Assert.Equal(1, FigureOf(figures, Programme).MunicipalitiesCovered);
        Assert.Equal(new Figure(1, 0, 1000, 0, 1, 0), FigureOf(figures, "coordinator", "TS.D2"));
        // The layer shows delta covered, with nothing to be missing.
        var delta = (await LayerAsync(client, "2024-03-15"))["delta"];
        Assert.Equal(0, delta.GetProperty("settlement_count").GetInt32());
        Assert.Equal(0, delta.GetProperty("estimated_inhabitants").GetInt32());
        Assert.False(delta.GetProperty("gap").GetBoolean());
        Assert.Equal(NoneMissing, GapMissing(delta));
        Assert.Equal(0, delta.GetProperty("gap_inhabitants").GetInt32());
    }

    [Fact]
    public async Task Layer_on_a_day_carries_the_hand_counted_coverage_and_gap()
    {
        using var client = fixture.Factory.CreateClient();
        var layer = await LayerAsync(client, "2024-03-15");
        Assert.Equal(AllCodes, layer.Keys.Order());

        var alfa = layer["alfa"];
        Assert.Equal("TS.D1", alfa.GetProperty("district_code").GetString());
        Assert.Equal("Алфа", alfa.GetProperty("name_cyrl").GetString());
        Assert.Equal(3, alfa.GetProperty("settlement_count").GetInt32());
        Assert.Equal(300, alfa.GetProperty("estimated_inhabitants").GetInt32());
        Assert.Equal(new Dictionary<string, int?> { ["coordinator"] = 2, ["health_mediator"] = null }, CoverageOf(alfa));
        Assert.False(alfa.GetProperty("gap").GetBoolean());
        Assert.Equal(0, alfa.GetProperty("gap_inhabitants").GetInt32());

        var beta = layer["beta"];
        Assert.Equal(new Dictionary<string, int?> { ["health_mediator"] = 1, [Programme] = null }, CoverageOf(beta));
        Assert.True(beta.GetProperty("gap").GetBoolean());
        Assert.Equal(120, beta.GetProperty("gap_inhabitants").GetInt32());

        // gama: two coordinator records active, counts summed.
        var gama = layer["gama"];
        Assert.Equal("TS.D2", gama.GetProperty("district_code").GetString());
        Assert.Equal(new Dictionary<string, int?> { ["coordinator"] = 3 }, CoverageOf(gama));
        Assert.True(gama.GetProperty("gap").GetBoolean());
        Assert.Equal(HealthMediatorMissing, GapMissing(gama));
        Assert.Equal(1000, gama.GetProperty("gap_inhabitants").GetInt32());

        Assert.Equal(new Dictionary<string, int?> { ["coordinator"] = 1, [Programme] = null }, CoverageOf(layer["delta"]));
    }

    [Theory]
    [InlineData("2023-12-31", false)]
    [InlineData("2024-01-01", true)]
    [InlineData("2024-06-30", true)]
    [InlineData("2024-07-01", false)]
    public async Task A_period_covers_from_its_first_to_its_last_day_inclusive(string asOf, bool covered)
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, asOf);
        // In TS.D1 only alfa can have a coordinator (beta's count is 0).
        Assert.Equal(covered ? new Figure(3, 2, 300, 120, 1, 1) : new Figure(0, 5, 0, 420, 0, 2), FigureOf(figures, "coordinator", "TS.D1"));

        var alfa = (await LayerAsync(client, asOf))["alfa"];
        Assert.Equal(covered, CoverageOf(alfa).ContainsKey("coordinator"));
        Assert.True(CoverageOf(alfa).ContainsKey("health_mediator"));
        Assert.Equal(!covered, alfa.GetProperty("gap").GetBoolean());
        Assert.Equal(covered ? NoneMissing : CoordinatorMissing, GapMissing(alfa));
        Assert.Equal(covered ? 0 : 300, alfa.GetProperty("gap_inhabitants").GetInt32());
    }

    [Fact]
    public async Task An_open_ended_record_covers_far_in_the_future()
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, "2100-01-01");
        // alfa's health mediator has no end; beta's ended in 2030.
        Assert.Equal(new Figure(3, 2, 300, 120, 1, 1), FigureOf(figures, "health_mediator", "TS.D1"));
        // gama's first coordinator record has no end; the second ended 2024-03-31.
        Assert.Equal(new Figure(1, 0, 1000, 0, 1, 0), FigureOf(figures, "coordinator", "TS.D2"));
        Assert.Equal(new Figure(0, 6, 0, 1420, 0, 3), FigureOf(figures, Programme));

        var layer = await LayerAsync(client, "2100-01-01");
        Assert.Equal(new Dictionary<string, int?> { ["health_mediator"] = null }, CoverageOf(layer["alfa"]));
        Assert.Equal(CoordinatorMissing, GapMissing(layer["alfa"]));
        Assert.Empty(CoverageOf(layer["beta"]));
        Assert.Equal(BothMissing, GapMissing(layer["beta"]));
        Assert.Equal(new Dictionary<string, int?> { ["coordinator"] = 1 }, CoverageOf(layer["gama"]));
    }

    [Fact]
    public async Task A_record_without_a_start_covers_far_in_the_past()
    {
        using var client = fixture.Factory.CreateClient();
        var figures = await FiguresAsync(client, "1900-01-01");
        // Only beta's health mediator (no start) covers a settlement then.
        Assert.Equal(new Figure(2, 4, 120, 1300, 1, 2), FigureOf(figures, "health_mediator"));
        Assert.Equal(new Figure(0, 6, 0, 1420, 0, 3), FigureOf(figures, "coordinator"));

        var layer = await LayerAsync(client, "1900-01-01");
        Assert.Equal(new Dictionary<string, int?> { ["health_mediator"] = 1 }, CoverageOf(layer["beta"]));
        Assert.Equal(CoordinatorMissing, GapMissing(layer["beta"]));
        Assert.Empty(CoverageOf(layer["alfa"]));
        Assert.Equal(BothMissing, GapMissing(layer["alfa"]));
        Assert.Equal(300, layer["alfa"].GetProperty("gap_inhabitants").GetInt32());
        Assert.Equal(new Dictionary<string, int?> { ["coordinator"] = 1 }, CoverageOf(layer["delta"]));
    }
}
