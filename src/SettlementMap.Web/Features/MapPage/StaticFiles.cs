using Microsoft.Extensions.FileProviders;

namespace SettlementMap.Web.Features.MapPage;

public static class StaticFiles
{
    /// <summary>
    /// Serves wwwroot and, under /vendor/leaflet, Leaflet's dist folder from node_modules (installed by
    /// the set-up, never committed, no CDN).
    /// </summary>
    public static WebApplication UseMapPageFiles(this WebApplication app, ProjectPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        var leaflet = Path.Combine(paths.NodeModules, "leaflet", "dist");
        if (Directory.Exists(leaflet))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(leaflet), RequestPath = "/vendor/leaflet" });
        }
        else
        {
            app.Logger.LogWarning("Leaflet is missing ({Path}): run npm ci in {Root}", leaflet, paths.Root);
        }
        return app;
    }
}
