using System.Buffers.Binary;
using System.Text.Unicode;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Checks that the text of a .dbf is UTF-8 before it is read as such. Only the character fields
/// and field names are checked: the header and numbers hold binary counts and sizes.
/// </summary>
internal static class DbfText
{
    /// <summary>
    /// True when every field name and character value is valid UTF-8. A multi-byte letter cut off
    /// at the end of a field (writers truncate to the field's byte width) is allowed.
    /// </summary>
    public static async Task<bool> IsUtf8Async(string dbfPath, CancellationToken cancellationToken)
    {
        await using var dbf = new FileStream(dbfPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var header = new byte[32];
        if (await dbf.ReadAtLeastAsync(header, 32, throwOnEndOfStream: false, cancellationToken) < 32)
        {
            return true; // too short to be a table: the shapefile reader refuses it with its own message
        }

        var recordCount = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var headerSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
        var recordSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
        if (headerSize < 33 || recordSize < 1)
        {
            return true;
        }

        var descriptors = new byte[headerSize - 32];
        var read = await dbf.ReadAtLeastAsync(descriptors, descriptors.Length, throwOnEndOfStream: false, cancellationToken);
        var textFields = new List<(int Offset, int Length)>();
        var offset = 1; // the deleted flag
        for (var at = 0; at + 32 <= read && descriptors[at] != 0x0D; at += 32)
        {
            var name = descriptors.AsSpan(at, 11);
            var end = name.IndexOf((byte)0);
            if (!Utf8.IsValid(end < 0 ? name : name[..end]))
            {
                return false;
            }

            var length = descriptors[at + 16];
            if (descriptors[at + 11] is (byte)'C' or (byte)'c')
            {
                textFields.Add((offset, length));
            }

            offset += length;
        }

        var record = new byte[recordSize];
        for (long i = 0; i < recordCount; i++)
        {
            if (await dbf.ReadAtLeastAsync(record, recordSize, throwOnEndOfStream: false, cancellationToken) < recordSize)
            {
                return true; // a short file: the reader reports it as damaged
            }

            foreach (var (start, length) in textFields)
            {
                if (start + length <= record.Length && !Utf8.IsValid(WithoutCutOffLetter(record.AsSpan(start, length))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The bytes without an incomplete UTF-8 sequence at their very end.</summary>
    private static ReadOnlySpan<byte> WithoutCutOffLetter(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] is 0 or 0x20)
        {
            end--;
        }

        // Walk back over continuation bytes to the lead byte of the last sequence (at most 3 back).
        var lead = end - 1;
        while (lead >= 0 && end - lead <= 4 && (bytes[lead] & 0xC0) == 0x80)
        {
            lead--;
        }

        if (lead >= 0 && bytes[lead] >= 0xC0)
        {
            var needed = bytes[lead] >= 0xF0 ? 4 : bytes[lead] >= 0xE0 ? 3 : 2;
            if (end - lead < needed)
            {
                return bytes[..lead];
            }
        }

        return bytes[..end];
    }
}
