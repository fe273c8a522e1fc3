using Microsoft.Extensions.FileProviders;

namespace SettlementMap.Web.Features.MapPage;

public static class StaticFiles
{
    /// <summary>
    /// npm packages the page loads: their dist folder in node_modules → the path the page asks for
    /// (pbf's ES module, which the tile worker imports, is the package's own index.js).
    /// </summary>
    private static readonly (string Package, string RequestPath)[] Vendor =
    [
        ("leaflet/dist", "/vendor/leaflet"),
        ("@geoman-io/leaflet-geoman-free/dist", "/vendor/leaflet-geoman"),
        ("pbf", "/vendor/pbf"),
        ("uplot/dist", "/vendor/uplot"),
    ];

    /// <summary>
    /// Serves wwwroot and, under /vendor, the folders of the npm packages the page uses
    /// (installed by the set-up, never committed, no CDN).
    /// </summary>
    public static WebApplication UseMapPageFiles(this WebApplication app, ProjectPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        foreach (var (package, requestPath) in Vendor)
        {
            var folder = Path.Combine(paths.NodeModules, package);
            if (Directory.Exists(folder))
            {
                app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = requestPath });
            }
            else
            {
                app.Logger.LogWarning("{Package} is missing ({Path}): run npm ci in {Root}", package, folder, paths.Root);
            }
        }
        return app;
    }
}
