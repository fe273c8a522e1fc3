using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// Disclosure for values held in memory by attribute name (a report's snapshots, a history entry's
/// changes): the same rules as the SQL of <see cref="Disclosure"/>, applied to one settlement at a time.
/// </summary>
public static class DisclosedValues
{
    /// <summary>Whether this viewer sees <paramref name="name"/> in a settlement of <paramref name="municipalityId"/> (names not in the schema: yes).</summary>
    public static bool Shows(this Disclosure disclosure, string name, int municipalityId)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        return SettlementSchema.Find(name) is not { } attribute
            || (attribute.GeneralisedViewOnly ? disclosure.Generalises : disclosure.LevelOf(attribute) <= disclosure.Viewer.LevelIn(municipalityId));
    }

    /// <summary>
    /// Removes what the viewer may not see of one settlement's <paramref name="values"/> and, in the
    /// generalised public view, replaces a small settlement's inhabitants by estimated_inhabitants_below.
    /// </summary>
    public static void Apply(this Disclosure disclosure, IDictionary<string, object?> values, int municipalityId)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var name in values.Keys.Where(n => !disclosure.Shows(n, municipalityId)).ToList())
        {
            values.Remove(name);
        }
        if (disclosure.Generalises && values.TryGetValue(SettlementSchema.EstimatedInhabitants, out var inhabitants))
        {
            var threshold = disclosure.Policy.Generalisation.Threshold;
            var count = inhabitants is null ? (int?)null : Convert.ToInt32(inhabitants, System.Globalization.CultureInfo.InvariantCulture);
            if (count is null || count < threshold)
            {
                values[SettlementSchema.EstimatedInhabitants] = null;
            }
            if (count < threshold)
            {
                values[SettlementSchema.EstimatedInhabitantsBelow] = threshold;
            }
        }
    }
}
