using System.Text.Json;
using NetTopologySuite.IO.Converters;

namespace SettlementMap.Web.Http;

public static class GeoJson
{
    /// <summary>GeoJSON4STJ for API responses: the "id" attribute becomes the Feature's top-level id.</summary>
    public static JsonSerializerOptions ApiOptions { get; } = new()
    {
        Converters = { new GeoJsonConverterFactory(NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326), false, "id") },
    };
}
