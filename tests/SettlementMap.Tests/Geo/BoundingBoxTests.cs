using SettlementMap.Web.Geo;

namespace SettlementMap.Tests.Geo;

public sealed class BoundingBoxTests
{
    [Fact]
    public void Parses_four_invariant_numbers_with_spaces()
    {
        Assert.True(BoundingBox.TryParse("20.1, 44.5,21,45.25", out var box, out var error));
        Assert.Null(error);
        Assert.Equal(new BoundingBox(20.1, 44.5, 21, 45.25), box);
    }

    [Theory]
    [InlineData("20,44,21", "four")]
    [InlineData("20,44,21,45,3", "four")]
    [InlineData("20;44;21;45", "four")]
    [InlineData("20,44,21,NaN", "not a number")]
    [InlineData("20,44,21,Infinity", "not a number")]
    [InlineData("181,44,182,45", "longitudes")]
    [InlineData("20,91,21,92", "latitudes")]
    [InlineData("21,44,20,45", "minLon is greater")]
    [InlineData("20,45,21,44", "minLat is greater")]
    public void Rejects_what_is_not_a_lon_lat_box(string text, string reason)
    {
        Assert.False(BoundingBox.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simplification_tolerance_halves_with_each_zoom_level()
    {
        Assert.Equal(Simplification.ToleranceDegrees(10) / 2, Simplification.ToleranceDegrees(11), 12);
        Assert.InRange(Simplification.ToleranceDegrees(0), 0.70, 0.71); // half of 360°/256 px
    }
}
