using SettlementMap.Web.Geo;

namespace SettlementMap.Web.Features.Layers;

/// <summary>Filters of the municipalities layer, already validated.</summary>
public sealed record MunicipalityLayerFilter(BoundingBox? Bbox, string? Municipality, string? District, int? Zoom);
