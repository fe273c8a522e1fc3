using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.History;

namespace SettlementMap.Tests.History;

/// <summary>
/// A small history of its own, in a district and two municipalities that exist only in the test's database, dated
/// before any demo data (2001–2004), so the series of that area are known exactly:
/// <list type="bullet">
/// <item>2001-03-01: in ind-a, A1 (300 inhabitants, wells, sewer none, illegal electricity, not legalised, 50 % substandard)
/// and A2 (100, water network, sewer network, legal electricity, legalised, 10 %).</item>
/// <item>2002-01-01: a coordinator in ind-a from then on (coverage).</item>
/// <item>2002-06-01: in ind-b, B1 (50 inhabitants: fewer than the generalisation threshold of 100; no water, 30 %).</item>
/// <item>2003-05-01: A1 gets a water network.</item>
/// <item>2004-01-01: A2 is deleted.</item>
/// </list>
/// Every change is made in a transaction whose settlementmap.change_time is its date, as the editing API and the importer do.
/// </summary>
public static class IndicatorHistory
{
    public const string District = "RS.TEST.IND";
    public const string MunicipalityA = "ind-a";
    public const string MunicipalityB = "ind-b";

    /// <summary>The dates the tests ask for: the end of each year 2000–2004.</summary>
    public const string Dates = "2000-12-31,2001-12-31,2002-12-31,2003-12-31,2004-12-31";

    private static readonly ConcurrentDictionary<string, Lazy<Task>> Done = new(StringComparer.Ordinal);

    public static Task BuildAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return Done.GetOrAdd(app.ConnectionString, _ => new Lazy<Task>(() => BuildOnceAsync(app))).Value;
    }

    private static async Task BuildOnceAsync(AppFixture app)
    {
        await using var db = app.CreateContext();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO districts (code, name_latn, name_cyrl, name_en) VALUES ({District}, 'Probni okrug', 'Пробни округ', 'Test district');
            """);
        foreach (var (code, latin, cyrillic) in new[] { (MunicipalityA, "Indikatori A", "Индикатори А"), (MunicipalityB, "Indikatori B", "Индикатори Б") })
        {
            // The outline and seat of a real municipality: the series do not read them.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO municipalities (code, name_latn, name_cyrl, kind, district_id, seat, geom, boundary_approximate, source, search_key)
                SELECT {code}, {latin}, {cyrillic}, m.kind, (SELECT id FROM districts WHERE code = {District}), m.seat, m.geom, true, 'test', {code}
                FROM municipalities m WHERE m.code = 'nis'
                """);
        }
        var a = await db.Municipalities.SingleAsync(m => m.Code == MunicipalityA);
        var b = await db.Municipalities.SingleAsync(m => m.Code == MunicipalityB);

        var a1 = Settlement("IND-A1", a.Id, 300, WaterSupply.Wells, Sewerage.None, Electricity.Illegal, LegalStatus.NotLegalised, 50m);
        var a2 = Settlement("IND-A2", a.Id, 100, WaterSupply.Network, Sewerage.Network, Electricity.Legal, LegalStatus.Legalised, 10m);
        await AtAsync(db, new DateTimeOffset(2001, 3, 1, 10, 0, 0, TimeSpan.Zero), () => db.Settlements.AddRange(a1, a2));
        db.Coverage.Add(new CoverageRecord { MunicipalityId = a.Id, Kind = CoverageKind.Coordinator, Count = 1, ValidFrom = new DateOnly(2002, 1, 1), Source = "test" });
        await db.SaveChangesAsync();
        var b1 = Settlement("IND-B1", b.Id, 50, WaterSupply.None, Sewerage.None, Electricity.None, LegalStatus.NotLegalised, 30m);
        await AtAsync(db, new DateTimeOffset(2002, 6, 1, 10, 0, 0, TimeSpan.Zero), () => db.Settlements.Add(b1));
        await AtAsync(db, new DateTimeOffset(2003, 5, 1, 10, 0, 0, TimeSpan.Zero), () => a1.WaterSupply = WaterSupply.Network);
        await AtAsync(db, new DateTimeOffset(2004, 1, 1, 10, 0, 0, TimeSpan.Zero), () => db.Settlements.Remove(a2));
    }

    /// <summary>One change in its own transaction, dated <paramref name="at"/> in history.</summary>
    private static async Task AtAsync(SettlementMapDbContext db, DateTimeOffset at, Action change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await ChangeTime.SetAsync(db, at, default);
        change();
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private static Settlement Settlement(string code, int municipalityId, int inhabitants, WaterSupply water, Sewerage sewerage, Electricity electricity,
        LegalStatus legal, decimal substandard) => new()
        {
            Code = code,
            NameLatn = code,
            NameCyrl = code,
            MunicipalityId = municipalityId,
            Geom = Square(21.9 + (code.GetHashCode(StringComparison.Ordinal) & 0xff) / 10_000.0, 43.3),
            EstimatedInhabitants = inhabitants,
            WaterSupply = water,
            Sewerage = sewerage,
            Electricity = electricity,
            LegalStatus = legal,
            SubstandardSharePct = substandard,
            Source = "test",
        };

    private static MultiPolygon Square(double lon, double lat)
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var ring = factory.CreateLinearRing([new(lon, lat), new(lon + 0.001, lat), new(lon + 0.001, lat + 0.001), new(lon, lat + 0.001), new(lon, lat)]);
        return factory.CreateMultiPolygon([factory.CreatePolygon(ring)]);
    }
}
