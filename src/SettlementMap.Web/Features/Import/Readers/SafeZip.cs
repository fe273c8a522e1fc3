using System.IO.Compression;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Opens uploaded zip archives without trusting them: every entry name is checked for path
/// traversal, the declared sizes and ratios for zip bombs, before one byte is unpacked; then
/// unpacking counts the real bytes, because the declared sizes are the attacker's to write.
/// </summary>
internal sealed class SafeZip : IDisposable
{
    private readonly ZipArchive _archive;
    private readonly ImportLimits _limits;
    private long _extracted;

    private SafeZip(ZipArchive archive, ImportLimits limits)
    {
        _archive = archive;
        _limits = limits;
    }

    /// <summary>The file entries (no folders), checked.</summary>
    public IReadOnlyList<ZipArchiveEntry> Files { get; private set; } = [];

    /// <summary>Opens and checks the archive; <paramref name="what"/> names it in messages ("zip archive", "Excel workbook").</summary>
    public static SafeZip Open(Stream stream, ImportLimits limits, string what)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw new ImportFileException($"The file is not a readable {what}: it may be damaged or only partly uploaded. Make the {what} again and upload it.");
        }

        var zip = new SafeZip(archive, limits);
        try
        {
            zip.Check(what);
            return zip;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private void Check(string what)
    {
        System.Collections.ObjectModel.ReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            entries = _archive.Entries;
        }
        catch (InvalidDataException)
        {
            throw new ImportFileException($"The file is not a readable {what}: its table of contents is damaged. Make the {what} again and upload it.");
        }

        if (entries.Count > _limits.MaxEntries)
        {
            throw new ImportFileException($"The {what} holds {entries.Count} files; we accept at most {_limits.MaxEntries}. Put only the layer you import in it.");
        }

        long total = 0;
        var files = new List<ZipArchiveEntry>();
        foreach (var entry in entries)
        {
            if (!IsSafeName(entry.FullName))
            {
                throw new ImportFileException($"The {what} holds an entry named \"{entry.FullName}\", which points outside the archive's folder. It was refused for safety: make the {what} again from the files themselves.");
            }

            total += entry.Length;
            if (total > _limits.MaxUncompressedBytes)
            {
                throw new ImportFileException($"The {what} unpacks to more than {ImportLimits.Size(_limits.MaxUncompressedBytes)}, more than we accept. Import a smaller part of the data.");
            }

            if (entry.Length >= _limits.RatioCheckedFromBytes && entry.Length > (long)_limits.MaxCompressionRatio * Math.Max(entry.CompressedLength, 1))
            {
                throw new ImportFileException($"The entry \"{entry.FullName}\" of the {what} is compressed more than {_limits.MaxCompressionRatio} times, which real data never is (a \"zip bomb\"). It was refused.");
            }

            if (!entry.FullName.EndsWith('/'))
            {
                files.Add(entry);
            }
        }

        Files = files;
    }

    /// <summary>
    /// A relative path that stays inside the extraction folder: no "..", no root, no drive letter,
    /// no backslash tricks (Windows tools wrote backslashes as separators, so they count as such).
    /// </summary>
    internal static bool IsSafeName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var normal = name.Replace('\\', '/');
        if (normal.StartsWith('/') || (normal.Length >= 2 && normal[1] == ':'))
        {
            return false;
        }

        return !normal.Split('/').Any(part => part == ".." || part.Contains(':', StringComparison.Ordinal));
    }

    /// <summary>
    /// Unpacks one entry to <paramref name="destination"/>, counting the real bytes against the
    /// entry's declared size and the archive's budget: a lying entry stops at the limit.
    /// </summary>
    public async Task ExtractAsync(ZipArchiveEntry entry, string destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        try
        {
            await using var source = entry.Open();
            await using var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            long written = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                _extracted += read;
                if (written > entry.Length || _extracted > _limits.MaxUncompressedBytes)
                {
                    throw new ImportFileException($"The entry \"{entry.FullName}\" unpacks to more bytes than the zip declares (a \"zip bomb\" or a damaged archive). It was refused.");
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (InvalidDataException)
        {
            throw new ImportFileException($"The entry \"{entry.FullName}\" of the zip archive is damaged and cannot be unpacked. Make the zip again and upload it.");
        }
    }

    public void Dispose() => _archive.Dispose();
}
