using System.Text.RegularExpressions;
using SettlementMap.Web;

namespace SettlementMap.Tests.Architecture;

/// <summary>
/// A feature's API class (Features/X/*Api) is its endpoints: no other feature, and none of the shared
/// folders (Http, Data, Geo…), calls into it; what two features share lives in a module both use
/// (the settlement SQL and filters, LayerETags, CoverageQueries). Program.cs alone maps them all.
/// </summary>
public sealed partial class FeatureBoundaryTests
{
    private const string FeaturesNamespace = "SettlementMap.Web.Features.";

    /// <summary>Every *Api class of a feature, with the feature (the folder under Features/) it belongs to.</summary>
    private static Dictionary<string, string> ApiClasses() =>
        typeof(ProjectPaths).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith(FeaturesNamespace, StringComparison.Ordinal) == true && t.Name.EndsWith("Api", StringComparison.Ordinal) && !t.IsNested)
            .ToDictionary(t => t.Name, t => t.Namespace![FeaturesNamespace.Length..].Split('.')[0], StringComparer.Ordinal);

    /// <summary>Each C# source file of the app with the feature it belongs to ("" outside Features/), and the *Api classes it names.</summary>
    private static IEnumerable<(string File, string Owner, List<(string Api, string Feature)> Named)> Sources()
    {
        var apis = ApiClasses();
        var source = Path.Combine(ProjectPaths.Find().Root, "src", "SettlementMap.Web");
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var relative = Path.GetRelativePath(source, file).Split(Path.DirectorySeparatorChar);
            var owner = relative is ["Features", var feature, ..] ? feature : "";
            yield return (string.Join('/', relative), owner, Named(File.ReadAllText(file), apis));
        }
    }

    private static List<(string Api, string Feature)> Named(string text, Dictionary<string, string> apis) =>
        [.. Identifier().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).Where(apis.ContainsKey).Select(api => (api, apis[api]))];

    [Fact]
    public void No_feature_and_no_shared_folder_names_another_feature_s_api_class()
    {
        var crossings = Sources()
            .Where(s => s.File != "Program.cs")
            .SelectMany(s => s.Named.Where(n => n.Feature != s.Owner).Select(n => $"{s.File} names {n.Api} of Features/{n.Feature}"))
            .ToList();
        Assert.Empty(crossings);
    }

    /// <summary>The scan sees a call, a nameof and a cref, and not a MapXxxApi extension (Program.cs's, which names no class).</summary>
    [Fact]
    public void The_scan_finds_what_names_an_api_class()
    {
        var apis = ApiClasses();
        Assert.Equal("Layers", apis["LayersApi"]);
        Assert.Equal("Tiles", apis["TilesApi"]);
        Assert.Equal([("LayersApi", "Layers")], Named("var f = await LayersApi.ReadAsync(q);", apis));
        Assert.Equal([("TilesApi", "Tiles")], Named("[nameof(TilesApi.GetSettlementTile)] = x; /// <see cref=\"TilesApi\"/>", apis));
        Assert.Empty(Named("app.MapLayersApi(); app.MapTilesApi();", apis));
    }

    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*Api\b")]
    private static partial Regex Identifier();
}
