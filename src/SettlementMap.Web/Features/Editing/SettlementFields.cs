using System.Globalization;
using System.Text.Json;
using SettlementMap.Web.Data;
using SettlementMap.Web.Text;

using SettlementMap.Web.Features.Accounts;

namespace SettlementMap.Web.Features.Editing;

public enum FieldKind { Text, WholeNumber, Number, Enum, Date }

/// <summary>
/// One editable settlement attribute: its JSON name, type, bounds and how to read and write it.
/// Values travel normalised: string, int, decimal, enum text or "yyyy-MM-dd".
/// </summary>
public sealed record FieldSpec(
    string Name,
    FieldKind Kind,
    string Group,
    bool Required,
    decimal? Min,
    decimal? Max,
    string? List,
    string? Unit,
    Func<Settlement, object?> Get,
    Action<Settlement, object?> Set);

/// <summary>What the page needs to build the edit form (see /api/config).</summary>
public sealed record FieldDescription(string Name, string Kind, string Group, bool Required, decimal? Min, decimal? Max, string? List, string? Unit);

/// <summary>
/// The editable attributes of a settlement, in the groups of domain.md. Parsing, validation, the
/// audit diff, the restore snapshot and the edit form all come from this one list.
/// </summary>
public static class SettlementFields
{
    public const int MaxTextLength = 200;
    private const int MaxDistanceM = 200_000;

    /// <summary>Properties a client sees in a Feature but cannot set: derived or kept by the server.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "municipality_name_latn", "municipality_name_cyrl", "district_code", "district_name_latn", "district_name_cyrl",
        "area_m2", "centroid_lon", "centroid_lat", "updated_at", "updated_by", "version",
    };

    public static IReadOnlyList<FieldSpec> All { get; } =
    [
        Text("name_latn", "identity", required: true, s => s.NameLatn, (s, v) => s.NameLatn = (string)v!),
        Text("name_cyrl", "identity", required: true, s => s.NameCyrl, (s, v) => s.NameCyrl = (string)v!),
        Enum<SettlementType>("settlement_type", "identity", "settlement_type", s => s.SettlementType, (s, v) => s.SettlementType = v),
        Enum<LocationClass>("location_class", "identity", "location_class", s => s.LocationClass, (s, v) => s.LocationClass = v),
        Whole("decade_founded", "identity", 1800, 2030, null, s => s.DecadeFounded, (s, v) => s.DecadeFounded = v),

        Whole("estimated_inhabitants", "population", 0, 100_000, null, s => s.EstimatedInhabitants, (s, v) => s.EstimatedInhabitants = v),
        Whole("households", "population", 0, 50_000, null, s => s.Households, (s, v) => s.Households = v),
        Whole("population_year", "population", 1950, 2100, null, s => s.PopulationYear, (s, v) => s.PopulationYear = v),
        Text("population_source", "population", required: false, s => s.PopulationSource, (s, v) => s.PopulationSource = (string?)v),

        Whole("dwelling_count", "housing", 0, 50_000, null, s => s.DwellingCount, (s, v) => s.DwellingCount = v),
        Enum<BuildingMaterial>("main_building_material", "housing", "building_material", s => s.MainBuildingMaterial, (s, v) => s.MainBuildingMaterial = v),
        new("substandard_share_pct", FieldKind.Number, "housing", false, 0, 100, null, "%", s => s.SubstandardSharePct, (s, v) => s.SubstandardSharePct = (decimal?)v),
        Enum<YesNo>("overcrowding", "housing", "yes_no", s => s.Overcrowding, (s, v) => s.Overcrowding = v),

        Enum<LegalStatus>("legal_status", "legal", "legal_status", s => s.LegalStatus, (s, v) => s.LegalStatus = v),
        Enum<PlanningDocument>("planning_document", "legal", "planning_document", s => s.PlanningDocument, (s, v) => s.PlanningDocument = v),

        Enum<WaterSupply>("water_supply", "infrastructure", "water_supply", s => s.WaterSupply, (s, v) => s.WaterSupply = v),
        Enum<Sewerage>("sewerage", "infrastructure", "sewerage", s => s.Sewerage, (s, v) => s.Sewerage = v),
        Enum<Electricity>("electricity", "infrastructure", "electricity", s => s.Electricity, (s, v) => s.Electricity = v),
        Enum<Heating>("heating", "infrastructure", "heating", s => s.Heating, (s, v) => s.Heating = v),
        Enum<YesNo>("paved_access_road", "infrastructure", "yes_no", s => s.PavedAccessRoad, (s, v) => s.PavedAccessRoad = v),
        Enum<YesNo>("street_network", "infrastructure", "yes_no", s => s.StreetNetwork, (s, v) => s.StreetNetwork = v),
        Enum<YesNo>("waste_collection", "infrastructure", "yes_no", s => s.WasteCollection, (s, v) => s.WasteCollection = v),
        Enum<YesNo>("street_lighting", "infrastructure", "yes_no", s => s.StreetLighting, (s, v) => s.StreetLighting = v),

        Whole("distance_to_seat_m", "access", 0, MaxDistanceM, "m", s => s.DistanceToSeatM, (s, v) => s.DistanceToSeatM = v),
        Whole("distance_to_primary_school_m", "access", 0, MaxDistanceM, "m", s => s.DistanceToPrimarySchoolM, (s, v) => s.DistanceToPrimarySchoolM = v),
        Whole("distance_to_preschool_m", "access", 0, MaxDistanceM, "m", s => s.DistanceToPreschoolM, (s, v) => s.DistanceToPreschoolM = v),
        Whole("distance_to_health_centre_m", "access", 0, MaxDistanceM, "m", s => s.DistanceToHealthCentreM, (s, v) => s.DistanceToHealthCentreM = v),
        Whole("distance_to_social_work_centre_m", "access", 0, MaxDistanceM, "m", s => s.DistanceToSocialWorkCentreM, (s, v) => s.DistanceToSocialWorkCentreM = v),
        Whole("distance_to_transport_stop_m", "access", 0, MaxDistanceM, "m", s => s.DistanceToTransportStopM, (s, v) => s.DistanceToTransportStopM = v),
        Whole("distance_to_pharmacy_m", "access", 0, MaxDistanceM, "m", s => s.DistanceToPharmacyM, (s, v) => s.DistanceToPharmacyM = v),

        Enum<YesNo>("flood_zone", "risks", "yes_no", s => s.FloodZone, (s, v) => s.FloodZone = v),
        Enum<YesNo>("hazard_nearby", "risks", "yes_no", s => s.HazardNearby, (s, v) => s.HazardNearby = v),
        Enum<YesNo>("eviction_threat", "risks", "yes_no", s => s.EvictionThreat, (s, v) => s.EvictionThreat = v),

        Text("source", "provenance", required: true, s => s.Source, (s, v) => s.Source = (string)v!),
        new("data_collected_on", FieldKind.Date, "provenance", false, null, null, null, null,
            s => s.DataCollectedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            (s, v) => s.DataCollectedOn = v is string d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null),
    ];

    private static readonly Dictionary<string, FieldSpec> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static FieldSpec? Find(string name) => ByName.GetValueOrDefault(name);

    public static IReadOnlyList<FieldDescription> Describe() =>
        [.. All.Select(f => new FieldDescription(f.Name, JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Kind.ToString()), f.Group, f.Required, f.Min, f.Max, f.List, f.Unit))];

    /// <summary>Every editable attribute plus the keys (code, municipality) as one JSON-ready map: the audit snapshot.</summary>
    public static SortedDictionary<string, object?> Snapshot(Settlement settlement, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["code"] = settlement.Code,
            ["municipality_code"] = municipalityCode,
        };
        foreach (var field in All)
        {
            values[field.Name] = field.Get(settlement);
        }
        return values;
    }

    /// <summary>
    /// Reads one JSON value for a field. Returns false with a message naming what is wrong; the
    /// settlement is not touched here.
    /// </summary>
    public static bool TryRead(FieldSpec field, JsonElement value, out object? result, out RuleError? error)
    {
        ArgumentNullException.ThrowIfNull(field);
        result = null;
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (field.Required || field.Kind == FieldKind.Enum)
            {
                error = field.Kind == FieldKind.Enum
                    ? new RuleError(SettlementRules.Required, $"{field.Name} cannot be empty; use 'unknown' when it is not known.")
                    : new RuleError(SettlementRules.Required, $"{field.Name} is required.");
                return false;
            }
            return true;
        }
        switch (field.Kind)
        {
            case FieldKind.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    error = Invalid($"{field.Name} must be text; got {Describe(value)}.");
                    return false;
                }
                return TryReadText(field, JsonStrings.Get(value), out result, out error);
            case FieldKind.WholeNumber:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var whole))
                {
                    error = Invalid($"{field.Name} must be a whole number from {field.Min} to {field.Max}; got {Describe(value)}.");
                    return false;
                }
                if (whole < field.Min || whole > field.Max)
                {
                    error = Invalid($"{field.Name} must be from {field.Min} to {field.Max}{UnitSuffix(field)}; got {whole}.");
                    return false;
                }
                if (field.Name == "decade_founded" && whole % 10 != 0)
                {
                    error = Invalid($"decade_founded is the first year of a decade, such as 1970; got {whole}.");
                    return false;
                }
                result = whole;
                return true;
            case FieldKind.Number:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
                {
                    error = Invalid($"{field.Name} must be a number from {field.Min} to {field.Max}; got {Describe(value)}.");
                    return false;
                }
                if (number < field.Min || number > field.Max)
                {
                    error = Invalid($"{field.Name} must be from {field.Min} to {field.Max}{UnitSuffix(field)}; got {number.ToString(CultureInfo.InvariantCulture)}.");
                    return false;
                }
                if (decimal.Round(number, 2) != number)
                {
                    error = Invalid($"{field.Name} takes at most two decimals; got {number.ToString(CultureInfo.InvariantCulture)}.");
                    return false;
                }
                result = number;
                return true;
            case FieldKind.Enum:
                var allowed = EnumValues(field.List!);
                if (value.ValueKind != JsonValueKind.String || !allowed.Contains(JsonStrings.Get(value)))
                {
                    error = Invalid($"{field.Name} must be one of {string.Join(", ", allowed)}; got {Describe(value)}.");
                    return false;
                }
                result = JsonStrings.Get(value);
                return true;
            case FieldKind.Date:
                if (value.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(JsonStrings.Get(value), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    error = Invalid($"{field.Name} must be a date written yyyy-MM-dd; got {Describe(value)}.");
                    return false;
                }
                if (date > DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)))
                {
                    error = Invalid($"{field.Name} cannot be in the future.");
                    return false;
                }
                result = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return true;
            default:
                throw new InvalidOperationException($"Unhandled field kind {field.Kind}.");
        }
    }

    /// <summary>
    /// A text value, from JSON or from an import's cell: cleaned by <see cref="SettlementRules.CleanText"/>;
    /// names also need a letter. Empty is null (refused when the field is required).
    /// </summary>
    public static bool TryReadText(FieldSpec field, string raw, out object? result, out RuleError? error)
    {
        ArgumentNullException.ThrowIfNull(field);
        result = null;
        error = SettlementRules.CleanText(field.Name, raw, MaxTextLength, out var text);
        if (error is null && text is null && field.Required)
        {
            error = new RuleError(SettlementRules.Required, $"{field.Name} is required.");
        }
        if (error is null && text is not null && field.Name is "name_latn" or "name_cyrl")
        {
            error = SettlementRules.CheckName(field.Name, text);
        }
        result = error is null ? text : null;
        return error is null;
    }

    /// <summary>A value of the wrong type, out of range or not in its list.</summary>
    public const string InvalidValue = "value.invalid";

    private static RuleError Invalid(string message) => new(InvalidValue, message);

    /// <summary>Rules between fields, checked after every field was read.</summary>
    public static IEnumerable<(string Field, string Message)> CrossFieldErrors(Settlement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Households > s.EstimatedInhabitants)
        {
            yield return ("households", $"households ({s.Households}) cannot exceed estimated_inhabitants ({s.EstimatedInhabitants}).");
        }
        if (s.PopulationYear > DateTime.UtcNow.Year)
        {
            yield return ("population_year", $"population_year cannot be in the future; got {s.PopulationYear}.");
        }
    }

    private static string UnitSuffix(FieldSpec field) => field.Unit is null ? "" : " " + field.Unit;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{Truncate(JsonStrings.Get(value))}'",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text) => SettlementRules.Printable(text.Length <= 40 ? text : text[..40] + "…");

    private static readonly Dictionary<string, IReadOnlyList<string>> EnumLists = new(StringComparer.Ordinal)
    {
        ["settlement_type"] = EnumText.Values<SettlementType>(),
        ["location_class"] = EnumText.Values<LocationClass>(),
        ["building_material"] = EnumText.Values<BuildingMaterial>(),
        ["legal_status"] = EnumText.Values<LegalStatus>(),
        ["planning_document"] = EnumText.Values<PlanningDocument>(),
        ["water_supply"] = EnumText.Values<WaterSupply>(),
        ["sewerage"] = EnumText.Values<Sewerage>(),
        ["electricity"] = EnumText.Values<Electricity>(),
        ["heating"] = EnumText.Values<Heating>(),
        ["yes_no"] = EnumText.Values<YesNo>(),
    };

    /// <summary>The closed lists of domain.md by name, in their order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ClosedLists => EnumLists;

    public static IReadOnlyList<string> EnumValues(string list) => EnumLists[list];

    private static FieldSpec Text(string name, string group, bool required, Func<Settlement, string?> get, Action<Settlement, object?> set) =>
        new(name, FieldKind.Text, group, required, null, null, null, null, get, set);

    private static FieldSpec Whole(string name, string group, int min, int max, string? unit, Func<Settlement, int?> get, Action<Settlement, int?> set) =>
        new(name, FieldKind.WholeNumber, group, false, min, max, null, unit, s => get(s), (s, v) => set(s, (int?)v));

    private static FieldSpec Enum<TEnum>(string name, string group, string list, Func<Settlement, TEnum> get, Action<Settlement, TEnum> set)
        where TEnum : struct, System.Enum =>
        new(name, FieldKind.Enum, group, true, null, null, list, null, s => EnumText.ToText(get(s)), (s, v) => set(s, EnumText.Parse<TEnum>((string)v!)));
}
