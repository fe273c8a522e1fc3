using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>
/// Filters of the settlements, already validated; enum values are their stored text. <paramref name="Disclosure"/>
/// is what the viewer may see: the filters compare only that (null: everything, for the command line and SQL tests).
/// <paramref name="Time"/>: the settlements as they were then (as_of), or null for the current ones.
/// </summary>
public sealed record SettlementFilter(
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
    int? Zoom,
    Disclosure? Disclosure = null,
    History.SettlementTime? Time = null,
    UnplannedTarget? Unplanned = null)
{
    /// <summary>What the viewer may see (everything when the filter was made without a request).</summary>
    public Disclosure Shown => Disclosure ?? Disclosure.Everything;
}

/// <summary>
/// "Lacking X with no measure planned": the settlement's <paramref name="Attribute"/> (as the viewer sees it) is known and
/// not <paramref name="Target"/>, and no measure that is not dropped aims at that attribute and names the settlement.
/// Measures are taken as they are now, also with as_of: the question is what is planned today for what was lacking then.
/// </summary>
public sealed record UnplannedTarget(string Attribute, string Target)
{
    /// <summary>The attributes it takes: the coded ones the filters compare, so the target is one of their values.</summary>
    public static IReadOnlyList<string> Attributes { get; } =
        [.. SettlementSql.FilterColumns.Where(c => c != SettlementSchema.EstimatedInhabitants)];

    /// <summary>Reads "attribute:value" (e.g. water_supply:network); a bad one is an error naming the parameter.</summary>
    public static UnplannedTarget? Read(QueryParameters query, string name, string? text, Disclosure disclosure)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(disclosure);
        if (text is null)
        {
            return null;
        }
        var parts = text.Split(':');
        // A hidden attribute is as unknown as a missing one, so the filter cannot be used to infer its values.
        if (text.Length > 64 || parts.Length != 2 || !Attributes.Contains(parts[0]) || disclosure.Hides(parts[0]))
        {
            query.AddError(name, $"{name} is attribute:value with attribute one of {string.Join(", ", Attributes.Where(a => !disclosure.Hides(a)))} (e.g. water_supply:network).");
            return null;
        }
        var values = parts[0] switch
        {
            "water_supply" => query.EnumValues<Data.WaterSupply>(name, parts[1]),
            "sewerage" => query.EnumValues<Data.Sewerage>(name, parts[1]),
            "electricity" => query.EnumValues<Data.Electricity>(name, parts[1]),
            "legal_status" => query.EnumValues<Data.LegalStatus>(name, parts[1]),
            _ => query.EnumValues<YesNo>(name, parts[1]),
        };
        if (values is not [var target])
        {
            if (values is not null)
            {
                query.AddError(name, $"{name} takes one target value.");
            }
            return null;
        }
        return new UnplannedTarget(parts[0], target);
    }
}

/// <summary>
/// The settlement filters as the query string gives them, bound with [AsParameters] by every
/// endpoint that takes them (the tiles take these; <see cref="SettlementAreaQuery"/> adds bbox,
/// <see cref="SettlementLayerQuery"/> zoom), so OpenAPI describes what is read. Text, not typed values:
/// <see cref="ReadAsync"/> checks them, so a bad value is a 400 naming every bad parameter, as before.
/// A parameter given twice arrives comma-joined (water_supply=wells&amp;water_supply=none is wells,none).
/// </summary>
public class SettlementFilterQuery
{
    [FromQuery(Name = "municipality")]
    public string? Municipality { get; set; }

    [FromQuery(Name = "district")]
    public string? District { get; set; }

    [FromQuery(Name = "water_supply")]
    public string? WaterSupply { get; set; }

    [FromQuery(Name = "sewerage")]
    public string? Sewerage { get; set; }

    [FromQuery(Name = "electricity")]
    public string? Electricity { get; set; }

    [FromQuery(Name = "legal_status")]
    public string? LegalStatus { get; set; }

    [FromQuery(Name = "flood_zone")]
    public string? FloodZone { get; set; }

    [FromQuery(Name = "hazard_nearby")]
    public string? HazardNearby { get; set; }

    [FromQuery(Name = "eviction_threat")]
    public string? EvictionThreat { get; set; }

    [FromQuery(Name = "min_inhabitants")]
    public string? MinInhabitants { get; set; }

    [FromQuery(Name = "max_inhabitants")]
    public string? MaxInhabitants { get; set; }

    /// <summary>The settlements as they were at this instant (Features/History): a date (its end, UTC) or an RFC 3339 date-time.</summary>
    /// <summary>"Lacking X with no measure planned": attribute:target, e.g. water_supply:network (<see cref="UnplannedTarget"/>).</summary>
    [FromQuery(Name = "unplanned")]
    public string? Unplanned { get; set; }

    [FromQuery(Name = "as_of")]
    public string? AsOf { get; set; }

    /// <summary>The parameters bound here, in the order an unknown one's problem lists them.</summary>
    public virtual IReadOnlyList<string> Names() => FilterNames;

    private static readonly string[] FilterNames =
        ["municipality", "district", "water_supply", "sewerage", "electricity", "legal_status", "flood_zone", "hazard_nearby", "eviction_threat", "min_inhabitants", "max_inhabitants", "unplanned", "as_of"];

    protected virtual string? BboxText() => null;

    protected virtual string? ZoomText() => null;

    /// <summary>The attribute a filter parameter compares (its own name, or the inhabitants for the bounds).</summary>
    public static string AttributeOf(string parameter) =>
        parameter is "min_inhabitants" or "max_inhabitants" ? SettlementSchema.EstimatedInhabitants : parameter;

    /// <summary>
    /// The filter, with every bad parameter added to <paramref name="query"/>: an unknown one (the
    /// request's keys against <see cref="Names"/> and the endpoint's <paramref name="alsoKnown"/>; a filter
    /// on an attribute hidden from this viewer is unknown too, so it cannot be used to infer the values),
    /// a bad value, an unknown municipality or district.
    /// </summary>
    public async Task<SettlementFilter> ReadAsync(
        QueryParameters query, HttpRequest request, SettlementMapDbContext db, CancellationToken cancellationToken, params string[] alsoKnown)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(request);
        var given = request.Query;
        var disclosure = await DisclosurePolicies.OfAsync(request.HttpContext);
        query.RejectUnknown(given, [.. Names().Where(n => !disclosure.Hides(AttributeOf(n))), .. alsoKnown]);
        var filter = new SettlementFilter(
            query.Bbox("bbox", BboxText()),
            query.Code("municipality", Municipality),
            query.Code("district", District),
            query.EnumValues<Data.WaterSupply>("water_supply", WaterSupply),
            query.EnumValues<Data.Sewerage>("sewerage", Sewerage),
            query.EnumValues<Data.Electricity>("electricity", Electricity),
            query.EnumValues<Data.LegalStatus>("legal_status", LegalStatus),
            query.EnumValues<YesNo>("flood_zone", FloodZone),
            query.EnumValues<YesNo>("hazard_nearby", HazardNearby),
            query.EnumValues<YesNo>("eviction_threat", EvictionThreat),
            query.WholeNumber("min_inhabitants", MinInhabitants, 0, int.MaxValue),
            query.WholeNumber("max_inhabitants", MaxInhabitants, 0, int.MaxValue),
            query.WholeNumber("zoom", ZoomText(), 0, Simplification.MaxZoom),
            disclosure,
            History.SettlementTime.ReadAsOf(query, AsOf),
            UnplannedTarget.Read(query, "unplanned", Unplanned, disclosure));
        if (filter.MinInhabitants > filter.MaxInhabitants)
        {
            query.AddError("min_inhabitants", "min_inhabitants is greater than max_inhabitants.");
        }
        await PlaceCodes.CheckExistAsync(query, db, filter.Municipality, filter.District, cancellationToken);
        return filter;
    }
}

/// <summary>The settlement filters with bbox: the summary's and the exports'.</summary>
public class SettlementAreaQuery : SettlementFilterQuery
{
    [FromQuery(Name = "bbox")]
    public string? Bbox { get; set; }

    public override IReadOnlyList<string> Names() => [.. AreaNames, .. base.Names()];

    private static readonly string[] AreaNames = ["bbox"];

    protected override string? BboxText() => Bbox;
}

/// <summary>The settlement filters with bbox and zoom (outlines simplified for that zoom): the layer's.</summary>
public sealed class SettlementLayerQuery : SettlementAreaQuery
{
    [FromQuery(Name = "zoom")]
    public string? Zoom { get; set; }

    public override IReadOnlyList<string> Names() => [.. base.Names(), .. ZoomNames];

    private static readonly string[] ZoomNames = ["zoom"];

    protected override string? ZoomText() => Zoom;
}

/// <summary>Municipality and district codes as filters take them.</summary>
public static class PlaceCodes
{
    /// <summary>An unknown municipality or district is a mistake to report, not an empty answer.</summary>
    public static async Task CheckExistAsync(QueryParameters query, SettlementMapDbContext db, string? municipality, string? district, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(db);
        if (municipality is not null && !await db.Municipalities.AnyAsync(m => m.Code == municipality, cancellationToken))
        {
            query.AddError("municipality", $"No municipality has the code '{municipality}' (codes are lower-case ASCII slugs such as 'nis' or 'novi-beograd').");
        }
        if (district is not null && !await db.Districts.AnyAsync(d => d.Code == district, cancellationToken))
        {
            query.AddError("district", $"No district has the code '{district}' (codes are GeoNames admin2 codes such as 'RS.SE.20').");
        }
    }
}
