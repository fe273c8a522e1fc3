using Microsoft.AspNetCore.Http.HttpResults;

namespace SettlementMap.Web.Features.MapPage;

/// <summary>Settings the page needs from the server, e.g. the base map, which deployments change.</summary>
public sealed record MapConfig(BaseLayerConfig? BaseLayer, string DataNotice);

public sealed record BaseLayerConfig(string UrlTemplate, string Attribution, int MaxZoom);

public static class MapPageApi
{
    public static IEndpointRouteBuilder MapMapPageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/config", GetMapConfig).WithTags("Map page").WithName(nameof(GetMapConfig))
            .WithSummary("Base map and notices for the web map");
        return app;
    }

    public static Ok<MapConfig> GetMapConfig(IConfiguration configuration)
    {
        var url = configuration["Map:BaseLayer:Url"];
        var baseLayer = string.IsNullOrWhiteSpace(url)
            ? null
            : new BaseLayerConfig(url, configuration["Map:BaseLayer:Attribution"] ?? "", configuration.GetValue("Map:BaseLayer:MaxZoom", 19));
        return TypedResults.Ok(new MapConfig(baseLayer, configuration["Map:DataNotice"] ?? ""));
    }
}
