using SettlementMap.Web.Geo;

namespace SettlementMap.Web.Features.Layers;

/// <summary>Filters of the settlements layer, already validated; enum values are their stored text.</summary>
public sealed record SettlementLayerFilter(
    BoundingBox? Bbox,
    string? Municipality,
    string? District,
    string[]? WaterSupply,
    string[]? Sewerage,
    string[]? Electricity,
    string[]? LegalStatus,
    string[]? FloodZone,
    string[]? HazardNearby,
    string[]? EvictionThreat,
    int? MinInhabitants,
    int? MaxInhabitants,
    int? Zoom);

public sealed record MunicipalityLayerFilter(BoundingBox? Bbox, string? Municipality, string? District, int? Zoom);
