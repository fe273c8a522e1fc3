using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// A zipped shapefile: the zip is checked (names, sizes, ratios) before anything is unpacked, the
/// one shapefile's parts are unpacked to a private temporary folder (deleted on dispose), and its
/// features are read one at a time with NetTopologySuite.IO.Esri.
/// </summary>
/// <remarks>
/// The DBF text encoding, first that applies: the user's choice (ImportReadOptions.Encoding: the
/// way to correct a wrong .cpg); the .cpg file; the DBF header's language driver byte when it names
/// a code page (0xC8 = 1250, 0xC9 = 1251…; 0x57 "ANSI" names none); else UTF-8. Whenever UTF-8 is
/// used, the whole .dbf is checked first, so a file in a Windows code page is refused with advice
/// rather than read as mojibake.
/// </remarks>
internal sealed class ShapefileSource : IImportSource
{
    private static readonly string[] Parts = [".shp", ".shx", ".dbf", ".prj", ".cpg"];

    private readonly string _folder;
    private readonly Stream _shp;
    private readonly Stream _dbf;
    private readonly ShapefileReader _reader;

    private ShapefileSource(string folder, Stream shp, Stream dbf, ShapefileReader reader, SourceDescription description)
    {
        _folder = folder;
        _shp = shp;
        _dbf = dbf;
        _reader = reader;
        Description = description;
    }

    public SourceDescription Description { get; }

    public static async Task<IImportSource> OpenAsync(string path, ImportReadOptions options, ImportLimits limits, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("settlementmap-import-").FullName;
        try
        {
            var (layer, files) = await ExtractAsync(path, options, limits, folder, cancellationToken);
            return await OpenExtractedAsync(folder, layer, files, options, limits, cancellationToken);
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = Description.Columns;
        long number = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool deleted;
            SourceRow? row = null;
            try
            {
                if (!_reader.Read(out deleted))
                {
                    break;
                }

                number++;
                if (!deleted)
                {
                    var values = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
                    for (var i = 0; i < _reader.Fields.Count; i++)
                    {
                        values[columns[i]] = ValueText.Of(_reader.Fields[i].Value)?.TrimEnd('\uFFFD') is { } text && text.Trim().Length > 0 ? text : null;
                    }

                    row = new SourceRow(number, values, _reader.Geometry, null);
                }
            }
            catch (Exception exception) when (ImportSources.IsFileFault(exception))
            {
                throw new ImportFileException($"The shapefile is damaged at feature {number}: its .shp and .dbf do not match or a value cannot be read ({exception.Message.TrimEnd('.')}). Export it again.");
            }

            if (row is not null)
            {
                yield return row; // a record marked deleted in the .dbf is skipped, its number kept so the others match the GIS
            }

            if (number % 1000 == 0)
            {
                await Task.Yield(); // the library reads synchronously; let other work run on long files
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _shp.Dispose();
        _dbf.Dispose();
        DeleteFolder(_folder);
        return ValueTask.CompletedTask;
    }

    /// <summary>Checks the zip, picks the shapefile and unpacks its parts as layer.shp, layer.dbf…</summary>
    private static async Task<(string Layer, HashSet<string> Files)> ExtractAsync(
        string path, ImportReadOptions options, ImportLimits limits, string folder, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        using var zip = SafeZip.Open(stream, limits, "zip archive");
        var entries = zip.Files
            .Where(entry => !entry.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal) && !entry.Name.StartsWith("._", StringComparison.Ordinal))
            .ToList();
        var shapefiles = entries
            .Where(entry => entry.FullName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (shapefiles.Count == 0)
        {
            var importable = entries.Where(e => ImportSources.SupportedExtensions.Contains(Path.GetExtension(e.Name).ToLowerInvariant())).Select(e => e.FullName).ToList();
            throw new ImportFileException(importable.Count > 0
                ? $"The zip archive holds no shapefile (.shp), but it holds {string.Join(", ", importable)}: unzip it and import that file itself."
                : "The zip archive holds no shapefile (.shp): zip the .shp together with its .shx, .dbf, .prj and .cpg files.");
        }

        var chosen = Choose(shapefiles, options.Layer);
        var stem = chosen.FullName[..^4];
        var name = chosen.Name[..^4];
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in Parts)
        {
            var entry = entries.FirstOrDefault(e => e.FullName.Length == stem.Length + 4
                && e.FullName.StartsWith(stem, StringComparison.OrdinalIgnoreCase)
                && e.FullName.EndsWith(part, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                continue;
            }

            await zip.ExtractAsync(entry, Path.Combine(folder, "layer" + part), cancellationToken);
            found.Add(part);
        }

        if (!found.Contains(".shx"))
        {
            throw new ImportFileException($"The shapefile {name}.shp has no .shx (index) file in the zip: export all its parts (.shp, .shx, .dbf, .prj, .cpg) and zip them together.");
        }

        if (!found.Contains(".dbf"))
        {
            throw new ImportFileException($"The shapefile {name}.shp has no .dbf (attribute table) file in the zip: export all its parts (.shp, .shx, .dbf, .prj, .cpg) and zip them together.");
        }

        return (name, found);
    }

    private static ZipArchiveEntry Choose(List<ZipArchiveEntry> shapefiles, string? layer)
    {
        if (!string.IsNullOrWhiteSpace(layer))
        {
            var wanted = layer.Trim();
            wanted = wanted.EndsWith(".shp", StringComparison.OrdinalIgnoreCase) ? wanted[..^4] : wanted;
            return shapefiles.FirstOrDefault(e => e.Name[..^4].Equals(wanted, StringComparison.OrdinalIgnoreCase) || e.FullName[..^4].Equals(wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new ImportFileException($"The zip archive has no shapefile named \"{layer}\". It holds: {string.Join(", ", shapefiles.Select(e => e.FullName))}.");
        }

        return shapefiles.Count == 1
            ? shapefiles[0]
            : throw new ImportFileException($"The zip archive holds {shapefiles.Count} shapefiles ({string.Join(", ", shapefiles.Select(e => e.FullName))}): choose the one to import as the layer.");
    }

    private static async Task<IImportSource> OpenExtractedAsync(
        string folder, string layer, HashSet<string> files, ImportReadOptions options, ImportLimits limits, CancellationToken cancellationToken)
    {
        var shpPath = Path.Combine(folder, "layer.shp");
        var dbfPath = Path.Combine(folder, "layer.dbf");

        await ShapefileLayout.CheckShpAsync(shpPath, layer, limits, cancellationToken);
        await ShapefileLayout.CheckDbfAsync(dbfPath, layer, limits, cancellationToken);
        await CheckCountsAsync(folder, layer, cancellationToken);
        var (encoding, encodingSource) = await ChooseEncodingAsync(folder, dbfPath, files, options, cancellationToken);
        if (TextEncodings.IsUtf8(encoding))
        {
            await CheckUtf8Async(dbfPath, encodingSource, cancellationToken);
        }

        var (crs, crsNote) = files.Contains(".prj")
            ? WktCrs.Recognise(await ReadSmallTextAsync(Path.Combine(folder, "layer.prj"), cancellationToken), "shapefile's .prj file")
            : (null, "The shapefile has no .prj file, so its coordinate system is unknown: choose it yourself, or export the shapefile again with its .prj.");

        Stream? shp = null, dbf = null;
        try
        {
            shp = new FileStream(shpPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            dbf = new FileStream(dbfPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            var reader = Shapefile.OpenRead(shp, dbf, new ShapefileReaderOptions
            {
                // Checked above; a letter cut off at a field's end then reads as U+FFFD, which ReadRowsAsync drops.
                Encoding = TextEncodings.IsUtf8(encoding) ? Encoding.UTF8 : encoding,
                // An invalid shape is handed to the pipeline (which reports it and may repair it), not thrown.
                GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
            });
            var columns = Enumerable.Range(0, reader.Fields.Count).Select(i => reader.Fields[i].Name).ToList();
            var description = new SourceDescription("Shapefile", columns, crs, crsNote, HasGeometry: true, TextEncodings.NameOf(encoding), layer);
            return new ShapefileSource(folder, shp, dbf, reader, description);
        }
        catch (DecoderFallbackException)
        {
            shp?.Dispose();
            dbf?.Dispose();
            throw new ImportFileException($"The attribute table (.dbf) of {layer}.shp is not UTF-8 text: {TextEncodings.CodePageAdvice}.");
        }
        catch (Exception exception) when (ImportSources.IsFileFault(exception))
        {
            shp?.Dispose();
            dbf?.Dispose();
            throw new ImportFileException($"The shapefile {layer}.shp cannot be read: {exception.Message.TrimEnd('.')}. Export it again (all of .shp, .shx and .dbf).");
        }
    }

    /// <summary>
    /// One attribute record per shape: the .shx holds one 8-byte entry per shape after its 100-byte
    /// header, the .dbf header its record count. The library stops silently at the shorter of the
    /// two, which would drop features without a word.
    /// </summary>
    private static async Task CheckCountsAsync(string folder, string layer, CancellationToken cancellationToken)
    {
        var shapes = (new FileInfo(Path.Combine(folder, "layer.shx")).Length - 100) / 8;
        var header = new byte[8];
        await using (var dbf = new FileStream(Path.Combine(folder, "layer.dbf"), FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true))
        {
            await dbf.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        }

        var records = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        if (shapes != records)
        {
            throw new ImportFileException($"The shapefile {layer}.shp is damaged: it has {Math.Max(shapes, 0)} shapes but its .dbf has {records} attribute records, and each shape needs one. Export it again (all of .shp, .shx and .dbf together).");
        }
    }

    private static async Task<(Encoding Encoding, string Source)> ChooseEncodingAsync(
        string folder, string dbfPath, HashSet<string> files, ImportReadOptions options, CancellationToken cancellationToken)
    {
        if (TextEncodings.FromOptions(options) is { } chosen)
        {
            return (chosen, "chosen");
        }

        if (files.Contains(".cpg"))
        {
            var cpg = (await ReadSmallTextAsync(Path.Combine(folder, "layer.cpg"), cancellationToken)).Trim();
            return TextEncodings.Find(cpg) is { } declared
                ? (declared, "cpg")
                : throw new ImportFileException($"The shapefile's .cpg file names the encoding \"{cpg}\", which we do not know: choose the encoding yourself (utf-8, windows-1250 or windows-1251).");
        }

        var header = new byte[32];
        await using (var dbf = new FileStream(dbfPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true))
        {
            await dbf.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        }

        return TextEncodings.FromLanguageDriver(header[29]) is { } byDriver ? (byDriver, "ldid") : (TextEncodings.StrictUtf8, "default");
    }

    /// <summary>Every text value of the .dbf checked as UTF-8 before a row is read.</summary>
    private static async Task CheckUtf8Async(string dbfPath, string encodingSource, CancellationToken cancellationToken)
    {
        if (await DbfText.IsUtf8Async(dbfPath, cancellationToken))
        {
            return;
        }

        var why = encodingSource switch
        {
            "cpg" => "although its .cpg file says UTF-8",
            "chosen" => "although UTF-8 was chosen",
            _ => "and it does not say which code page it uses",
        };
        throw new ImportFileException($"The attribute table (.dbf) of the shapefile is not UTF-8 text, {why}: {TextEncodings.CodePageAdvice}.");
    }

    private static async Task<string> ReadSmallTextAsync(string path, CancellationToken cancellationToken)
    {
        const int MaxBytes = 64 * 1024; // a .prj or .cpg is a line; anything longer is not one
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var buffer = new byte[MaxBytes];
        var read = await stream.ReadAtLeastAsync(buffer, MaxBytes, throwOnEndOfStream: false, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, read).Trim('\uFEFF', ' ', '\r', '\n', '\t', '\0');
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is the OS's to clean; the import must not fail for it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
