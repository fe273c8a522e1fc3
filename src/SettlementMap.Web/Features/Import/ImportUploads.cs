using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Import;

/// <summary>
/// Where an uploaded file waits between its upload, its dry runs and its apply. Behind a load balancer
/// those requests may reach different instances of the app, so with more than one instance
/// Import:UploadDirectory must name a directory they all mount (docker-compose.yml shares a volume);
/// alone, the app keeps them in .data/imports. A file is found by its import's id and name, never by
/// the path the uploading instance saw, so instances may mount the directory in different places.
/// </summary>
public sealed class ImportUploads(ProjectPaths paths, IConfiguration configuration)
{
    public const string DirectorySetting = "Import:UploadDirectory";

    /// <summary>How long an uploaded file waits for its apply before it is removed (its report stays readable).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(2);

    public string Root => configuration[DirectorySetting] is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.Combine(paths.LocalState, "imports");

    public string Folder(Guid id) => Path.Combine(Root, id.ToString("N"));

    /// <summary>The file of an import that still has one (StoredPath is null once applied or removed).</summary>
    public string? FileOf(ImportRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.StoredPath is null ? null : Path.Combine(Folder(record.Id), record.FileName);
    }

    /// <summary>Uploads never applied are removed after a while, so abandoned dry runs do not fill the disk.</summary>
    public void RemoveStale(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (!Directory.Exists(Root))
        {
            return;
        }
        foreach (var folder in new DirectoryInfo(Root).EnumerateDirectories())
        {
            // A folder that a concurrent request (of this or another instance) removed reads as written in
            // 1601: housekeeping must not turn that race into a failed upload, so a folder already gone is skipped.
            try
            {
                if (folder.Exists && folder.LastWriteTimeUtc < clock.GetUtcNow().UtcDateTime - KeptFor)
                {
                    folder.Delete(recursive: true);
                }
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}
