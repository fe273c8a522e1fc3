using System.Text;

namespace SettlementMap.Tests.Tiles;

/// <summary>One feature of a Mapbox Vector Tile layer: its type (1 point, 2 line, 3 polygon), attributes and first vertex in tile units.</summary>
public sealed record MvtFeature(int Type, IReadOnlyDictionary<string, object> Attributes, (long X, long Y) First);

/// <summary>
/// A minimal reader of Mapbox Vector Tile 2.1 (protobuf) for the tests: layers' features with their
/// attributes (keys/values tables) and first vertex, enough to tell what a tile says about a settlement.
/// </summary>
public static class MvtReader
{
    public static IReadOnlyList<MvtFeature> Features(byte[] tile, string layerName = "settlements")
    {
        ArgumentNullException.ThrowIfNull(tile);
        var features = new List<MvtFeature>();
        foreach (var (field, layer) in Messages(tile))
        {
            if (field != 3)
            {
                continue;
            }
            string? name = null;
            var keys = new List<string>();
            var values = new List<object>();
            var raw = new List<byte[]>();
            foreach (var (f, body) in Messages(layer))
            {
                switch (f)
                {
                    case 1: name = Encoding.UTF8.GetString(body); break;
                    case 2: raw.Add(body); break;
                    case 3: keys.Add(Encoding.UTF8.GetString(body)); break;
                    case 4: values.Add(Value(body)); break;
                }
            }
            if (name != layerName)
            {
                continue;
            }
            foreach (var feature in raw)
            {
                var type = 0;
                var tags = new List<long>();
                var geometry = new List<long>();
                var position = 0;
                while (position < feature.Length)
                {
                    var key = Varint(feature, ref position);
                    var number = (int)(key >> 3);
                    if ((key & 7) == 0)
                    {
                        var v = Varint(feature, ref position);
                        if (number == 3) { type = (int)v; }
                        continue;
                    }
                    var length = (int)Varint(feature, ref position);
                    var end = position + length;
                    var list = number == 2 ? tags : number == 4 ? geometry : null;
                    while (position < end)
                    {
                        var v = Varint(feature, ref position);
                        list?.Add(v);
                    }
                }
                var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
                for (var i = 0; i + 1 < tags.Count; i += 2)
                {
                    attributes[keys[(int)tags[i]]] = values[(int)tags[i + 1]];
                }
                // The first command is a MoveTo of one vertex: zigzag-encoded x and y after it.
                var first = geometry.Count >= 3 ? (ZigZag(geometry[1]), ZigZag(geometry[2])) : (0L, 0L);
                features.Add(new MvtFeature(type, attributes, first));
            }
        }
        return features;
    }

    /// <summary>The settlement ids of a tile (the id is an attribute, see TileSql).</summary>
    public static IReadOnlyList<long> Ids(byte[] tile) => [.. Features(tile).Select(f => Convert.ToInt64(f.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture))];

    private static object Value(byte[] body)
    {
        var position = 0;
        var key = Varint(body, ref position);
        return (key >> 3, key & 7) switch
        {
            (1, 2) => Encoding.UTF8.GetString(body, position + LengthPrefix(body, position, out var length), length),
            (2, 5) => (double)BitConverter.ToSingle(body, position),
            (3, 1) => BitConverter.ToDouble(body, position),
            (4, 0) or (5, 0) => (double)Varint(body, ref position),
            (6, 0) => (double)ZigZag(Varint(body, ref position)),
            (7, 0) => Varint(body, ref position) != 0,
            _ => throw new InvalidDataException("Unknown MVT value."),
        };
    }

    private static int LengthPrefix(byte[] body, int position, out int length)
    {
        var start = position;
        length = (int)Varint(body, ref position);
        return position - start;
    }

    private static IEnumerable<(int Field, byte[] Body)> Messages(byte[] buffer)
    {
        var position = 0;
        while (position < buffer.Length)
        {
            var key = Varint(buffer, ref position);
            switch (key & 7)
            {
                case 0: Varint(buffer, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    var length = (int)Varint(buffer, ref position);
                    yield return ((int)(key >> 3), buffer[position..(position + length)]);
                    position += length;
                    break;
                default: throw new InvalidDataException("Unknown protobuf wire type.");
            }
        }
    }

    private static long Varint(byte[] buffer, ref int position)
    {
        long result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[position++];
            result |= (long)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
    }

    private static long ZigZag(long value) => (value >> 1) ^ -(value & 1);
}
