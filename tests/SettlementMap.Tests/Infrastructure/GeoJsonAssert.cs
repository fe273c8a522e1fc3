using System.Text.Json;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>RFC 7946 checks on a parsed FeatureCollection.</summary>
public static class GeoJsonAssert
{
    public static IReadOnlyList<JsonElement> FeatureCollection(JsonElement root)
    {
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        Assert.False(root.TryGetProperty("crs", out _), "RFC 7946 has no crs member");
        var features = root.GetProperty("features").EnumerateArray().ToList();
        foreach (var feature in features)
        {
            Assert.Equal("Feature", feature.GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Number, feature.GetProperty("id").ValueKind);
            var geometry = feature.GetProperty("geometry");
            Assert.Equal("MultiPolygon", geometry.GetProperty("type").GetString());
            foreach (var polygon in geometry.GetProperty("coordinates").EnumerateArray())
            {
                var rings = polygon.EnumerateArray().ToList();
                for (var r = 0; r < rings.Count; r++)
                {
                    var ring = rings[r].EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble(), Dimensions: p.GetArrayLength())).ToList();
                    Assert.True(ring.Count >= 4, "a linear ring has at least four positions");
                    Assert.Equal(ring[0], ring[^1]);
                    Assert.All(ring, p => Assert.Equal(2, p.Dimensions));
                    Assert.All(ring, p => Assert.True(p.Lon is > 18 and < 23.1 && p.Lat is > 42 and < 46.3, $"({p.Lon}, {p.Lat}) is lon/lat in Serbia"));
                    // Right-hand rule: exterior rings counter-clockwise (positive area), holes clockwise.
                    var signedArea = ring.Zip(ring.Skip(1), (a, b) => a.Lon * b.Lat - b.Lon * a.Lat).Sum();
                    Assert.True(r == 0 ? signedArea > 0 : signedArea < 0, $"ring {r} of feature {feature.GetProperty("id")} has the wrong winding");
                }
            }
        }
        return features;
    }
}
