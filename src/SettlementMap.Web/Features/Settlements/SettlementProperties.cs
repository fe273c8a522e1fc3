using NetTopologySuite.Features;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>Every attribute of a settlement (<see cref="SettlementSchema"/>, in its order) as GeoJSON properties.</summary>
public static class SettlementProperties
{
    public static AttributesTable From(Settlement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var table = new AttributesTable();
        foreach (var attribute in SettlementSchema.Attributes)
        {
            table.Add(attribute.Name, attribute.Read(s));
        }
        return table;
    }
}
