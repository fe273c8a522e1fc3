using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Readers;

namespace SettlementMap.Tests.Import.Readers;

/// <summary>A fresh fixture folder per test, deleted afterwards, and helpers to open and read a file.</summary>
public abstract class ReaderTestBase : IDisposable
{
    protected string Folder { get; } = ImportFixtures.NewFolder();

    protected static ImportReadOptions NoOptions { get; } = new();

    protected static Task<IImportSource> OpenAsync(string path, ImportReadOptions? options = null, ImportLimits? limits = null) =>
        ImportSources.OpenAsync(path, Path.GetFileName(path), options ?? NoOptions, limits ?? ImportLimits.Default, CancellationToken.None);

    protected static async Task<(SourceDescription Description, List<SourceRow> Rows)> ReadAllAsync(string path, ImportReadOptions? options = null)
    {
        await using var source = await OpenAsync(path, options);
        var rows = new List<SourceRow>();
        await foreach (var row in source.ReadRowsAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return (source.Description, rows);
    }

    /// <summary>The refusal, from opening or from reading the rows (both refuse the whole file).</summary>
    protected static async Task<ImportFileException> RefusedAsync(string path, ImportReadOptions? options = null, ImportLimits? limits = null, string? fileName = null)
    {
        return await Assert.ThrowsAsync<ImportFileException>(async () =>
        {
            await using var source = await ImportSources.OpenAsync(path, fileName ?? Path.GetFileName(path), options ?? NoOptions, limits ?? ImportLimits.Default, CancellationToken.None);
            await foreach (var _ in source.ReadRowsAsync(CancellationToken.None))
            {
            }
        });
    }

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
