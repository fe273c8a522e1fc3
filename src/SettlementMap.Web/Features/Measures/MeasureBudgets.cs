using SettlementMap.Web.Features.Sensitivity;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// Who sees a measure's budget and spent amounts: a level like a settlement attribute's, kept in attribute_levels under
/// <see cref="LevelKey"/> (no attribute of the schema can have that name), so the disclosure policy reads it with the
/// others and a change reaches every instance at the next request (DisclosurePolicies). A viewer sees them where their
/// level is at least it: coordinators always in their own municipalities. Hidden means absent from the JSON.
/// </summary>
public static class MeasureBudgets
{
    public const string LevelKey = "measures.budget";

    /// <summary>
    /// Signed-in accounts until an administrator says otherwise: a plan's amounts are often published by the municipality,
    /// but a donor's figures and a half-spent budget are not always meant for the public; opening them is one click.
    /// </summary>
    public const Clearance DefaultLevel = Clearance.SignedIn;

    public static Clearance LevelOf(DisclosurePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Levels.GetValueOrDefault(LevelKey, DefaultLevel);
    }

    /// <summary>Whether this viewer sees the amounts of a measure of <paramref name="municipalityId"/>.</summary>
    public static bool Shows(Disclosure shown, int municipalityId)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return LevelOf(shown.Policy) <= shown.Viewer.LevelIn(municipalityId);
    }

    /// <summary>
    /// An amount (<paramref name="expression"/>, e.g. "m.budget_amount") as this viewer may see it in SQL, for the outputs
    /// that sum or list amounts in the database (reports, exports): the expression where the viewer sees budgets everywhere,
    /// else only in their own municipalities (<paramref name="municipalityColumn"/>), else NULL of the same type. The
    /// ids are the database's own integers, never a request value.
    /// </summary>
    public static string Sql(Disclosure shown, string expression, string municipalityColumn = "p.municipality_id")
    {
        ArgumentNullException.ThrowIfNull(shown);
        if (LevelOf(shown.Policy) <= shown.Viewer.Level)
        {
            return expression;
        }
        var own = shown.Viewer.OwnMunicipalities;
        return own.Count == 0
            ? $"CASE WHEN FALSE THEN {expression} END"
            : $"CASE WHEN {municipalityColumn} IN ({string.Join(", ", own.Order().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)))}) THEN {expression} END";
    }

    /// <summary>The fields of a measure's snapshot (and so of its history) that carry amounts.</summary>
    public static IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "budget" };
}
