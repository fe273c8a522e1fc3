using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// Recognises the CRS of a WKT definition (a shapefile's .prj, a GeoPackage SRS definition), in
/// the OGC dialect (with AUTHORITY["EPSG",…]) or ESRI's (names only: ArcGIS, QGIS and GDAL write
/// .prj files that way). What we cannot place is left to the user, quoting its name.
/// </summary>
internal static partial class WktCrs
{
    /// <summary>
    /// EPSG codes (and a few ESRI/legacy ones) → the CRS we serve. EPSG:6316 is the non-deprecated
    /// twin of EPSG:3909 (same datum and projection, easting first): modern GDAL/QGIS write it when
    /// asked for 3909. Axis order does not matter here: file coordinates are read easting first.
    /// </summary>
    private static readonly Dictionary<int, int> Codes = new()
    {
        [4326] = 4326,
        [3857] = 3857, [900913] = 3857, [3785] = 3857, [102100] = 3857, [102113] = 3857,
        [32634] = 32634,
        [3909] = 3909, [6316] = 3909,
        [8682] = 8682,
    };

    /// <summary>Normalised names (lower case, words separated by one space) → EPSG code.</summary>
    private static readonly Dictionary<string, int> Names = new(StringComparer.Ordinal)
    {
        // Projected
        ["wgs 84 pseudo mercator"] = 3857,
        ["wgs 1984 web mercator auxiliary sphere"] = 3857,
        ["wgs 1984 web mercator"] = 3857,
        ["popular visualisation crs mercator"] = 3857,
        ["google maps global mercator"] = 3857,
        ["wgs 84 utm zone 34n"] = 32634,
        ["wgs 1984 utm zone 34n"] = 32634,
        ["mgi 1901 balkans zone 7"] = 3909,
        ["mgi 1901 balkans 7 ne deprecated"] = 3909,
        ["mgi 1901 balkans zone 7 deprecated"] = 3909,
        ["srb etrs89 utm zone 34n"] = 8682,
    };

    private static readonly string[] GeographicWgs84Names = ["wgs 84", "wgs84", "gcs wgs 1984", "wgs 1984"];

    /// <summary>
    /// The CRS the WKT defines, or null with a note for the user saying what it declared.
    /// </summary>
    public static (SupportedCrs? Crs, string? Note) Recognise(string? wkt, string source)
    {
        if (string.IsNullOrWhiteSpace(wkt))
        {
            return (null, $"The {source} is empty: choose the coordinate system yourself.");
        }

        var text = wkt.Trim();
        var authority = TopAuthority().Match(text);
        if (authority.Success && int.TryParse(authority.Groups["code"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            if (Codes.TryGetValue(code, out var served) && CrsRegistry.TryParse("EPSG:" + served.ToString(CultureInfo.InvariantCulture), out var byCode))
            {
                return (byCode, null);
            }
        }

        var head = Head().Match(text);
        if (!head.Success)
        {
            return (null, $"The {source} is not a coordinate system definition we can read: choose the coordinate system yourself.");
        }

        var keyword = head.Groups["keyword"].Value.ToUpperInvariant();
        var name = head.Groups["name"].Value;
        var normal = Normalise(name);
        var geographic = keyword is "GEOGCS" or "GEOGCRS" or "GEOGRAPHICCRS";
        int? epsg = geographic
            ? (GeographicWgs84Names.Contains(normal) ? 4326 : null)
            : (Names.TryGetValue(normal, out var byName) ? byName : null);
        if (epsg is { } found && CrsRegistry.TryParse("EPSG:" + found.ToString(CultureInfo.InvariantCulture), out var crs))
        {
            return (crs, null);
        }

        var hint = normal is "mgi balkans 7" or "mgi balkans zone 7"
            ? " It is Gauss-Krüger zone 7 on the Austrian MGI datum (EPSG:31277); Serbian data in zone 7 is usually MGI 1901 (EPSG:3909): choose it if that is what the survey used."
            : " Choose the coordinate system yourself, or export the data in EPSG:4326, 3857, 32634, 3909 or 8682.";
        return (null, $"The {source} declares the coordinate system \"{name}\", which we do not support.{hint}");
    }

    /// <summary>"WGS_1984_UTM_Zone_34N" and "WGS 84 / UTM zone 34N" → "wgs 1984 utm zone 34n", "wgs 84 utm zone 34n".</summary>
    internal static string Normalise(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().TrimEnd();
    }

    // The CRS's own AUTHORITY (WKT1) or ID (WKT2) is the last element of the root: it closes the text.
    [GeneratedRegex("""(?:AUTHORITY|ID)\[\s*"(?:EPSG|ESRI)"\s*,\s*"?(?<code>\d+)"?\s*\]\s*\]\s*$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TopAuthority();

    [GeneratedRegex("""^(?<keyword>PROJCS|GEOGCS|PROJCRS|GEOGCRS|PROJECTEDCRS|GEOGRAPHICCRS)\s*[\[(]\s*"(?<name>[^"]*)"\s*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Head();
}
