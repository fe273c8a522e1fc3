using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.MapPage;

/// <summary>Settings the page needs from the server, e.g. the base map, which deployments change.</summary>
/// <param name="BaseLayer">The tile layer under the map; null when none is configured.</param>
/// <param name="DataNotice">The notice by language tag (en, sr-Latn, sr-Cyrl); "" holds a notice for every language.</param>
/// <param name="Attributes">Every attribute of a settlement (SettlementSchema, in its order) with its labels: the details panel, the edit form and the page's labels come from it.</param>
/// <param name="Lists">Every closed list with its values' labels.</param>
/// <param name="Groups">The attribute groups, in order, with their labels.</param>
/// <param name="TileThreshold">Above this many settlements the map draws vector tiles instead of one GeoJSON layer (Map:TileThreshold).</param>
public sealed record MapConfig(
    BaseLayerConfig? BaseLayer,
    IReadOnlyDictionary<string, string> DataNotice,
    IReadOnlyList<AttributeDescription> Attributes,
    IReadOnlyDictionary<string, IReadOnlyList<ListValue>> Lists,
    IReadOnlyList<AttributeGroup> Groups,
    int TileThreshold);

/// <summary>One attribute of <see cref="SettlementSchema"/> as the page reads it.</summary>
public sealed record AttributeDescription(
    string Name, AttributeType Type, string Group, string? Unit, NumberFormat Format, decimal? Min, decimal? Max, string? List,
    bool Editable, bool Required, IReadOnlyList<string> Outputs, Label Label, Label Description);

public sealed record BaseLayerConfig(string UrlTemplate, string Attribution, int MaxZoom);

public static class MapPageApi
{
    private static readonly IReadOnlyList<AttributeDescription> Attributes = [.. SettlementSchema.Attributes.Select(a => new AttributeDescription(
        a.Name, a.Type, a.Group.Name, a.Unit, a.Format, a.Min, a.Max, a.List?.Name, a.Editable, a.Required,
        [.. Enum.GetValues<Outputs>().Where(o => o != Outputs.None && a.In(o)).Select(o => JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString()))],
        a.Label, a.Description))];

    private static readonly Dictionary<string, IReadOnlyList<ListValue>> Lists =
        SettlementSchema.ClosedLists.ToDictionary(l => l.Name, l => l.Values, StringComparer.Ordinal);

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
        return TypedResults.Ok(new MapConfig(baseLayer, DataNotice(configuration.GetSection("Map:DataNotice")), Attributes, Lists, SettlementSchema.Groups,
            configuration.GetValue("Map:TileThreshold", 20_000)));
    }

    /// <summary>Map:DataNotice is either one text or a section of texts by language tag.</summary>
    private static Dictionary<string, string> DataNotice(IConfigurationSection section) =>
        section.Value is { } single
            ? new(StringComparer.Ordinal) { [""] = single }
            : section.GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
}
