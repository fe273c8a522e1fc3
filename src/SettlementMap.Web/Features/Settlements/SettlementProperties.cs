using System.Globalization;
using NetTopologySuite.Features;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>Every attribute of a settlement as GeoJSON properties, grouped as in domain.md.</summary>
public static class SettlementProperties
{
    public static AttributesTable From(Settlement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var m = s.Municipality ?? throw new InvalidOperationException("Load the settlement with its municipality.");
        return new AttributesTable
        {
            // identity
            { "id", s.Id },
            { "code", s.Code },
            { "name_latn", s.NameLatn },
            { "name_cyrl", s.NameCyrl },
            { "municipality_code", m.Code },
            { "municipality_name_latn", m.NameLatn },
            { "municipality_name_cyrl", m.NameCyrl },
            { "district_code", m.District?.Code },
            { "district_name_latn", m.District?.NameLatn },
            { "district_name_cyrl", m.District?.NameCyrl },
            { "settlement_type", EnumText.ToText(s.SettlementType) },
            { "location_class", EnumText.ToText(s.LocationClass) },
            { "decade_founded", s.DecadeFounded },
            // geometry, derived
            { "area_m2", Math.Round(s.AreaM2, 1) },
            { "centroid_lon", s.Centroid is null ? null : Math.Round(s.Centroid.X, 6) },
            { "centroid_lat", s.Centroid is null ? null : Math.Round(s.Centroid.Y, 6) },
            // population
            { "estimated_inhabitants", s.EstimatedInhabitants },
            { "households", s.Households },
            { "population_year", s.PopulationYear },
            { "population_source", s.PopulationSource },
            // housing
            { "dwelling_count", s.DwellingCount },
            { "main_building_material", EnumText.ToText(s.MainBuildingMaterial) },
            { "substandard_share_pct", s.SubstandardSharePct },
            { "legal_status", EnumText.ToText(s.LegalStatus) },
            { "overcrowding", EnumText.ToText(s.Overcrowding) },
            { "planning_document", EnumText.ToText(s.PlanningDocument) },
            // infrastructure
            { "water_supply", EnumText.ToText(s.WaterSupply) },
            { "sewerage", EnumText.ToText(s.Sewerage) },
            { "electricity", EnumText.ToText(s.Electricity) },
            { "heating", EnumText.ToText(s.Heating) },
            { "paved_access_road", EnumText.ToText(s.PavedAccessRoad) },
            { "street_network", EnumText.ToText(s.StreetNetwork) },
            { "waste_collection", EnumText.ToText(s.WasteCollection) },
            { "street_lighting", EnumText.ToText(s.StreetLighting) },
            // service access (metres)
            { "distance_to_seat_m", s.DistanceToSeatM },
            { "distance_to_primary_school_m", s.DistanceToPrimarySchoolM },
            { "distance_to_preschool_m", s.DistanceToPreschoolM },
            { "distance_to_health_centre_m", s.DistanceToHealthCentreM },
            { "distance_to_social_work_centre_m", s.DistanceToSocialWorkCentreM },
            { "distance_to_transport_stop_m", s.DistanceToTransportStopM },
            { "distance_to_pharmacy_m", s.DistanceToPharmacyM },
            // risks
            { "flood_zone", EnumText.ToText(s.FloodZone) },
            { "hazard_nearby", EnumText.ToText(s.HazardNearby) },
            { "eviction_threat", EnumText.ToText(s.EvictionThreat) },
            // provenance
            { "source", s.Source },
            { "data_collected_on", s.DataCollectedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            { "updated_at", s.UpdatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
            { "updated_by", s.UpdatedBy },
            { "version", s.Version },
        };
    }
}
