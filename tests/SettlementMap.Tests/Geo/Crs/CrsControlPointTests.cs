using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Geo.Crs;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Geo.Crs;

/// <summary>CrsRegistry against PostGIS ST_Transform, computed live on the test database.</summary>
public sealed class CrsControlPointTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    private const double ProjectedTolerance = 0.01; // metres
    private const double GeographicTolerance = 1e-7; // degrees

    public static TheoryData<string> CrsUris => ControlPoints.CrsUris;

    [Theory]
    [MemberData(nameof(CrsUris))]
    public async Task Six_Serbian_towns_agree_with_PostGIS_ST_Transform_within_a_centimetre(string uri)
    {
        var crs = ControlPoints.Crs(uri);
        var postgis = await ControlPoints.PostgisTransformAsync(app.ConnectionString, ControlPoints.Srid(crs));
        var tolerance = crs.Epsg is null or 4326 ? GeographicTolerance : ProjectedTolerance;

        var worst = 0.0;
        for (var i = 0; i < ControlPoints.Towns.Count; i++)
        {
            var (name, lon, lat) = ControlPoints.Towns[i];
            var (first, second) = CrsRegistry.FromCrs84(lon, lat, crs);
            // PostGIS gives easting/longitude as x whatever the CRS's axis order; ours follows the CRS.
            var (x, y) = crs.FirstAxisIsNorthing ? (second, first) : (first, second);
            var difference = Math.Max(Math.Abs(x - postgis[i].X), Math.Abs(y - postgis[i].Y));
            output.WriteLine($"{crs.Uri} {name}: ours ({first:F4}, {second:F4}), ST_Transform x={postgis[i].X:F4} y={postgis[i].Y:F4}, difference {difference:E2}");
            Assert.True(difference <= tolerance, $"{name} in {crs.Name} is {difference} off ST_Transform");
            worst = Math.Max(worst, difference);
        }
        output.WriteLine($"{crs.Uri}: maximum difference {worst:E3} {(tolerance == ProjectedTolerance ? "m" : "°")}");
    }

    [Theory]
    [MemberData(nameof(CrsUris))]
    public async Task PostGIS_coordinates_convert_back_to_the_towns_within_a_centimetre(string uri)
    {
        var crs = ControlPoints.Crs(uri);
        var postgis = await ControlPoints.PostgisTransformAsync(app.ConnectionString, ControlPoints.Srid(crs));

        var worst = 0.0;
        for (var i = 0; i < ControlPoints.Towns.Count; i++)
        {
            var (name, lon, lat) = ControlPoints.Towns[i];
            var (first, second) = crs.FirstAxisIsNorthing ? (postgis[i].Y, postgis[i].X) : (postgis[i].X, postgis[i].Y);
            var back = CrsRegistry.ToCrs84(first, second, crs);
            var metres = ControlPoints.GroundMetres(lon, lat, back.Lon, back.Lat);
            Assert.True(metres < 0.01, $"{name} from {crs.Name} comes back {metres} m away");
            worst = Math.Max(worst, metres);
        }
        output.WriteLine($"{crs.Uri}: ToCrs84 of ST_Transform's coordinates, maximum {worst:E3} m from the towns");
    }

    [Fact]
    public void Belgrade_in_UTM_zone_34N_is_the_value_PostGIS_gives()
    {
        var crs = Parse("EPSG:32634");
        var (easting, northing) = CrsRegistry.FromCrs84(20.4573, 44.8176, crs);
        Assert.Equal(457091.442, easting, 0.001);
        Assert.Equal(4962831.634, northing, 0.001);
    }

    [Fact]
    public void Web_Mercator_is_spherical_not_the_ellipsoidal_Mercator_that_is_30_km_off()
    {
        var crs = Parse("EPSG:3857");
        var (easting, northing) = CrsRegistry.FromCrs84(20.4573, 44.8176, crs);
        Assert.Equal(2277296.219, easting, 0.001);
        Assert.Equal(5592851.901, northing, 0.001);
        // Mercator_1SP on the WGS 84 ellipsoid (the spatial_ref_sys WKT read by ProjNet) gives 5562722.924.
        Assert.True(Math.Abs(northing - 5562722.924) > 30_000);
    }

    [Fact]
    public async Task Balkans_zone_7_gives_northing_first_where_PostGIS_gives_it_as_y()
    {
        var crs = Parse("EPSG:3909");
        Assert.True(crs.FirstAxisIsNorthing);
        var (first, second) = CrsRegistry.FromCrs84(20.4573, 44.8176, crs);
        var postgis = await Sql.ScalarAsync<string>(app.ConnectionString,
            "SELECT ST_AsText(ST_Transform(ST_SetSRID(ST_MakePoint(20.4573, 44.8176), 4326), 3909), 4)");

        Assert.Equal("POINT(7457510.2584 4963813.5106)", postgis);
        Assert.Equal(4963813.5106, first, ProjectedTolerance);
        Assert.Equal(7457510.2584, second, ProjectedTolerance);
    }

    [Fact]
    public void Epsg_4326_is_latitude_first_and_CRS84_longitude_first()
    {
        Assert.Equal((44.8176, 20.4573), CrsRegistry.FromCrs84(20.4573, 44.8176, Parse("EPSG:4326")));
        Assert.Equal((20.4573, 44.8176), CrsRegistry.FromCrs84(20.4573, 44.8176, CrsRegistry.Crs84));
        Assert.Equal((20.4573, 44.8176), CrsRegistry.ToCrs84(44.8176, 20.4573, Parse("EPSG:4326")));
    }

    private static SupportedCrs Parse(string text)
    {
        Assert.True(CrsRegistry.TryParse(text, out var crs));
        return crs;
    }
}
