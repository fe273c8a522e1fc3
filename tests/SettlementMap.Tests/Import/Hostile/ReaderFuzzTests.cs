using System.Diagnostics;
using System.Globalization;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Readers;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Import.Hostile;

/// <summary>
/// Seeded fuzzing of every reader in-process: each mutated file either reads to its end or is
/// refused with ImportFileException (the readers' one error type), within a time bound; never
/// OutOfMemoryException, never any other exception. 1,000 cases a format (5,000 in all) by default;
/// SETTLEMENTMAP_FUZZ_CASES sets the number a format, SETTLEMENTMAP_FUZZ_SEED the seed.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>No single file may take longer to read or refuse (the CI machine has 2 shared cores).</summary>
    private static readonly TimeSpan CaseTimeBound = TimeSpan.FromSeconds(15);

    private readonly string _folder = ImportFixtures.NewFolder();

    public static int CasesPerFormat => int.TryParse(Environment.GetEnvironmentVariable("SETTLEMENTMAP_FUZZ_CASES"), CultureInfo.InvariantCulture, out var cases) ? cases : 1000;

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("SETTLEMENTMAP_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : 1919;

    /// <summary>Reads a file to its end as the import does; the outcome in a word, or the exception nobody should see.</summary>
    internal static async Task<(string Outcome, Exception? Unexpected, string? Message)> ReadAsync(string folder, HostileFile file, ImportLimits limits)
    {
        var path = Path.Combine(folder, "upload-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, file.Bytes);
        try
        {
            await using var source = await ImportSources.OpenAsync(path, file.Name, new ImportReadOptions(), limits, CancellationToken.None);
            long rows = 0;
            await foreach (var _ in source.ReadRowsAsync(CancellationToken.None))
            {
                rows++;
            }

            return ("read", null, null);
        }
        catch (ImportFileException refusal)
        {
            // "generic": a parser's own exception that no reader named, caught at the boundary (ImportSources, ImportBudget).
            return (refusal.Title is not null ? "limit"
                : refusal.Message.StartsWith("The file cannot be read: it is damaged or not what", StringComparison.Ordinal)
                    || refusal.Message.StartsWith("The file is damaged after row", StringComparison.Ordinal) ? "generic" : "refused", null, refusal.Message);
        }
        catch (Exception exception)
        {
            return ("unexpected", exception, exception.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Every_mutated_file_of_every_format_is_read_or_refused_with_the_readers_own_error_in_bounded_time()
    {
        var seeds = HostileFiles.Seeds(_folder);
        var failures = new List<string>();
        var total = 0;
        foreach (var format in HostileFiles.Formats)
        {
            var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
            var slowest = TimeSpan.Zero;
            var cases = HostileFiles.Fuzzed(format, seeds[format], CasesPerFormat, Seed + format.Length, _folder).ToList();
            foreach (var file in cases)
            {
                var clock = Stopwatch.StartNew();
                var read = Task.Run(() => ReadAsync(_folder, file, ImportLimits.Default));
                if (await Task.WhenAny(read, Task.Delay(CaseTimeBound)) != read)
                {
                    failures.Add($"{format} {file}: no answer within {CaseTimeBound.TotalSeconds} s");
                    continue;
                }

                var (outcome, unexpected, message) = await read;
                slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
                if (outcome == "generic" && Environment.GetEnvironmentVariable("SETTLEMENTMAP_FUZZ_VERBOSE") == "1")
                {
                    output.WriteLine($"generic: {file}: {message}");
                }

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (unexpected is not null)
                {
                    failures.Add($"{format} {file}: {unexpected.GetType().Name}: {unexpected.Message}");
                }
            }

            total += cases.Count;
            output.WriteLine($"{format}: {cases.Count} cases, {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Value} {o.Key}"))}; slowest {slowest.TotalMilliseconds:0} ms");
        }

        output.WriteLine($"{total} cases in all (seed {Seed})");
        Assert.True(failures.Count == 0, $"{failures.Count} of {total} cases:\n" + string.Join("\n", failures.Take(30)));
    }

    [Fact]
    public async Task The_probes_hostile_files_are_refused_before_anything_large_is_allocated()
    {
        var seeds = HostileFiles.Seeds(_folder);
        foreach (var file in HostileFiles.Named(seeds))
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var (outcome, unexpected, _) = await ReadAsync(_folder, file, ImportLimits.Default);
            var megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
            output.WriteLine($"{file}: {outcome} in {clock.ElapsedMilliseconds} ms, {megabytes:0.0} MB allocated");
            Assert.Null(unexpected);
            Assert.NotEqual("read", outcome);
            Assert.True(megabytes < 64, $"{file.Name} allocated {megabytes:0} MB");
        }
    }

    [Fact]
    public async Task The_refusals_name_what_the_file_declares()
    {
        var seeds = HostileFiles.Seeds(_folder);
        var points = await Refusal(HostileFiles.HundredMillionPoints(seeds["zip"]));
        Assert.Contains("record 1 of its .shp declares more parts or points than its", points.Message, StringComparison.Ordinal);
        var sparse = await Refusal(HostileFiles.SparseWorkbook(seeds["xlsx"]));
        Assert.Equal("The import exceeds its columns limit.", sparse.Title);
        Assert.Contains("The sheet \"Naselja\" has a cell at XFD1048576", sparse.Message, StringComparison.Ordinal);
    }

    private async Task<ImportFileException> Refusal(HostileFile file)
    {
        var path = Path.Combine(_folder, file.Name);
        await File.WriteAllBytesAsync(path, file.Bytes);
        return await Assert.ThrowsAsync<ImportFileException>(async () =>
        {
            await using var source = await ImportSources.OpenAsync(path, file.Name, new ImportReadOptions(), ImportLimits.Default, CancellationToken.None);
            await foreach (var _ in source.ReadRowsAsync(CancellationToken.None))
            {
            }
        });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
