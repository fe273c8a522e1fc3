using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Measures;

/// <summary>The bounds of a plan's and a measure's values: the API refuses beyond them, the database's CHECKs too.</summary>
public static class MeasureRules
{
    public const int MaxTitleLength = 300;
    public const int MaxBodyLength = 200;
    public const int MaxDonorLength = 200;
    public const int MaxUrlLength = 2000;
    public const int MaxSettlements = 50;
    public const int MaxIndicators = 20;
    public const int MaxIndicatorNameLength = 200;
    public const int MaxUnitLength = 32;
    public const int MaxTargetValueLength = 64;

    /// <summary>A hundred billion: more than any municipality's yearly budget in dinars, so a typo of a few zeros still stands out.</summary>
    public const decimal MaxAmount = 100_000_000_000m;

    public const decimal MaxIndicatorValue = 1_000_000_000_000m;

    /// <summary>The earliest and latest day of a plan's period or a measure's status.</summary>
    public static readonly DateOnly EarliestDay = new(1990, 1, 1);
    public static readonly DateOnly LatestDay = new(2100, 12, 31);

    /// <summary>The currencies an amount is given in: the dinar and the euro (donors' budgets).</summary>
    public static IReadOnlyList<string> Currencies { get; } = [.. MeasureLists.Currency.Texts];

    /// <summary>
    /// The settlement attributes a measure may aim at: those an editor sets whose change over time the schema judges
    /// (better or worse: <c>Change</c>), so that "did it change after the measure was done" has an answer.
    /// </summary>
    public static IReadOnlyList<FieldSpec> Targets { get; } = [.. SettlementFields.All.Where(f => f.Attribute.Change is not null)];

    public static FieldSpec? Target(string name) => Targets.FirstOrDefault(f => f.Name == name);
}
