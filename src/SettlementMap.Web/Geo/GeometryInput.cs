using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Geo;

/// <summary>
/// Reads a settlement outline from GeoJSON (RFC 7946): a Polygon or MultiPolygon of lon/lat
/// pairs. The JSON structure is checked first so each mistake gets its own plain message, then
/// GeoJSON4STJ builds the geometry, NTS checks validity, and shells are made counter-clockwise.
/// </summary>
public static class GeometryInput
{
    public const int MaxVertices = 20_000;
    private static readonly GeometryFactory Factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    /// <summary>Reads an outline; a refusal carries the rule it breaks (<see cref="SettlementRules"/>'s outline keys).</summary>
    public static bool TryRead(JsonElement element, out MultiPolygon? geometry, out RuleError? error)
    {
        geometry = null;
        if (!TryCheckStructure(element, out error))
        {
            return false;
        }
        Geometry parsed;
        try
        {
            parsed = element.Deserialize<Geometry>(GeoJson.ApiOptions)!;
        }
        catch (JsonException e)
        {
            error = Refusals.GeometryStructure($"The geometry is not valid GeoJSON: {e.Message}");
            return false;
        }
        var validity = new IsValidOp(parsed).ValidationError;
        if (validity is not null)
        {
            error = Refusals.SelfIntersecting(validity.Message, validity.Coordinate?.X, validity.Coordinate?.Y);
            return false;
        }
        if (parsed.Area <= 0)
        {
            error = Refusals.NoArea();
            return false;
        }
        geometry = Normalise(parsed);
        return true;
    }

    /// <summary>Shells counter-clockwise and holes clockwise (RFC 7946), always a MultiPolygon in SRID 4326.</summary>
    public static MultiPolygon Normalise(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var polygons = new List<Polygon>();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(i);
            var shell = Oriented(polygon.Shell, counterClockwise: true);
            var holes = polygon.Holes.Select(h => Oriented(h, counterClockwise: false)).ToArray();
            polygons.Add(Factory.CreatePolygon(shell, holes));
        }
        return Factory.CreateMultiPolygon([.. polygons]);
    }

    private static LinearRing Oriented(LinearRing ring, bool counterClockwise)
    {
        var isCcw = Orientation.IsCCW(ring.CoordinateSequence);
        return Factory.CreateLinearRing(isCcw == counterClockwise ? ring.Coordinates : [.. ring.Coordinates.Reverse()]);
    }

    private static bool TryCheckStructure(JsonElement element, out RuleError? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = Refusals.GeometryStructure("geometry must be a GeoJSON object with type and coordinates.");
            return false;
        }
        foreach (var member in element.EnumerateObject())
        {
            if (member.Name == "crs")
            {
                error = Refusals.CrsNotAccepted();
                return false;
            }
            if (member.Name is not ("type" or "coordinates" or "bbox"))
            {
                error = Refusals.GeometryStructure($"Unknown geometry member '{member.Name}'.", member.Name);
                return false;
            }
        }
        if (!element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            error = Refusals.GeometryStructure("geometry.type is missing.", "type");
            return false;
        }
        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            error = Refusals.GeometryStructure("geometry.coordinates is missing or not a list.", "coordinates");
            return false;
        }
        var vertices = 0;
        switch (type.GetString())
        {
            case "Polygon":
                return TryCheckPolygon(coordinates, "coordinates", ref vertices, out error);
            case "MultiPolygon":
                if (coordinates.GetArrayLength() == 0)
                {
                    error = Refusals.GeometryStructure("A MultiPolygon needs at least one polygon.", "coordinates");
                    return false;
                }
                var index = 0;
                foreach (var polygon in coordinates.EnumerateArray())
                {
                    if (!TryCheckPolygon(polygon, $"coordinates[{index}]", ref vertices, out error))
                    {
                        return false;
                    }
                    index++;
                }
                return true;
            default:
                error = Refusals.NotPolygon(type.GetString());
                return false;
        }
    }

    private static bool TryCheckPolygon(JsonElement polygon, string path, ref int vertices, out RuleError? error)
    {
        error = null;
        if (polygon.ValueKind != JsonValueKind.Array || polygon.GetArrayLength() == 0)
        {
            error = Refusals.GeometryStructure($"{path} must be a list of rings (the outer ring first).", path);
            return false;
        }
        var ringIndex = 0;
        foreach (var ring in polygon.EnumerateArray())
        {
            var ringPath = $"{path}[{ringIndex}]";
            if (ring.ValueKind != JsonValueKind.Array)
            {
                error = Refusals.GeometryStructure($"{ringPath} must be a list of positions.", ringPath);
                return false;
            }
            if (ring.GetArrayLength() < 4)
            {
                error = Refusals.RingTooShort(ringPath, ring.GetArrayLength());
                return false;
            }
            var positionIndex = 0;
            foreach (var position in ring.EnumerateArray())
            {
                if (!TryCheckPosition(position, $"{ringPath}[{positionIndex}]", out error))
                {
                    return false;
                }
                positionIndex++;
            }
            vertices += positionIndex;
            if (vertices > MaxVertices)
            {
                error = Refusals.TooManyVertices(MaxVertices);
                return false;
            }
            var first = ring[0];
            var last = ring[positionIndex - 1];
            if (first[0].GetDouble() != last[0].GetDouble() || first[1].GetDouble() != last[1].GetDouble())
            {
                error = Refusals.RingNotClosed(ringPath);
                return false;
            }
            ringIndex++;
        }
        return true;
    }

    private static bool TryCheckPosition(JsonElement position, string path, out RuleError? error)
    {
        error = null;
        if (position.ValueKind != JsonValueKind.Array || position.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number))
        {
            error = Refusals.GeometryStructure($"{path} must be a position [longitude, latitude] of two numbers.", path);
            return false;
        }
        var length = position.GetArrayLength();
        if (length > 2)
        {
            error = Refusals.Position3D(path, length);
            return false;
        }
        if (length < 2)
        {
            error = Refusals.GeometryStructure($"{path} must be a position [longitude, latitude] of two numbers.", path);
            return false;
        }
        var lon = position[0].GetDouble();
        var lat = position[1].GetDouble();
        if (!double.IsFinite(lon) || lon is < -180 or > 180 || !double.IsFinite(lat) || lat is < -90 or > 90)
        {
            error = Refusals.PositionOutOfRange(path, lon, lat);
            return false;
        }
        return true;
    }
}
