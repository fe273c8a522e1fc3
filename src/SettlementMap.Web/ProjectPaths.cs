namespace SettlementMap.Web;

/// <summary>
/// Where the repository's shared folders are: wwwroot/, data/, node_modules/ and .data/ live at the
/// repository root, beside src/. SETTLEMENTMAP_ROOT overrides the search (the container image sets it).
/// </summary>
public sealed record ProjectPaths(string Root)
{
    public string WebRoot => Path.Combine(Root, "wwwroot");
    public string Data => Path.Combine(Root, "data");
    public string NodeModules => Path.Combine(Root, "node_modules");
    public string LocalState => Path.Combine(Root, ".data");

    public static ProjectPaths Find(params string?[] startDirectories)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SETTLEMENTMAP_ROOT");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new ProjectPaths(Path.GetFullPath(fromEnvironment));
        }
        foreach (var start in startDirectories.Append(Directory.GetCurrentDirectory()).Append(AppContext.BaseDirectory))
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "wwwroot")) && Directory.Exists(Path.Combine(dir.FullName, "data")))
                {
                    return new ProjectPaths(dir.FullName);
                }
            }
        }
        throw new DirectoryNotFoundException(
            "Cannot find the SettlementMap folder (with wwwroot/ and data/); set SETTLEMENTMAP_ROOT.");
    }
}
