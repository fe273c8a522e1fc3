using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>
/// Suggests which column of a file feeds which target, from the column names as survey files
/// write them: Serbian (either script, with or without diacritics) or English, any case, words
/// joined by spaces, underscores, hyphens or dots, a unit or note in brackets ("Udaljenost od
/// škole (m)"), and names that a DBF cut to ten characters ("vodosnabde"). Every field's own
/// name and its labels (SettlementSchema) are recognised, so the map's CSV
/// export reads back. Geometry columns (wkt, geom, lon, lat, x, y…) are the reader's and are
/// neither mapped nor listed as unmapped.
/// </summary>
public static class ColumnMatcher
{
    /// <summary>A cut name shorter than this is not completed: too many names start alike.</summary>
    private const int MinPrefixLength = 6;

    /// <summary>Column names of the targets that are not attributes; an attribute's are in SettlementSchema (ImportNames).</summary>
    private static readonly Dictionary<string, string[]> Names = new(StringComparer.Ordinal)
    {
        [ImportTargets.Municipality] = ["opština", "opštine", "naziv opštine", "ime opštine", "opština naziv", "šifra opštine", "opština šifra", "opština grad", "grad opština", "jls", "jedinica lokalne samouprave", "municipality", "municipality code", "municipality name", "lsg", "local self government"],
        [ImportTargets.Name] = ["naziv", "ime", "naselje", "naziv naselja", "ime naselja", "name", "settlement name"],
    };

    private static readonly HashSet<string> GeometryNames = new(
        new[]
        {
            "wkt", "wkb", "geometry", "geometrija", "geom", "the_geom", "shape", "geojson", "coordinates", "koordinate",
            "lon", "lng", "long", "longitude", "lat", "latitude", "x", "y", "z", "coord_x", "coord_y", "x_coord", "y_coord",
            "easting", "northing", "geografska dužina", "geografska širina", "dužina", "širina",
        }.Select(MatchKey.Column),
        StringComparer.Ordinal);

    private static readonly Dictionary<string, string> ByKey = BuildKeys();

    /// <summary>Suggests a mapping: each column to at most one target, each target from the first column that names it.</summary>
    public static ImportMapping Suggest(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!mapped.ContainsKey(column) && Recognise(column) is { } target && taken.Add(target))
            {
                mapped[column] = target;
            }
        }
        return new ImportMapping(mapped);
    }

    /// <summary>The target a column name stands for, or null when it is not recognised (or is a geometry column).</summary>
    public static string? Recognise(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (IsGeometryColumn(column))
        {
            return null;
        }
        var key = MatchKey.Column(column);
        if (ByKey.TryGetValue(key, out var target))
        {
            return target;
        }
        // A unit or note in brackets: "Broj stanovnika (procena)", "Udaljenost od škole (m)".
        var open = column.IndexOfAny(['(', '[']);
        if (open > 0 && ByKey.TryGetValue(MatchKey.Column(column[..open]), out target))
        {
            return target;
        }
        // A name cut short, as a DBF cuts it to ten characters: complete it when only one target fits.
        if (key.Length >= MinPrefixLength)
        {
            var candidates = ByKey.Where(k => k.Key.StartsWith(key, StringComparison.Ordinal)).Select(k => k.Value).Distinct().ToList();
            if (candidates.Count == 1)
            {
                return candidates[0];
            }
        }
        return null;
    }

    /// <summary>Whether a column name is one a reader takes the geometry from (wkt, geometry, geom, lon, lat, x, y…).</summary>
    public static bool IsGeometryColumn(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return GeometryNames.Contains(MatchKey.Column(column));
    }

    /// <summary>The columns, in file order, that the mapping does not use, geometry columns left out; for the report.</summary>
    public static IReadOnlyList<string> Unmapped(IReadOnlyList<string> columns, ImportMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(mapping);
        var used = RowMapper.Resolve(mapping, columns);
        return [.. columns.Where(c => !IsGeometryColumn(c) && !used.ContainsKey(c))];
    }

    /// <summary>
    /// The column names recognised for a target (as written, before normalising): an attribute's own
    /// name, its labels in the three languages and its ImportNames (SettlementSchema).
    /// </summary>
    public static IReadOnlyList<string> NamesOf(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Names.TryGetValue(target, out var names))
        {
            return names;
        }
        return SettlementSchema.Find(target) is { } attribute
            ? [target, attribute.Label.Latn, attribute.Label.Cyrl, attribute.Label.En, .. attribute.ImportNames]
            : [];
    }

    private static Dictionary<string, string> BuildKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in ImportTargets.All)
        {
            foreach (var name in NamesOf(target))
            {
                var key = MatchKey.Column(name);
                if (keys.TryGetValue(key, out var other) && other != target)
                {
                    throw new InvalidOperationException($"The column name '{name}' is given for both {other} and {target}.");
                }
                if (GeometryNames.Contains(key))
                {
                    throw new InvalidOperationException($"The column name '{name}' of {target} is a geometry column name.");
                }
                keys[key] = target;
            }
        }
        foreach (var target in Names.Keys.Where(t => !ImportTargets.IsTarget(t)))
        {
            throw new InvalidOperationException($"Column names are given for {target}, which is not an import target.");
        }
        return keys;
    }
}
