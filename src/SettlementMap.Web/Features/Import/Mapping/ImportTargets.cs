using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>What a column can feed: the keys, a name in either script, or a settlement field.</summary>
public static class ImportTargets
{
    /// <summary>The stable key of a settlement (upper-cased, such as NIS-014).</summary>
    public const string Code = "code";

    /// <summary>The municipality as written: a code or a name in either script.</summary>
    public const string Municipality = "municipality";

    /// <summary>A name in either script: Cyrillic values go to name_cyrl, others to name_latn.</summary>
    public const string Name = "name";

    /// <summary>Every target in order: code, municipality, name, then the fields of SettlementFields.All.</summary>
    public static IReadOnlyList<string> All { get; } = [Code, Municipality, Name, .. SettlementFields.All.Select(f => f.Name)];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsTarget(string target) => Known.Contains(target);

    /// <summary>A field name in plain words: "distance_to_seat_m" → "distance to seat".</summary>
    public static string Describe(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var name = target.EndsWith("_pct", StringComparison.Ordinal) ? target[..^4]
            : target.EndsWith("_m", StringComparison.Ordinal) ? target[..^2]
            : target;
        return name.Replace('_', ' ');
    }
}
