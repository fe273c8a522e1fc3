using System.Globalization;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// Where a next link continues: the key of the last item of the page before (<see cref="OgcCollectionInfo.Key"/>),
/// so the next page starts after it through the index instead of skipping rows (OFFSET computes every skipped one).
/// Clients treat it as opaque; its text is the key's numbers joined by '.'.
/// </summary>
public sealed record OgcCursor(IReadOnlyList<long> Key)
{
    /// <summary>The longest cursor taken: a few 19-digit numbers.</summary>
    public const int MaxLength = 80;

    public override string ToString() => string.Join(".", Key.Select(k => k.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A cursor of <paramref name="collection"/>: as many whole numbers as its key has; false if anything else.</summary>
    public static bool TryParse(string text, OgcCollectionInfo collection, out OgcCursor? cursor)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(collection);
        cursor = null;
        var parts = text.Length <= MaxLength ? text.Split('.') : [];
        var key = new List<long>();
        foreach (var part in parts)
        {
            if (!long.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            key.Add(value);
        }
        if (key.Count != collection.Key.Count)
        {
            return false;
        }
        cursor = new OgcCursor(key);
        return true;
    }
}
