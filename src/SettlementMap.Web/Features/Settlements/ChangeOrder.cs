namespace SettlementMap.Web.Features.Settlements;

/// <summary>Which way an attribute's change counts as better, for the change between two dates (Features/History).</summary>
public enum ChangeDirection
{
    /// <summary>Different values are "changed", never better or worse (e.g. heating: district heating is not better than gas).</summary>
    Unordered,
    /// <summary>The closed list's values in ranks, worst first; values of one rank, and 'unknown', are not compared.</summary>
    Ranked,
    /// <summary>A smaller number is better (a substandard share, a distance).</summary>
    LowerIsBetter,
    /// <summary>A larger number is better.</summary>
    HigherIsBetter,
}

/// <summary>
/// How <see cref="SettlementSchema"/> declares that an attribute's change can be judged, once: the change
/// query's SQL (Features/History/ChangeSql), the API's list of comparable attributes, the page's legend
/// and the tests all read it. An attribute without one is not offered for comparison.
/// </summary>
public sealed record ChangeOrder
{
    private ChangeOrder(ChangeDirection direction, IReadOnlyList<IReadOnlyList<string>> ranks)
    {
        Direction = direction;
        Ranks = ranks;
    }

    public ChangeDirection Direction { get; }

    /// <summary>For <see cref="ChangeDirection.Ranked"/>: the values, worst rank first (several values may share a rank).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Ranks { get; }

    public static ChangeOrder Unordered { get; } = new(ChangeDirection.Unordered, []);

    public static ChangeOrder LowerIsBetter { get; } = new(ChangeDirection.LowerIsBetter, []);

    public static ChangeOrder HigherIsBetter { get; } = new(ChangeDirection.HigherIsBetter, []);

    /// <summary>A closed list's values, worst first; values in one array share a rank (neither is better).</summary>
    public static ChangeOrder WorstToBest(params string[][] ranks) => new(ChangeDirection.Ranked, ranks);

    /// <summary>The rank of a closed-list value (higher is better), or null when it has none ('unknown').</summary>
    public int? RankOf(string value)
    {
        for (var i = 0; i < Ranks.Count; i++)
        {
            if (Ranks[i].Contains(value, StringComparer.Ordinal))
            {
                return i;
            }
        }
        return null;
    }
}
