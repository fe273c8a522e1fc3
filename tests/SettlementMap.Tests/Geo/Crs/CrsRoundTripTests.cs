using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Geo.Crs;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Geo.Crs;

/// <summary>CRS84 → CRS → CRS84, on the control points and on a real municipality with a hole punched in it.</summary>
public sealed class CrsRoundTripTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    // Apatin (demo data): two polygons, 2° west of the zone's central meridian; a 0.01° disc cut
    // out around a point inside the larger one makes a hole.
    private const string WithHole =
        "ST_Multi(ST_CollectionExtract(ST_Difference(geom, ST_Buffer(ST_PointOnSurface(geom), 0.01)), 3))";

    public static TheoryData<string> CrsUris => ControlPoints.CrsUris;

    [Theory]
    [MemberData(nameof(CrsUris))]
    public void Control_points_come_back_within_a_centimetre(string uri)
    {
        var crs = ControlPoints.Crs(uri);
        var worst = 0.0;
        foreach (var (name, lon, lat) in ControlPoints.Towns)
        {
            var (first, second) = CrsRegistry.FromCrs84(lon, lat, crs);
            var back = CrsRegistry.ToCrs84(first, second, crs);
            var metres = ControlPoints.GroundMetres(lon, lat, back.Lon, back.Lat);
            Assert.True(metres < 0.01, $"{name} through {crs.Name} comes back {metres} m away");
            worst = Math.Max(worst, metres);
        }
        output.WriteLine($"{crs.Uri}: point round trip, maximum {worst:E3} m");
    }

    [Theory]
    [MemberData(nameof(CrsUris))]
    public async Task A_multipolygon_with_a_hole_keeps_its_shape_type_and_srid_and_comes_back_within_a_centimetre(string uri)
    {
        var crs = ControlPoints.Crs(uri);
        var input = await MunicipalityWithHoleAsync();
        var untouched = input.Copy();

        var projected = CrsRegistry.FromCrs84(input, crs);
        var back = CrsRegistry.ToCrs84(projected, crs);

        Assert.True(untouched.EqualsExact(input), "the input is not mutated");
        Assert.Equal(4326, input.SRID);
        Assert.NotSame(input, projected);
        foreach (var (geometry, srid) in new[] { (projected, ControlPoints.Srid(crs)), (back, 4326) })
        {
            var multi = Assert.IsType<MultiPolygon>(geometry);
            Assert.Equal(srid, multi.SRID);
            Assert.Equal(srid, multi.GetGeometryN(0).SRID);
            Assert.Equal(input.NumGeometries, multi.NumGeometries);
            for (var i = 0; i < input.NumGeometries; i++)
            {
                Assert.Equal(((Polygon)input.GetGeometryN(i)).NumInteriorRings, ((Polygon)multi.GetGeometryN(i)).NumInteriorRings);
            }
            Assert.Equal(input.NumPoints, multi.NumPoints);
            Assert.True(multi.IsValid);
        }

        var worst = input.Coordinates.Zip(back.Coordinates, (a, b) => ControlPoints.GroundMetres(a.X, a.Y, b.X, b.Y)).Max();
        output.WriteLine($"{crs.Uri}: {input.NumPoints} vertices, round trip maximum {worst:E3} m");
        Assert.True(worst < 0.01, $"a vertex through {crs.Name} comes back {worst} m away");
    }

    [Theory]
    [MemberData(nameof(CrsUris))]
    public async Task The_multipolygon_matches_PostGIS_ST_Transform_vertex_by_vertex(string uri)
    {
        var crs = ControlPoints.Crs(uri);
        var srid = ControlPoints.Srid(crs);
        var input = await MunicipalityWithHoleAsync();
        var postgis = new WKTReader().Read(await Sql.ScalarAsync<string>(app.ConnectionString,
            $"SELECT ST_AsText(ST_Transform({WithHole}, {srid})) FROM municipalities WHERE code = 'apatin'"));

        var ours = CrsRegistry.FromCrs84(input, crs).Coordinates;
        Assert.Equal(postgis.NumPoints, ours.Length);
        var worst = ours.Zip(postgis.Coordinates, (a, p) => crs.FirstAxisIsNorthing
                ? Math.Max(Math.Abs(a.Y - p.X), Math.Abs(a.X - p.Y))
                : Math.Max(Math.Abs(a.X - p.X), Math.Abs(a.Y - p.Y)))
            .Max();
        output.WriteLine($"{crs.Uri}: multipolygon vertices, maximum difference from ST_Transform {worst:E3}");
        Assert.True(worst <= (crs.Epsg is null or 4326 ? 1e-7 : 0.01), $"{crs.Name}: {worst} off ST_Transform");
    }

    [Fact]
    public void Points_lines_and_polygons_keep_their_type_and_are_new_objects()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        Coordinate[] ring = [new(20.40, 44.78), new(20.50, 44.78), new(20.50, 44.85), new(20.40, 44.85), new(20.40, 44.78)];
        Coordinate[] hole = [new(20.44, 44.80), new(20.44, 44.82), new(20.46, 44.82), new(20.46, 44.80), new(20.44, 44.80)];
        Geometry[] inputs =
        [
            factory.CreatePoint(new Coordinate(20.4573, 44.8176)),
            factory.CreateLineString([new(19.83694, 45.25167), new(20.4573, 44.8176), new(21.90333, 43.32472)]),
            factory.CreatePolygon(factory.CreateLinearRing(ring), [factory.CreateLinearRing(hole)]),
        ];

        foreach (var crs in CrsRegistry.All)
        {
            foreach (var input in inputs)
            {
                var before = input.Copy();
                var converted = CrsRegistry.FromCrs84(input, crs);
                var back = CrsRegistry.ToCrs84(converted, crs);

                Assert.Equal(input.GetType(), converted.GetType());
                Assert.Equal(input.GetType(), back.GetType());
                Assert.Equal(ControlPoints.Srid(crs), converted.SRID);
                Assert.Equal(4326, back.SRID);
                Assert.NotSame(input, converted);
                Assert.NotSame(converted, back);
                Assert.True(before.EqualsExact(input), "the input is not mutated");
                if (crs.Epsg is not (null or 4326))
                {
                    Assert.True(converted.Coordinate.X > 1000, $"{crs.Name} gives metres");
                }
            }
        }
    }

    private async Task<MultiPolygon> MunicipalityWithHoleAsync()
    {
        var wkt = await Sql.ScalarAsync<string>(app.ConnectionString, $"SELECT ST_AsText({WithHole}) FROM municipalities WHERE code = 'apatin'");
        var geometry = new WKTReader(new NetTopologySuite.NtsGeometryServices(new PrecisionModel(), 4326)).Read(wkt);
        var multi = Assert.IsType<MultiPolygon>(geometry);
        Assert.Equal(4326, multi.SRID);
        Assert.True(multi.NumGeometries > 1, "more than one polygon");
        Assert.Contains(multi.Geometries, g => ((Polygon)g).NumInteriorRings > 0);
        return multi;
    }
}
