using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Data.Sqlite;
using SettlementMap.Tests.Import.Fixtures;

namespace SettlementMap.Tests.Import.Hostile;

/// <summary>One file to throw at the importer: its name (the extension picks the reader), bytes, and how it was made.</summary>
public sealed record HostileFile(string Name, byte[] Bytes, string How)
{
    public override string ToString() => $"{Name} ({How}, {Bytes.Length} bytes)";
}

/// <summary>
/// Hostile import files, reproducible from a seed: valid seed files of every format the importer
/// reads, mutated (bit flips, truncations, random spans, inserted bytes, count fields inflated at
/// the offsets the formats define, structure-aware edits inside zips and GeoPackage blobs), and
/// the named files of the probe (a 100,000,000-point shapefile, a cell at XFD1048576, a zip bomb,
/// deep GeoJSON). Shared by the in-process fuzz test and the service-under-a-heap-limit test.
/// </summary>
public static class HostileFiles
{
    /// <summary>The formats, by the extensions ImportSources accepts (two share a reader each).</summary>
    public static readonly IReadOnlyList<string> Formats = ["geojson", "csv", "zip", "gpkg", "xlsx"];

    private static readonly int[] Inflated = [int.MaxValue, 100_000_000, -1, 0x10000, 65_535, 1_000_000, int.MinValue];

    /// <summary>Known count and size fields of each part: offset, width in bytes, big-endian.</summary>
    private static readonly Dictionary<string, (int Offset, int Width, bool BigEndian)[]> CountFields = new(StringComparer.OrdinalIgnoreCase)
    {
        // .shp: file length, shape type, 1st record's content length, its type, numParts / numPoints (multipoint count at 136).
        [".shp"] = [(24, 4, true), (32, 4, false), (104, 4, true), (108, 4, false), (144, 4, false), (148, 4, false), (136, 4, false)],
        // .shx: file length, 1st offset and content length.
        [".shx"] = [(24, 4, true), (100, 4, true), (104, 4, true)],
        // .dbf: record count, header size, record size, 1st field's width and decimals.
        [".dbf"] = [(4, 4, false), (8, 2, false), (10, 2, false), (48, 1, false), (49, 1, false)],
        // SQLite: page size, file change counter, page count, first freelist page.
        [".gpkg"] = [(16, 2, true), (28, 4, true), (32, 4, true), (56, 4, true)],
    };

    /// <summary>Three squares near Niš with the attributes the import maps by name.</summary>
    public static IReadOnlyList<FixtureFeature> Features { get; } =
    [
        new(ImportFixtures.Square(21.80, 43.20, 0.002), ("sifra", "FZ-001"), ("naziv", "Prva mahala"), ("opstina", "nis")),
        new(ImportFixtures.Square(21.84, 43.22, 0.002), ("sifra", "FZ-002"), ("naziv", "Друга махала"), ("opstina", "nis")),
        new(ImportFixtures.Square(21.88, 43.24, 0.002), ("sifra", "FZ-003"), ("naziv", "Treća mahala"), ("opstina", "nis")),
    ];

    /// <summary>A valid file of each format, by format.</summary>
    public static Dictionary<string, byte[]> Seeds(string folder)
    {
        var csv = new StringBuilder("sifra;naziv;opstina;wkt\n");
        foreach (var feature in Features)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{feature.Attributes["sifra"]};{feature.Attributes["naziv"]};{feature.Attributes["opstina"]};{feature.Geometry!.AsText()}\n");
        }

        IReadOnlyList<IReadOnlyList<object?>> rows =
            [["sifra", "naziv", "opstina"], .. Features.Select(f => (IReadOnlyList<object?>)[f.Attributes["sifra"], f.Attributes["naziv"], f.Attributes["opstina"]])];
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["geojson"] = File.ReadAllBytes(ImportFixtures.GeoJson(folder, Features)),
            ["csv"] = Encoding.UTF8.GetBytes(csv.ToString()),
            ["zip"] = File.ReadAllBytes(ImportFixtures.ShapefileZip(folder, "seed", Features)),
            ["gpkg"] = File.ReadAllBytes(ImportFixtures.GeoPackage(folder, "seed", 4326, Features, "seed.gpkg")),
            ["xlsx"] = File.ReadAllBytes(ImportFixtures.Xlsx(folder, "Naselja", rows, "seed.xlsx")),
        };
    }

    /// <summary><paramref name="count"/> mutations of a seed, the same for the same <paramref name="seed"/>.</summary>
    public static IEnumerable<HostileFile> Fuzzed(string format, byte[] file, int count, int seed, string folder)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var (bytes, how) = format switch
            {
                "zip" or "xlsx" when random.Next(10) > 0 => MutateInsideZip(file, format, random),
                "gpkg" when random.Next(2) == 0 => MutateBlob(file, random, folder),
                "geojson" or "csv" when random.Next(4) == 0 => MutateText(file, format, random),
                _ => Mutate(file, "." + format, random),
            };
            yield return new HostileFile($"fuzz-{i.ToString(CultureInfo.InvariantCulture)}{Extension(format, i)}", bytes, how);
        }
    }

    /// <summary>Both extensions a reader answers to, in turn (.geojson/.json, .csv/.txt).</summary>
    private static string Extension(string format, int i) => format switch
    {
        "geojson" => i % 2 == 0 ? ".geojson" : ".json",
        "csv" => i % 2 == 0 ? ".csv" : ".txt",
        _ => "." + format,
    };

    /// <summary>A byte-level mutation; <paramref name="part"/> (an extension) chooses the count fields.</summary>
    private static (byte[], string) Mutate(byte[] original, string part, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(CountFields.ContainsKey(part) ? 6 : 5))
        {
            case 0:
                var flips = random.Next(1, 9);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return (bytes, $"{part}: {flips} bit flips");
            case 1:
                var length = random.Next(bytes.Length);
                return (bytes[..length], $"{part}: cut at {length}");
            case 2:
                var (at, span) = Span(bytes.Length, random);
                random.NextBytes(bytes.AsSpan(at, span));
                return (bytes, $"{part}: random bytes {at}+{span}");
            case 3:
                var insert = new byte[random.Next(1, 64)];
                random.NextBytes(insert);
                var where = random.Next(bytes.Length);
                return ([.. bytes[..where], .. insert, .. bytes[where..]], $"{part}: {insert.Length} bytes inserted at {where}");
            case 4:
                var value = random.Next(4) == 0 ? 0 : random.Next(256);
                var (from, count) = Span(bytes.Length, random);
                bytes.AsSpan(from, count).Fill((byte)value);
                return (bytes, $"{part}: {count} bytes of {value} at {from}");
            default:
                var fields = CountFields[part];
                var (offset, width, bigEndian) = fields[random.Next(fields.Length)];
                var inflated = Inflated[random.Next(Inflated.Length)];
                if (offset + width <= bytes.Length)
                {
                    WriteCount(bytes.AsSpan(offset, width), inflated, bigEndian);
                }

                return (bytes, $"{part}: count at {offset} set to {inflated}");
        }
    }

    private static (int At, int Length) Span(int total, Random random)
    {
        var length = Math.Min(total, random.Next(1, 257));
        return (random.Next(total - length + 1), length);
    }

    private static void WriteCount(Span<byte> target, int value, bool bigEndian)
    {
        switch (target.Length)
        {
            case 1:
                target[0] = (byte)value;
                break;
            case 2 when bigEndian:
                BinaryPrimitives.WriteUInt16BigEndian(target, (ushort)value);
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)value);
                break;
            case 4 when bigEndian:
                BinaryPrimitives.WriteInt32BigEndian(target, value);
                break;
            default:
                BinaryPrimitives.WriteInt32LittleEndian(target, value);
                break;
        }
    }

    /// <summary>Text edits a byte flip rarely makes: deep nesting, a huge repeated run, many delimiters, an open quote, numbers replaced.</summary>
    private static (byte[], string) MutateText(byte[] original, string format, Random random)
    {
        var text = Encoding.UTF8.GetString(original);
        var at = random.Next(text.Length);
        var depth = random.Next(50, 5000);
        var (result, how) = random.Next(5) switch
        {
            0 => (text[..at] + new string('[', depth) + text[at..], $"{depth} × [ at {at}"),
            1 => (text[..at] + string.Concat(Enumerable.Repeat(text[at..Math.Min(text.Length, at + 40)], depth)) + text[at..], $"a run repeated {depth} times at {at}"),
            2 => (text[..at] + new string(format == "csv" ? ';' : ',', depth) + text[at..], $"{depth} delimiters at {at}"),
            3 => (text[..at] + "\"" + text[at..], $"an open quote at {at}"),
            _ => (text.Replace("21.", random.Next(2) == 0 ? "1e308" : "-", StringComparison.Ordinal), "coordinates replaced"),
        };
        return (Encoding.UTF8.GetBytes(result), $"{format} text: {how}");
    }

    /// <summary>One part of a zip (a shapefile's .shp, .dbf…; a workbook's sheet XML…) mutated, the rest kept, zipped again.</summary>
    private static (byte[], string) MutateInsideZip(byte[] zip, string format, Random random)
    {
        var parts = ReadZip(zip);
        var index = format == "zip"
            ? PickShapefilePart(parts, random)
            : random.Next(3) > 0 ? parts.FindIndex(p => p.Name.StartsWith("xl/worksheets/", StringComparison.Ordinal)) : random.Next(parts.Count);
        var (name, bytes) = parts[index];
        var (mutated, how) = format == "xlsx" && random.Next(2) == 0 ? MutateSheet(bytes, random) : Mutate(bytes, Path.GetExtension(name), random);
        parts[index] = (name, mutated);
        return (WriteZip(parts), $"{name} {how}");
    }

    private static int PickShapefilePart(List<(string Name, byte[] Bytes)> parts, Random random)
    {
        var wanted = random.Next(8) switch { < 4 => ".shp", < 6 => ".dbf", 6 => ".shx", _ => random.Next(2) == 0 ? ".prj" : ".cpg" };
        var index = parts.FindIndex(p => p.Name.EndsWith(wanted, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : 0;
    }

    /// <summary>Cell and row references moved far out, a dimension declared, a shared-string count inflated.</summary>
    private static (byte[], string) MutateSheet(byte[] xml, Random random)
    {
        var text = Encoding.UTF8.GetString(xml);
        string[] far = ["XFD1048576", "A1048576", "XFD1", "ZZZZZZZZ1", "A99999999999999", "B2000000", "SZ2"];
        var cell = far[random.Next(far.Length)];
        var result = random.Next(3) switch
        {
            0 => text.Replace("r=\"B2\"", $"r=\"{cell}\"", StringComparison.Ordinal),
            1 => text.Replace("<sheetData>", $"<dimension ref=\"A1:{cell}\"/><sheetData>", StringComparison.Ordinal),
            _ => text.Replace("<row r=\"3\"", $"<row r=\"{random.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal),
        };
        return (Encoding.UTF8.GetBytes(result), $"sheet references moved to {cell}");
    }

    /// <summary>A geometry blob of the GeoPackage mutated through SQLite (so the database stays valid and the blob reaches the reader).</summary>
    private static (byte[], string) MutateBlob(byte[] gpkg, Random random, string folder)
    {
        var path = Path.Combine(folder, $"blob-{Guid.NewGuid():N}.gpkg");
        File.WriteAllBytes(path, gpkg);
        string how;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT rowid, geom FROM seed ORDER BY rowid LIMIT 1";
            using var reader = read.ExecuteReader();
            reader.Read();
            var rowid = reader.GetInt64(0);
            var blob = (byte[])reader.GetValue(1);
            reader.Close();
            // The blob: 8-byte header + envelope (flags bits 1-3), then WKB: order, type, rings, points…
            var wkb = 8 + (((blob[3] >> 1) & 7) switch { 1 => 32, 2 or 3 => 48, 4 => 64, _ => 0 });
            int[] offsets = [wkb + 1, wkb + 5, wkb + 9, 3];
            var offset = offsets[random.Next(offsets.Length)];
            byte[] mutated;
            if (random.Next(3) == 0)
            {
                (mutated, how) = Mutate(blob, ".wkb", random);
            }
            else
            {
                mutated = (byte[])blob.Clone();
                var value = Inflated[random.Next(Inflated.Length)];
                if (offset == 3)
                {
                    mutated[3] = (byte)value;
                }
                else
                {
                    WriteCount(mutated.AsSpan(offset, 4), value, bigEndian: blob[wkb] == 0);
                }

                how = $"blob byte {offset} set to {value}";
            }

            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE seed SET geom = $blob WHERE rowid = $id";
            write.Parameters.AddWithValue("$blob", mutated);
            write.Parameters.AddWithValue("$id", rowid);
            write.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return (bytes, "gpkg " + how);
    }

    public static List<(string Name, byte[] Bytes)> ReadZip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(entry =>
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (entry.FullName, copy.ToArray());
        })];
    }

    public static byte[] WriteZip(IEnumerable<(string Name, byte[] Bytes)> parts)
    {
        var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in parts)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>The probe's shapefile: its first record declares 100,000,000 points.</summary>
    public static HostileFile HundredMillionPoints(byte[] shapefileZip)
    {
        var parts = ReadZip(shapefileZip);
        var shp = parts.FindIndex(p => p.Name.EndsWith(".shp", StringComparison.Ordinal));
        var bytes = (byte[])parts[shp].Bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(148), 100_000_000);
        parts[shp] = (parts[shp].Name, bytes);
        return new HostileFile("points.zip", WriteZip(parts), "first record declares 100,000,000 points");
    }

    /// <summary>The probe's other shapefile: the records after the header are random bytes.</summary>
    public static HostileFile RandomRecords(byte[] shapefileZip, int seed)
    {
        var parts = ReadZip(shapefileZip);
        var shp = parts.FindIndex(p => p.Name.EndsWith(".shp", StringComparison.Ordinal));
        var bytes = (byte[])parts[shp].Bytes.Clone();
        new Random(seed).NextBytes(bytes.AsSpan(100));
        parts[shp] = (parts[shp].Name, bytes);
        return new HostileFile("random-records.zip", WriteZip(parts), "records of random bytes");
    }

    /// <summary>The probe's workbook: a header in A1 and one cell at XFD1048576, about 1.5 KB.</summary>
    public static HostileFile SparseWorkbook(byte[] xlsx)
    {
        var parts = ReadZip(xlsx);
        var sheet = parts.FindIndex(p => p.Name.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>sifra</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>
            """;
        parts[sheet] = (parts[sheet].Name, Encoding.UTF8.GetBytes(xml));
        return new HostileFile("sparse.xlsx", WriteZip(parts), "one cell at XFD1048576");
    }

    /// <summary>A shapefile zip whose .shp entry is 600 MB of zeros (past the 512 MB and ratio limits).</summary>
    public static HostileFile ZipBomb()
    {
        var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("layer.shp", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 600; i++)
            {
                entry.Write(zeros);
            }
        }

        return new HostileFile("bomb.zip", output.ToArray(), "600 MB of zeros");
    }

    /// <summary>A FeatureCollection whose geometry nests 100,000 arrays deep.</summary>
    public static HostileFile DeepGeoJson() => new(
        "deep.geojson",
        Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sifra":"X"},"geometry":{"type":"Polygon","coordinates":"""
            + new string('[', 100_000) + new string(']', 100_000) + "}}]}"),
        "100,000 nested arrays");

    /// <summary>The named hostile files of the probe, from the seeds.</summary>
    public static IReadOnlyList<HostileFile> Named(Dictionary<string, byte[]> seeds) =>
    [
        HundredMillionPoints(seeds["zip"]),
        RandomRecords(seeds["zip"], 19),
        SparseWorkbook(seeds["xlsx"]),
        ZipBomb(),
        DeepGeoJson(),
    ];
}
