using NetTopologySuite.Features;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>The attributes of a settlement (<see cref="SettlementSchema"/>, in its order) as GeoJSON properties.</summary>
public static class SettlementProperties
{
    /// <summary>Every attribute: what an editor gets back (they see all of their own municipalities).</summary>
    public static AttributesTable From(Settlement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var table = new AttributesTable();
        foreach (var attribute in SettlementSchema.Attributes.Where(a => !a.GeneralisedViewOnly))
        {
            table.Add(attribute.Name, attribute.Read(s));
        }
        return table;
    }

    /// <summary>
    /// What <paramref name="shown"/>'s viewer sees of the settlement: each attribute whose level their level
    /// in its municipality reaches (<see cref="Viewer.LevelIn"/>), the others absent. A <paramref name="generalised"/>
    /// one (the public view, a small settlement) has no estimate, no centre, and fewer than the threshold's inhabitants.
    /// </summary>
    public static AttributesTable From(Settlement s, Disclosure shown, bool generalised)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(shown);
        var level = shown.Viewer.LevelIn(s.MunicipalityId);
        var table = new AttributesTable();
        foreach (var attribute in SettlementSchema.Attributes)
        {
            if (attribute.GeneralisedViewOnly)
            {
                if (shown.Generalises)
                {
                    // As Disclosure.Sql says it: "fewer than" only for a known estimate (an unknown one is generalised too).
                    table.Add(attribute.Name, generalised && s.EstimatedInhabitants is not null ? shown.Policy.Generalisation.Threshold : null);
                }
            }
            else if (generalised && Centre.Contains(attribute.Name))
            {
                // The outline's centre is what the displaced point stands in for.
            }
            else if (shown.LevelOf(attribute) <= level)
            {
                table.Add(attribute.Name, generalised && attribute.Name == SettlementSchema.EstimatedInhabitants ? null : attribute.Read(s));
            }
        }
        return table;
    }

    private static readonly string[] Centre = ["centroid_lon", "centroid_lat"];
}
