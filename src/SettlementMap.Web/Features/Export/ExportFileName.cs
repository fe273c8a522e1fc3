using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// A download's file name says which settlements it holds: <c>settlements_nis_water-none_2026-12-03.csv</c>.
/// Built from the filters the request gave (in the layer's parameter order), each value reduced to ASCII
/// letters, digits and hyphens (Serbian letters transliterated, đ → dj) and bounded, the whole name bounded
/// too: no value can reach the Content-Disposition header or a path as anything but a short slug, so the
/// plain <c>filename="…"</c> form suffices (RFC 6266's <c>filename*</c> is for names outside ASCII).
/// </summary>
public static class ExportFileName
{
    /// <summary>The longest slug of one filter's values.</summary>
    public const int MaxValueLength = 24;

    /// <summary>The longest name without the date, CRS and extension.</summary>
    public const int MaxFiltersLength = 80;

    // A short word before a filter's values where the values alone would not say what they are; places go bare.
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["water_supply"] = "water",
        ["sewerage"] = "sewerage",
        ["electricity"] = "electricity",
        ["legal_status"] = "legal",
        ["flood_zone"] = "flood",
        ["hazard_nearby"] = "hazard",
        ["eviction_threat"] = "eviction",
        ["min_inhabitants"] = "min",
        ["max_inhabitants"] = "max",
        ["as_of"] = "as-of",
    };

    /// <summary>
    /// The name without its extension: "settlements", one part a filter of <paramref name="order"/> the query has,
    /// the CRS when not CRS84, and the day. A bounding box is named, not quoted (its numbers say little).
    /// </summary>
    public static string For(IEnumerable<KeyValuePair<string, StringValues>> query, IReadOnlyList<string> order, int? epsg, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(order);
        var given = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in query)
        {
            given[key] = values.ToString();
        }
        var parts = new List<string>();
        foreach (var name in order)
        {
            if (!given.TryGetValue(name, out var value) || value.Length == 0)
            {
                continue;
            }
            if (name == "bbox")
            {
                parts.Add("bbox");
                continue;
            }
            var slug = Slug(value, MaxValueLength);
            if (slug.Length > 0)
            {
                parts.Add(Prefixes.TryGetValue(name, out var prefix) ? prefix + "-" + slug : slug);
            }
        }
        var filters = Bound(string.Join("_", parts), MaxFiltersLength);
        var file = new StringBuilder("settlements");
        if (filters.Length > 0)
        {
            file.Append('_').Append(filters);
        }
        if (epsg is { } code)
        {
            file.Append("_epsg").Append(code.ToString(CultureInfo.InvariantCulture));
        }
        return file.Append('_').Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Lower-case ASCII letters and digits, any other run of characters one hyphen, at most <paramref name="maxLength"/> long.</summary>
    public static string Slug(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var latin = SerbianScript.SearchKey(text.Length > 4 * maxLength ? text[..(4 * maxLength)] : text);
        var slug = new StringBuilder(latin.Length);
        foreach (var c in latin)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        return Bound(slug.ToString(), maxLength);
    }

    // Cut to length without leaving a separator at the end.
    private static string Bound(string text, int maxLength) =>
        (text.Length > maxLength ? text[..maxLength] : text).TrimEnd('-', '_');
}
