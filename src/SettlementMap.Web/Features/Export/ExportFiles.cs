using Microsoft.AspNetCore.Http.HttpResults;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// Exports that need a whole file before the first byte can go out (a GeoPackage is a database, a
/// zip's parts need their sizes): written under the temporary folder, then streamed from disk, so memory
/// stays bounded; the file is deleted when the response ends (or fails), its work folder at once.
/// </summary>
public static class ExportFiles
{
    /// <summary>Where the files are made: one work folder and one finished file per export.</summary>
    public static string Root => Path.Combine(Path.GetTempPath(), "settlementmap-exports");

    /// <summary>
    /// Runs <paramref name="write"/> with a fresh work folder and the path of the file to make, and gives
    /// that file as the response's body; nothing is left behind whatever happens.
    /// </summary>
    public static async Task<FileStreamHttpResult> StreamAsync(string contentType, string downloadName, string extension,
        Func<string, string, Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var name = Guid.NewGuid().ToString("N");
        var folder = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        var file = Path.Combine(Root, name + extension);
        try
        {
            await write(folder, file);
            // Deleted when the response has been sent and the stream is disposed.
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan | FileOptions.DeleteOnClose);
            return TypedResults.Stream(stream, contentType, downloadName);
        }
        catch
        {
            File.Delete(file);
            throw;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
