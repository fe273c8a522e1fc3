using System.Runtime.CompilerServices;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// The time and memory budgets of one import (ImportLimits.Duration and MaxMemoryBytes). Time: a
/// deadline on the token every reader loop and database call checks. Memory: explicit accounting,
/// not GC figures (GC.GetAllocatedBytesForCurrentThread misses work on other threads and counts
/// garbage; the heap is shared with every other request): each record's declared size is checked
/// by its reader against the bytes that remain and MaxRecordBytes before it is read, and the rows
/// in flight (the pipeline holds one batch) are counted here by their values and vertices.
/// </summary>
public static class ImportBudget
{
    /// <summary>
    /// Runs one import under the time budget: when the deadline passes (not the caller's own
    /// cancellation) the work stops at its next check and a refusal naming the limit and the file
    /// is thrown instead.
    /// </summary>
    public static async Task<T> RunAsync<T>(ImportLimits limits, string fileName, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(run);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.Duration);
        try
        {
            return await run(deadline.Token);
        }
        catch (Exception exception) when (exception is not ImportFileException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // OperationCanceledException from our loops, or Npgsql/EF wrapping the cancelled command.
            throw ImportLimits.Exceeded("time", $"Importing {fileName} took longer than the {limits.Duration.TotalSeconds:0} s an import may take, and was stopped. Import a smaller part of the data.");
        }
    }

    /// <summary>
    /// The rows of <paramref name="source"/>, counted: at most MaxRows, and the estimated size of
    /// the last <see cref="ImportRunner.BatchSize"/> rows (what the pipeline holds at once) within
    /// MaxMemoryBytes. An exception of a third-party parser that escaped a reader is the file's
    /// damage, refused as such, never a 500.
    /// </summary>
    internal static async IAsyncEnumerable<SourceRow> MeteredAsync(
        IAsyncEnumerable<SourceRow> source, ImportLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = new Queue<long>(ImportRunner.BatchSize);
        long held = 0, rows = 0;
        await using var rowsOfFile = source.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await rowsOfFile.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception exception) when (ImportSources.IsFileFault(exception))
            {
                throw new ImportFileException($"The file is damaged after row {rows}: it cannot be read ({exception.Message.TrimEnd('.')}). Export it again.");
            }

            var row = rowsOfFile.Current;
            if (++rows > limits.MaxRows)
            {
                throw ImportLimits.Exceeded("rows", $"The file has more than {ImportLimits.Count(limits.MaxRows)} rows, more than one import may have. Split it into smaller files.");
            }

            var size = EstimatedBytes(row);
            window.Enqueue(size);
            held += size;
            if (window.Count > ImportRunner.BatchSize)
            {
                held -= window.Dequeue();
            }

            if (held > limits.MaxMemoryBytes)
            {
                throw ImportLimits.Exceeded("memory", $"Rows {ImportLimits.Count(Math.Max(1, rows - window.Count + 1))} to {ImportLimits.Count(rows)} of the file hold about {ImportLimits.Size(held)} of values and vertices, more than the {ImportLimits.Size(limits.MaxMemoryBytes)} one import may hold at once. Simplify the geometries or split the file.");
            }

            yield return row;
        }
    }

    /// <summary>What a row costs in memory, roughly: its values as .NET strings, its vertices as Coordinates.</summary>
    internal static long EstimatedBytes(SourceRow row)
    {
        long bytes = 256;
        foreach (var (name, value) in row.Values)
        {
            bytes += 64 + (2L * (name.Length + (value?.Length ?? 0)));
        }

        return bytes + ((row.Geometry?.NumPoints ?? 0) * (long)ImportLimits.BytesPerVertex);
    }
}
