using Microsoft.EntityFrameworkCore;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Data;

/// <summary>EF Core + NetTopologySuite against PostGIS: round trip, and LINQ spatial predicates with their SQL.</summary>
public sealed class SpatialQueryTests(EmptyDatabaseFixture database) : IClassFixture<EmptyDatabaseFixture>
{
    private static readonly GeometryFactory Wgs84 = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    // Two squares of about 100 m in Niš, 1 km apart (west–east), and one 50 km away.
    private static MultiPolygon Square(double lon, double lat, double size = 0.0012) => Wgs84.CreateMultiPolygon(
    [
        Wgs84.CreatePolygon([new(lon, lat), new(lon + size, lat), new(lon + size, lat + size), new(lon, lat + size), new(lon, lat)]),
    ]);

    [Fact]
    public async Task A_MultiPolygon_round_trips_and_LINQ_Intersects_and_distance_in_metres_translate_to_PostGIS()
    {
        await using (var db = database.CreateContext())
        {
            var district = new District { Code = "T.1", NameLatn = "Test", NameCyrl = "Тест", NameEn = "Test" };
            var municipality = new Municipality
            {
                Code = "test", NameLatn = "Test", NameCyrl = "Тест", District = district, Source = "test",
                Seat = Wgs84.CreatePoint(new Coordinate(21.9, 43.3)), Geom = Square(21.5, 43.0, 1.0),
            };
            db.Settlements.AddRange(
                NewSettlement("near-a", municipality, Square(21.900, 43.320)),
                NewSettlement("near-b", municipality, Square(21.9135, 43.320)),
                NewSettlement("far", municipality, Square(22.300, 43.000)));
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var stored = await read.Settlements.AsNoTracking().SingleAsync(s => s.Code == "near-a");
        Assert.Equal(4326, stored.Geom.SRID);
        Assert.True(stored.Geom.EqualsExact(Square(21.900, 43.320), 1e-12));
        Assert.InRange(stored.AreaM2, 12_000, 14_000); // ≈ 96 m × 133 m, computed by PostGIS on the spheroid

        var window = Wgs84.CreatePolygon([new(21.899, 43.319), new(21.902, 43.319), new(21.902, 43.322), new(21.899, 43.322), new(21.899, 43.319)]);
        var intersecting = read.Settlements.Where(s => s.Geom.Intersects(window)).Select(s => s.Code);
        Assert.Contains("ST_Intersects(s.geom, @window)", intersecting.ToQueryString(), StringComparison.Ordinal);
        Assert.Equal(["near-a"], await intersecting.ToListAsync());

        var origin = stored.Geom.Centroid;
        var withinTwoKm = read.Settlements
            .Where(s => s.Code != "near-a" && EF.Functions.IsWithinDistance(s.Geom, origin, 2000, true))
            .Select(s => s.Code);
        Assert.Contains("ST_DWithin(s.geom, @origin, 2000.0, TRUE)", withinTwoKm.ToQueryString(), StringComparison.Ordinal);
        Assert.Equal(["near-b"], await withinTwoKm.ToListAsync());

        var withinHalfKm = read.Settlements.Where(s => s.Code != "near-a" && EF.Functions.IsWithinDistance(s.Geom, origin, 500, true));
        Assert.Empty(await withinHalfKm.ToListAsync());
    }

    private static Settlement NewSettlement(string code, Municipality municipality, MultiPolygon geom) => new()
    {
        Code = code, NameLatn = code, NameCyrl = code, Municipality = municipality, Geom = geom, Source = "test",
    };
}
