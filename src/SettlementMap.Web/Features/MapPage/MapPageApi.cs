using Microsoft.AspNetCore.Http.HttpResults;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.MapPage;

/// <summary>Settings the page needs from the server, e.g. the base map, which deployments change.</summary>
/// <param name="BaseLayer">The tile layer under the map; null when none is configured.</param>
/// <param name="DataNotice">The notice by language tag (en, sr-Latn, sr-Cyrl); "" holds a notice for every language.</param>
/// <param name="ClosedLists">Every closed list of domain.md with its values in order: the page builds its filters and labels from them.</param>
/// <param name="SettlementLists">Which closed list each enumerated settlement attribute takes its values from.</param>
/// <param name="EditableFields">The attributes an editor may set, with bounds and units, in the groups of domain.md.</param>
/// <param name="TileThreshold">Above this many settlements the map draws vector tiles instead of one GeoJSON layer (Map:TileThreshold).</param>
public sealed record MapConfig(
    BaseLayerConfig? BaseLayer,
    IReadOnlyDictionary<string, string> DataNotice,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ClosedLists,
    IReadOnlyDictionary<string, string> SettlementLists,
    IReadOnlyList<FieldDescription> EditableFields,
    int TileThreshold);

public sealed record BaseLayerConfig(string UrlTemplate, string Attribution, int MaxZoom);

public static class MapPageApi
{
    private static readonly Dictionary<string, string> SettlementLists = SettlementFields.All
        .Where(f => f.Kind == FieldKind.Enum)
        .ToDictionary(f => f.Name, f => f.List!, StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapMapPageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/config", GetMapConfig).WithTags("Map page").WithName(nameof(GetMapConfig))
            .WithSummary("Base map, notices and the closed lists for the web map");
        return app;
    }

    /// <summary>The base map's tile URL template: the page draws it, and the Content-Security-Policy allows its host.</summary>
    public const string BaseLayerUrlSetting = "Map:BaseLayer:Url";

    public static Ok<MapConfig> GetMapConfig(IConfiguration configuration)
    {
        var url = configuration[BaseLayerUrlSetting];
        var baseLayer = string.IsNullOrWhiteSpace(url)
            ? null
            : new BaseLayerConfig(url, configuration["Map:BaseLayer:Attribution"] ?? "", configuration.GetValue("Map:BaseLayer:MaxZoom", 19));
        return TypedResults.Ok(new MapConfig(baseLayer, DataNotice(configuration.GetSection("Map:DataNotice")), SettlementFields.ClosedLists, SettlementLists, SettlementFields.Describe(),
            configuration.GetValue("Map:TileThreshold", 20_000)));
    }

    /// <summary>Map:DataNotice is either one text or a section of texts by language tag.</summary>
    private static Dictionary<string, string> DataNotice(IConfigurationSection section) =>
        section.Value is { } single
            ? new(StringComparer.Ordinal) { [""] = single }
            : section.GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
}
