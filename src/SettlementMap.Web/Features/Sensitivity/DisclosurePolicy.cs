using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// Statistical disclosure control for the public view: a settlement with fewer estimated inhabitants
/// than <paramref name="Threshold"/> (or none recorded) is shown without its outline, as a point moved
/// between half the radius and <paramref name="RadiusM"/> metres from its centre, and its inhabitants
/// as "fewer than <paramref name="Threshold"/>". The move is the same at every request (a keyed hash of
/// the id: Sql/disclosed_point.sql), so repeating a request cannot average it away.
/// </summary>
public sealed record Generalisation(bool Enabled, int Threshold, int RadiusM)
{
    public const int MinThreshold = 1;
    public const int MaxThreshold = 10_000;
    public const int MinRadiusM = 100;
    public const int MaxRadiusM = 5_000;

    /// <summary>On, under 100 inhabitants, within 500 m: chosen with care in README ("Who sees what").</summary>
    public static Generalisation Default { get; } = new(true, 100, 500);
}

/// <summary>
/// The levels set for attributes (those not set keep the schema's <see cref="AttributeDefinition.Sensitivity"/>)
/// and the generalisation of the public view, as stored (attribute_levels, disclosure_settings) at <paramref name="Version"/>.
/// </summary>
public sealed record DisclosurePolicy(IReadOnlyDictionary<string, Clearance> Levels, Generalisation Generalisation, string Version)
{
    /// <summary>The schema's defaults: what a database without settings has.</summary>
    public static DisclosurePolicy Defaults { get; } = new(new Dictionary<string, Clearance>(), Generalisation.Default, "");

    /// <summary>The level of an attribute: what an administrator set, else the schema's default; always public for one that cannot be restricted.</summary>
    public Clearance LevelOf(AttributeDefinition attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return !attribute.Restrictable ? Clearance.Public : Levels.GetValueOrDefault(attribute.Name, attribute.Sensitivity);
    }
}
