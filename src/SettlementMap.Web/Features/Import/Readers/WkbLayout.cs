using System.Buffers.Binary;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Walks a GeoPackage geometry blob (its header, then ISO or extended WKB) and checks every count
/// it declares (points, rings, parts) against the bytes that follow, before NetTopologySuite's
/// WKBReader reads it: that reader sizes its coordinate arrays from the counts, so 20 bytes
/// declaring 100,000,000 points would allocate gigabytes.
/// </summary>
internal static class WkbLayout
{
    /// <summary>Null when the blob's counts fit its bytes; else why not, for the row's problem.</summary>
    public static string? Problem(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8 || blob[0] != (byte)'G' || blob[1] != (byte)'P')
        {
            return null; // not a GeoPackage blob: the reader refuses it without allocating
        }

        var envelope = (blob[3] >> 1) & 0x07;
        var header = 8 + envelope switch { 0 => 0, 1 => 32, 2 or 3 => 48, 4 => 64, _ => -8 };
        if (header < 8 || header > blob.Length)
        {
            return "the geometry could not be read: its GeoPackage header is damaged";
        }

        var at = header;
        return header == blob.Length || Walk(blob, ref at, 0) ? null : "the geometry could not be read: it declares more points or parts than its bytes hold";
    }

    /// <summary>One WKB geometry at <paramref name="at"/>: true when its counts fit, moving past it.</summary>
    private static bool Walk(ReadOnlySpan<byte> wkb, ref int at, int depth)
    {
        if (depth > ImportLimits.MaxDepth || at + 5 > wkb.Length || wkb[at] > 1)
        {
            return false;
        }

        var little = wkb[at] == 1;
        var type = little ? BinaryPrimitives.ReadUInt32LittleEndian(wkb[(at + 1)..]) : BinaryPrimitives.ReadUInt32BigEndian(wkb[(at + 1)..]);
        at += 5;
        var ordinates = 2;
        if ((type & 0x20000000) != 0)
        {
            at += 4; // EWKB SRID
        }

        if ((type & 0x80000000) != 0)
        {
            ordinates++;
        }

        if ((type & 0x40000000) != 0)
        {
            ordinates++;
        }

        type &= 0x0FFFFFFF;
        ordinates += (type / 1000) switch { 1 or 2 => 1, 3 => 2, _ => 0 };
        var pointBytes = 8L * ordinates;
        switch (type % 1000)
        {
            case 1:
                at += (int)pointBytes;
                return at <= wkb.Length;
            case 2:
                return Points(wkb, ref at, little, pointBytes);
            case 3:
                if (!Count(wkb, ref at, little, 4, out var rings))
                {
                    return false;
                }

                for (long ring = 0; ring < rings; ring++)
                {
                    if (!Points(wkb, ref at, little, pointBytes))
                    {
                        return false;
                    }
                }

                return true;
            case 4 or 5 or 6 or 7:
                if (!Count(wkb, ref at, little, 5, out var parts))
                {
                    return false;
                }

                for (long part = 0; part < parts; part++)
                {
                    if (!Walk(wkb, ref at, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true; // curves and others: NetTopologySuite refuses them by type, without allocating
        }
    }

    private static bool Points(ReadOnlySpan<byte> wkb, ref int at, bool little, long pointBytes)
    {
        if (!Count(wkb, ref at, little, pointBytes, out var points))
        {
            return false;
        }

        at += (int)(points * pointBytes);
        return true;
    }

    /// <summary>A count, and whether that many items of at least <paramref name="minimumBytes"/> each fit in what remains.</summary>
    private static bool Count(ReadOnlySpan<byte> wkb, ref int at, bool little, long minimumBytes, out long count)
    {
        count = 0;
        if (at + 4 > wkb.Length)
        {
            return false;
        }

        count = little ? BinaryPrimitives.ReadUInt32LittleEndian(wkb[at..]) : BinaryPrimitives.ReadUInt32BigEndian(wkb[at..]);
        at += 4;
        return count * minimumBytes <= wkb.Length - at;
    }
}
