using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Tests.Geo.Crs;

public sealed class CrsParsingTests
{
    [Theory]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", null)]
    [InlineData("https://www.opengis.net/def/crs/OGC/1.3/CRS84", null)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326", 4326)]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/4326", 4326)]
    [InlineData("EPSG:4326", 4326)]
    [InlineData("4326", 4326)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3857", 3857)]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/3857", 3857)]
    [InlineData("EPSG:3857", 3857)]
    [InlineData("3857", 3857)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/32634", 32634)]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/32634", 32634)]
    [InlineData("EPSG:32634", 32634)]
    [InlineData("32634", 32634)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3909", 3909)]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/3909", 3909)]
    [InlineData("EPSG:3909", 3909)]
    [InlineData("3909", 3909)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/8682", 8682)]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/8682", 8682)]
    [InlineData("EPSG:8682", 8682)]
    [InlineData("8682", 8682)]
    [InlineData("epsg:3857", 3857)]
    [InlineData(" EPSG:3857 ", 3857)]
    public void Accepts_the_uri_the_https_uri_the_epsg_code_and_the_bare_number(string text, int? epsg)
    {
        Assert.True(CrsRegistry.TryParse(text, out var crs));
        Assert.NotNull(crs);
        Assert.Equal(epsg, crs.Epsg);
        Assert.Same(CrsRegistry.All.Single(c => c.Epsg == epsg), crs);
    }

    [Theory]
    [InlineData("EPSG:9999")]
    [InlineData("9999")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/9999")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/abc")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/")]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS83")]
    [InlineData("EPSG:")]
    [InlineData("EPSG:3857x")]
    [InlineData("-3857")]
    [InlineData("urn:ogc:def:crs:EPSG::3857")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Rejects_what_is_not_a_crs_we_serve(string? text)
    {
        Assert.False(CrsRegistry.TryParse(text, out var crs));
        Assert.Null(crs);
    }

    [Fact]
    public void Serves_six_crs_in_order_with_CRS84_first()
    {
        Assert.Equal(
            [
                "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                "http://www.opengis.net/def/crs/EPSG/0/4326",
                "http://www.opengis.net/def/crs/EPSG/0/3857",
                "http://www.opengis.net/def/crs/EPSG/0/32634",
                "http://www.opengis.net/def/crs/EPSG/0/3909",
                "http://www.opengis.net/def/crs/EPSG/0/8682",
            ],
            CrsRegistry.All.Select(c => c.Uri));
        Assert.Same(CrsRegistry.Crs84, CrsRegistry.All[0]);
        Assert.Equal(CrsRegistry.Crs84Uri, CrsRegistry.Crs84.Uri);
        Assert.Null(CrsRegistry.Crs84.Epsg);
        Assert.All(CrsRegistry.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Name)));
    }

    [Fact]
    public void Only_EPSG_4326_and_EPSG_3909_put_the_northing_first()
    {
        Assert.False(CrsRegistry.Crs84.FirstAxisIsNorthing);
        Assert.Equal([4326, 3909], CrsRegistry.All.Where(c => c.FirstAxisIsNorthing).Select(c => c.Epsg!.Value));
    }

    [Fact]
    public void A_crs_we_do_not_serve_is_refused_by_the_conversions()
    {
        var stranger = new SupportedCrs("http://www.opengis.net/def/crs/EPSG/0/2154", 2154, "RGF93 / Lambert-93", false);
        Assert.Throws<ArgumentException>(() => CrsRegistry.FromCrs84(20, 44, stranger));
        Assert.Throws<ArgumentException>(() => CrsRegistry.ToCrs84(700000, 6600000, stranger));
    }
}
