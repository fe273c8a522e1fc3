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
        var read = TryReadOutline(element, out geometry, out var message);
        error = read ? null : new RuleError(message!.StartsWith(TooManyVertices, StringComparison.Ordinal) ? SettlementRules.OutlineTooManyVertices : SettlementRules.OutlineInvalid, message);
        return read;
    }

    private static readonly string TooManyVertices = string.Create(CultureInfo.InvariantCulture, $"The outline has more than {MaxVertices} positions");

    private static bool TryReadOutline(JsonElement element, out MultiPolygon? geometry, out string? error)
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
            error = $"The geometry is not valid GeoJSON: {e.Message}";
            return false;
        }
        var validity = new IsValidOp(parsed).ValidationError;
        if (validity is not null)
        {
            var at = validity.Coordinate is { } c
                ? string.Create(CultureInfo.InvariantCulture, $" at or near ({c.X:0.######}, {c.Y:0.######})")
                : "";
            error = $"The outline is not a valid polygon: {validity.Message}{at}. Outlines must not cross themselves or overlap their own parts.";
            return false;
        }
        if (parsed.Area <= 0)
        {
            error = "The outline encloses no area.";
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

    private static bool TryCheckStructure(JsonElement element, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "geometry must be a GeoJSON object with type and coordinates.";
            return false;
        }
        foreach (var member in element.EnumerateObject())
        {
            if (member.Name == "crs")
            {
                error = "A crs member is not accepted: GeoJSON (RFC 7946) coordinates are always WGS 84 longitude, latitude.";
                return false;
            }
            if (member.Name is not ("type" or "coordinates" or "bbox"))
            {
                error = $"Unknown geometry member '{member.Name}'.";
                return false;
            }
        }
        if (!element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            error = "geometry.type is missing.";
            return false;
        }
        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            error = "geometry.coordinates is missing or not a list.";
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
                    error = "A MultiPolygon needs at least one polygon.";
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
                error = $"A settlement outline is a Polygon or MultiPolygon, not {type.GetString()}.";
                return false;
        }
    }

    private static bool TryCheckPolygon(JsonElement polygon, string path, ref int vertices, out string? error)
    {
        error = null;
        if (polygon.ValueKind != JsonValueKind.Array || polygon.GetArrayLength() == 0)
        {
            error = $"{path} must be a list of rings (the outer ring first).";
            return false;
        }
        var ringIndex = 0;
        foreach (var ring in polygon.EnumerateArray())
        {
            var ringPath = $"{path}[{ringIndex}]";
            if (ring.ValueKind != JsonValueKind.Array)
            {
                error = $"{ringPath} must be a list of positions.";
                return false;
            }
            if (ring.GetArrayLength() < 4)
            {
                error = $"{ringPath} has {ring.GetArrayLength()} positions; a ring needs at least 4 (three corners and the first again to close it).";
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
                error = TooManyVertices + ".";
                return false;
            }
            var first = ring[0];
            var last = ring[positionIndex - 1];
            if (first[0].GetDouble() != last[0].GetDouble() || first[1].GetDouble() != last[1].GetDouble())
            {
                error = $"{ringPath} is not closed: its last position must repeat the first.";
                return false;
            }
            ringIndex++;
        }
        return true;
    }

    private static bool TryCheckPosition(JsonElement position, string path, out string? error)
    {
        error = null;
        if (position.ValueKind != JsonValueKind.Array || position.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number))
        {
            error = $"{path} must be a position [longitude, latitude] of two numbers.";
            return false;
        }
        var length = position.GetArrayLength();
        if (length > 2)
        {
            error = $"{path} has {length} numbers: 3D coordinates (elevation) are not accepted; give [longitude, latitude].";
            return false;
        }
        if (length < 2)
        {
            error = $"{path} must be a position [longitude, latitude] of two numbers.";
            return false;
        }
        var lon = position[0].GetDouble();
        var lat = position[1].GetDouble();
        if (!double.IsFinite(lon) || lon is < -180 or > 180 || !double.IsFinite(lat) || lat is < -90 or > 90)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{path} ({lon}, {lat}) is out of range: longitude −180…180, latitude −90…90 (RFC 7946 order is longitude first).");
            return false;
        }
        return true;
    }
}
