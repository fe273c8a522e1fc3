using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.MapPage;

/// <summary>Settings the page needs from the server, e.g. the base map, which deployments change.</summary>
/// <param name="BaseLayer">The tile layer under the map; null when none is configured.</param>
/// <param name="DataNotice">The notice by language tag (en, sr-Latn, sr-Cyrl); "" holds a notice for every language.</param>
/// <param name="Attributes">Every attribute of a settlement this viewer sees (SettlementSchema, in its order) with its labels: the details panel, the edit form, filters, themes and the page's labels come from it.</param>
/// <param name="Lists">Every closed list with its values' labels.</param>
/// <param name="Groups">The attribute groups, in order, with their labels.</param>
/// <param name="TileThreshold">Above this many settlements the map draws vector tiles instead of one GeoJSON layer (Map:TileThreshold).</param>
/// <param name="ViewerLevel">What this viewer sees: public, signed_in or administrators (a coordinator sees everything in their own municipalities).</param>
/// <param name="Generalisation">How small settlements are generalised for this viewer; null when they are not.</param>
/// <param name="UnplannedAttributes">The attributes the filter "lacking … with no measure planned" (unplanned=attribute:target) takes, of those this viewer sees.</param>
public sealed record MapConfig(
    BaseLayerConfig? BaseLayer,
    IReadOnlyDictionary<string, string> DataNotice,
    IReadOnlyList<AttributeDescription> Attributes,
    IReadOnlyDictionary<string, IReadOnlyList<ListValue>> Lists,
    IReadOnlyList<AttributeGroup> Groups,
    int TileThreshold,
    string ViewerLevel,
    GeneralisationView? Generalisation,
    IReadOnlyList<string> UnplannedAttributes);

/// <summary>One attribute of <see cref="SettlementSchema"/> as the page reads it.</summary>
public sealed record AttributeDescription(
    string Name, AttributeType Type, string Group, string? Unit, NumberFormat Format, decimal? Min, decimal? Max, string? List,
    bool Editable, bool Required, IReadOnlyList<string> Outputs, Label Label, Label Description);

public sealed record BaseLayerConfig(string UrlTemplate, string Attribution, int MaxZoom);

public static class MapPageApi
{
    private static readonly IReadOnlyList<(AttributeDefinition Definition, AttributeDescription Description)> Attributes = [.. SettlementSchema.Attributes.Select(a => (a, new AttributeDescription(
        a.Name, a.Type, a.Group.Name, a.Unit, a.Format, a.Min, a.Max, a.List?.Name, a.Editable, a.Required,
        [.. Enum.GetValues<Outputs>().Where(o => o != Outputs.None && a.In(o)).Select(o => JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString()))],
        a.Label, a.Description)))];

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

    public static async Task<Ok<MapConfig>> GetMapConfig(IConfiguration configuration, HttpContext context)
    {
        var disclosure = await DisclosurePolicies.OfAsync(context);
        // It differs by viewer: no shared cache may keep it.
        context.Response.Headers.CacheControl = "private, no-cache";
        var url = configuration[BaseLayerUrlSetting];
        var baseLayer = string.IsNullOrWhiteSpace(url)
            ? null
            : new BaseLayerConfig(url, configuration["Map:BaseLayer:Attribution"] ?? "", configuration.GetValue("Map:BaseLayer:MaxZoom", 19));
        var generalisation = disclosure.Policy.Generalisation;
        return TypedResults.Ok(new MapConfig(baseLayer, DataNotice(configuration.GetSection("Map:DataNotice")),
            [.. Attributes.Where(a => disclosure.Shows(a.Definition)).Select(a => a.Description)], Lists, SettlementSchema.Groups,
            configuration.GetValue("Map:TileThreshold", 20_000), disclosure.Viewer.Level.ToText(),
            disclosure.Generalises ? new GeneralisationView(true, generalisation.Threshold, generalisation.RadiusM) : null,
            [.. UnplannedTarget.Attributes.Where(a => !disclosure.Hides(a))]));
    }

    /// <summary>Map:DataNotice is either one text or a section of texts by language tag.</summary>
    private static Dictionary<string, string> DataNotice(IConfigurationSection section) =>
        section.Value is { } single
            ? new(StringComparer.Ordinal) { [""] = single }
            : section.GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
}
