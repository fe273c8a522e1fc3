using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// Who may see an attribute, and who a viewer is: an attribute of level L is shown to a viewer of
/// level L or above. Coordinators are <see cref="SignedIn"/> everywhere and <see cref="Administrators"/>
/// in the municipalities they keep (they record and correct those values, so they must see them).
/// </summary>
public enum Clearance
{
    /// <summary>Anyone, signed in or not: the published map, tiles, OGC API and exports.</summary>
    Public = 0,

    /// <summary>Any signed-in account (coordinators everywhere, administrators).</summary>
    SignedIn = 1,

    /// <summary>Administrators, and coordinators for the settlements of their own municipalities.</summary>
    Administrators = 2,
}

public static class Clearances
{
    public static IReadOnlyList<Clearance> All { get; } = [Clearance.Public, Clearance.SignedIn, Clearance.Administrators];

    /// <summary>The level as it is stored and travels in JSON.</summary>
    public static string ToText(this Clearance level) => level switch
    {
        Clearance.Public => "public",
        Clearance.SignedIn => "signed_in",
        Clearance.Administrators => "administrators",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse(string? text, out Clearance level)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToText(), text, StringComparison.Ordinal))
            {
                level = candidate;
                return true;
            }
        }
        level = Clearance.Public;
        return false;
    }

    public static Clearance Parse(string text) =>
        TryParse(text, out var level) ? level : throw new FormatException($"Not a sensitivity level: '{text}'.");

    /// <summary>What the page and the export metadata call each level (the page explains that coordinators see every level in their own municipalities).</summary>
    public static Label LabelOf(this Clearance level) => level switch
    {
        Clearance.Public => new("javno", "јавно", "public"),
        Clearance.SignedIn => new("prijavljeni korisnici", "пријављени корисници", "signed-in users"),
        Clearance.Administrators => new("samo administratori", "само администратори", "administrators only"),
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
