using System.Text.Json;
using NetTopologySuite.Algorithm;
using SettlementMap.Web.Geo;

namespace SettlementMap.Tests.Geo;

/// <summary>Outlines read from GeoJSON: every kind of mistake has its own message; winding is normalised.</summary>
public sealed class GeometryInputTests
{
    private const string Square = "[[20.0,44.0],[20.001,44.0],[20.001,44.001],[20.0,44.001],[20.0,44.0]]";
    private const string SquareClockwise = "[[20.0,44.0],[20.0,44.001],[20.001,44.001],[20.001,44.0],[20.0,44.0]]";
    private const string HoleCounterClockwise = "[[20.0004,44.0004],[20.0006,44.0004],[20.0006,44.0006],[20.0004,44.0006],[20.0004,44.0004]]";

    private static (bool Ok, string? Error, NetTopologySuite.Geometries.MultiPolygon? Geometry) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var ok = GeometryInput.TryRead(document.RootElement, out var geometry, out var error);
        return (ok, error?.Message, geometry);
    }

    [Fact]
    public void A_clockwise_polygon_with_a_counter_clockwise_hole_is_stored_the_RFC_7946_way_round()
    {
        var (ok, error, geometry) = Read($$"""{"type":"Polygon","coordinates":[{{SquareClockwise}},{{HoleCounterClockwise}}]}""");
        Assert.True(ok, error);
        var polygon = (NetTopologySuite.Geometries.Polygon)geometry!.GetGeometryN(0);
        Assert.Equal(4326, geometry.SRID);
        Assert.True(Orientation.IsCCW(polygon.Shell.CoordinateSequence));
        Assert.False(Orientation.IsCCW(polygon.Holes[0].CoordinateSequence));
        Assert.Equal("MultiPolygon", geometry.GeometryType);
    }

    [Theory]
    [InlineData("""{"type":"Polygon","coordinates":[[[20.0,44.0],[20.001,44.001],[20.001,44.0],[20.0,44.001],[20.0,44.0]]]}""", "not a valid polygon")]
    [InlineData("""{"type":"Polygon","coordinates":[[[20.0,44.0],[20.001,44.0],[20.0,44.0]]]}""", "at least 4")]
    [InlineData("""{"type":"Polygon","coordinates":[[[20.0,44.0],[20.001,44.0],[20.001,44.001],[20.0,44.001]]]}""", "not closed")]
    [InlineData("""{"type":"Polygon","coordinates":[[[200.0,44.0],[20.001,44.0],[20.001,44.001],[200.0,44.0]]]}""", "out of range")]
    [InlineData("""{"type":"Polygon","coordinates":[[[20.0,44.0,120],[20.001,44.0,120],[20.001,44.001,120],[20.0,44.0,120]]]}""", "3D")]
    [InlineData($$$"""{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[{{{Square}}}]}""", "crs")]
    [InlineData("""{"type":"Point","coordinates":[20.0,44.0]}""", "Polygon or MultiPolygon")]
    [InlineData("""{"type":"Polygon","coordinates":[[["20","44"],[20.001,44.0],[20.001,44.001],[20.0,44.0]]]}""", "two numbers")]
    [InlineData("""{"type":"MultiPolygon","coordinates":[]}""", "at least one polygon")]
    [InlineData("""{"type":"Polygon"}""", "coordinates")]
    [InlineData("""[1,2]""", "GeoJSON object")]
    public void A_bad_outline_is_refused_with_a_message_that_names_the_mistake(string json, string expected)
    {
        var (ok, error, geometry) = Read(json);
        Assert.False(ok);
        Assert.Null(geometry);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
