using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SettlementMap.Web.Features.Offline;

/// <summary>The files of the app shell the service worker (wwwroot/sw.js) keeps for offline use.</summary>
/// <param name="Files">Page-relative URLs: "./" (the map page), every file under wwwroot, and the vendor files the pages and modules name.</param>
public sealed record ShellFiles(IReadOnlyList<string> Files);

public static partial class OfflineApi
{
    public static IEndpointRouteBuilder MapOfflineApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/offline/shell", GetShellFiles).WithTags("Offline").WithName(nameof(GetShellFiles))
            .WithSummary("The app shell's files, which the service worker precaches");
        return app;
    }

    public static Ok<ShellFiles> GetShellFiles(ProjectPaths paths, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The worker fetches it when it installs: always the deployed files, never a stored copy.
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(new ShellFiles(Shell(paths)));
    }

    /// <summary>
    /// Read from the files themselves, so the list is never kept by hand: wwwroot as served, and the
    /// vendor files (served from node_modules, see StaticFiles) that wwwroot's pages and modules name.
    /// </summary>
    public static IReadOnlyList<string> Shell(ProjectPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var root = new DirectoryInfo(paths.WebRoot);
        var own = root.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => !f.Name.StartsWith('.'))
            .Select(f => Path.GetRelativePath(root.FullName, f.FullName).Replace('\\', '/'))
            .ToList();
        var vendor = own.Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal))
            .SelectMany(f => VendorReference().Matches(File.ReadAllText(Path.Combine(root.FullName, f))).Select(m => m.Groups["path"].Value));
        return ["./", .. own.Concat(vendor).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    // "vendor/leaflet/leaflet.js" in a page, "../vendor/pbf/index.js" in a module: the path from vendor/ on.
    [GeneratedRegex(@"[""'](?:\.\./|/)?(?<path>vendor/[A-Za-z0-9_./-]+\.(?:js|css))[""']", RegexOptions.CultureInvariant)]
    private static partial Regex VendorReference();
}
