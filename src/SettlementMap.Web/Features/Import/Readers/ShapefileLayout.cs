using System.Buffers.Binary;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Walks a shapefile's .shp records and its .dbf header before NetTopologySuite.IO.Esri reads
/// them, checking every count and length they declare against the bytes that are there. The
/// library sizes its arrays from those declarations (a 1 KB .shp declaring 100,000,000 points
/// made it allocate gigabytes); we keep the library, a maintained reader of every shape type,
/// and refuse lying files before it sees them.
/// </summary>
internal static class ShapefileLayout
{
    private const int HeaderBytes = 100;

    /// <summary>
    /// The .shp: file code, declared length (not beyond the real one), shape type, then per
    /// record its content length (within the file and MaxRecordBytes), its shape type (null or
    /// the file's) and its part and point counts (within its content).
    /// </summary>
    public static async Task CheckShpAsync(string shpPath, string layer, ImportLimits limits, CancellationToken cancellationToken)
    {
        await using var shp = new FileStream(shpPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var actual = shp.Length;
        var header = new byte[HeaderBytes];
        if (await shp.ReadAtLeastAsync(header, HeaderBytes, throwOnEndOfStream: false, cancellationToken) < HeaderBytes
            || BinaryPrimitives.ReadInt32BigEndian(header) != 9994)
        {
            throw Damaged(layer, "its .shp file has no valid header");
        }

        var declared = 2L * BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(24));
        if (declared < HeaderBytes || declared > actual)
        {
            throw Damaged(layer, $"its .shp file declares {ImportLimits.Count(declared)} bytes but has {ImportLimits.Count(actual)} (cut off?)");
        }

        var fileType = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(32));
        if (!IsShapeType(fileType))
        {
            throw Damaged(layer, $"its .shp file declares the unknown shape type {fileType}");
        }

        var record = new byte[8 + 44];
        long offset = HeaderBytes, number = 0;
        while (offset + 8 <= declared)
        {
            if (++number % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            shp.Position = offset;
            var read = await shp.ReadAtLeastAsync(record, record.Length, throwOnEndOfStream: false, cancellationToken);
            var content = 2L * BinaryPrimitives.ReadInt32BigEndian(record.AsSpan(4));
            var remaining = declared - offset - 8;
            if (content < 4 || content > remaining)
            {
                throw Damaged(layer, $"record {ImportLimits.Count(number)} of its .shp declares {ImportLimits.Count(content)} bytes where {ImportLimits.Count(remaining)} remain");
            }

            if (content > limits.MaxRecordBytes)
            {
                throw ImportLimits.Exceeded("record size", $"Shape {ImportLimits.Count(number)} of the shapefile {layer}.shp takes {ImportLimits.Size(content)}, more than the {ImportLimits.Size(limits.MaxRecordBytes)} one feature may take. Simplify that geometry or split it.");
            }

            CheckRecord(record.AsSpan(8, (int)Math.Min(read - 8, content)), content, fileType, number, layer);
            offset += 8 + content;
        }
    }

    /// <summary>Whether a record's counts fit its content (only the first 44 bytes are at hand: type, box, counts).</summary>
    private static void CheckRecord(ReadOnlySpan<byte> start, long content, int fileType, long number, string layer)
    {
        var type = BinaryPrimitives.ReadInt32LittleEndian(start);
        if (type == 0)
        {
            return; // a null shape: a feature without geometry
        }

        if (type != fileType)
        {
            throw Damaged(layer, $"record {ImportLimits.Count(number)} of its .shp has shape type {type} in a file of type {fileType}");
        }

        long needed;
        switch (type)
        {
            case 1 or 11 or 21: // point, PointZ, PointM: x, y (then z, m)
                needed = 4 + 16;
                break;
            case 8 or 18 or 28: // multipoint: box, count, points (Z: z range and values; M optional)
                if (start.Length < 40)
                {
                    throw Damaged(layer, $"record {ImportLimits.Count(number)} of its .shp is too short for its shape type");
                }

                var points = BinaryPrimitives.ReadInt32LittleEndian(start[36..]);
                needed = points < 0 ? long.MaxValue : 40 + (16L * points) + (type == 18 ? 16 + (8L * points) : 0);
                break;
            case 3 or 13 or 23 or 5 or 15 or 25 or 31: // polyline, polygon, multipatch: box, parts, points, part starts (types), points
                if (start.Length < 44)
                {
                    throw Damaged(layer, $"record {ImportLimits.Count(number)} of its .shp is too short for its shape type");
                }

                var parts = BinaryPrimitives.ReadInt32LittleEndian(start[36..]);
                var vertices = BinaryPrimitives.ReadInt32LittleEndian(start[40..]);
                var z = type is 13 or 15 or 31;
                needed = parts < 0 || vertices < 0 || parts > vertices
                    ? long.MaxValue
                    : 44 + (4L * parts * (type == 31 ? 2 : 1)) + (16L * vertices) + (z ? 16 + (8L * vertices) : 0);
                break;
            default:
                throw Damaged(layer, $"record {ImportLimits.Count(number)} of its .shp has the unknown shape type {type}");
        }

        if (needed > content)
        {
            throw Damaged(layer, $"record {ImportLimits.Count(number)} of its .shp declares more parts or points than its {ImportLimits.Count(content)} bytes can hold");
        }
    }

    private static bool IsShapeType(int type) => type is 0 or 1 or 3 or 5 or 8 or 11 or 13 or 15 or 18 or 21 or 23 or 25 or 28 or 31;

    /// <summary>
    /// The .dbf header: its field descriptors within the declared header, at most MaxColumns of
    /// them, their widths within the record, and the declared records within the file.
    /// </summary>
    public static async Task CheckDbfAsync(string dbfPath, string layer, ImportLimits limits, CancellationToken cancellationToken)
    {
        await using var dbf = new FileStream(dbfPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var actual = dbf.Length;
        var header = new byte[32];
        if (await dbf.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken) < header.Length)
        {
            throw Damaged(layer, "its .dbf file has no valid header");
        }

        var records = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var headerSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
        var recordSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
        if (headerSize < 33 || headerSize > actual || recordSize < 1)
        {
            throw Damaged(layer, $"its .dbf header declares {headerSize} header bytes and records of {recordSize} bytes in a file of {ImportLimits.Count(actual)} bytes");
        }

        if (headerSize + ((long)records * recordSize) > actual)
        {
            throw Damaged(layer, $"its .dbf declares {ImportLimits.Count(records)} records of {recordSize} bytes but holds only {ImportLimits.Count(actual)} bytes (cut off?)");
        }

        var descriptors = new byte[headerSize - 32];
        var read = await dbf.ReadAtLeastAsync(descriptors, descriptors.Length, throwOnEndOfStream: false, cancellationToken);
        int fields = 0, width = 1; // the deleted flag
        for (var at = 0; at + 32 <= read && descriptors[at] != 0x0D; at += 32)
        {
            if (++fields > limits.MaxColumns)
            {
                throw ImportLimits.Exceeded("columns", $"The attribute table of the shapefile {layer}.shp has more than {limits.MaxColumns} fields, more than one import may have. Keep only the fields you import.");
            }

            width += descriptors[at + 16];
        }

        if (width > recordSize)
        {
            throw Damaged(layer, $"its .dbf fields take {width} bytes but its records {recordSize}");
        }
    }

    private static ImportFileException Damaged(string layer, string why) =>
        new($"The shapefile {layer}.shp is damaged: {why}. Export it again (all of .shp, .shx and .dbf together).");
}
