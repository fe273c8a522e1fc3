using System.Text.RegularExpressions;
using SettlementMap.Web.Features.Ogc.Cql2;

namespace SettlementMap.Tests.Ogc.Cql2;

/// <summary>The queryables the CQL2 tests filter on (settlements, alias s) and helpers to translate with them.</summary>
public static class Cql2TestQueryables
{
    public const string Prefix = "f";

    public static IReadOnlyDictionary<string, Cql2Queryable> All { get; } = new Cql2Queryable[]
    {
        new("name_latn", "s.name_latn", Cql2Type.Text),
        new("name_cyrl", "s.name_cyrl", Cql2Type.Text),
        new("estimated_inhabitants", "s.estimated_inhabitants", Cql2Type.Integer),
        new("households", "s.households", Cql2Type.Integer),
        new("substandard_share_pct", "s.substandard_share_pct", Cql2Type.Number),
        new("area_m2", "s.area_m2", Cql2Type.Number),
        new("data_collected_on", "s.data_collected_on", Cql2Type.Date),
        new("water_supply", "s.water_supply", Cql2Type.Text),
        new("flood_zone", "s.flood_zone", Cql2Type.Text),
        new("has_plan", "(s.planning_document = 'yes')", Cql2Type.Boolean),
        new("geometry", "s.geom", Cql2Type.Geometry),
    }.ToDictionary(q => q.Name, StringComparer.Ordinal);

    /// <summary>
    /// What translated SQL may consist of: our keywords and function names, operators, parentheses,
    /// commas, the escape literal '\', the SRID, the queryables' expressions and @f0, @f1, … — nothing else.
    /// </summary>
    public static Regex SqlWhitelist { get; } = new(
        @"\A(?:\s|\(|\)|,|<>|<=|>=|=|<|>|\b(?:AND|OR|NOT|IN|BETWEEN|LIKE|ESCAPE|IS|NULL|TRUE|FALSE|ST_Intersects|ST_GeomFromText|ST_MakeEnvelope|4326)\b|'\\'|@"
            + Prefix + @"\d+\b|"
            + string.Join("|", All.Values.Select(q => Regex.Escape(q.SqlExpression)).OrderByDescending(e => e.Length))
            + @")*\z",
        RegexOptions.CultureInvariant);

    public static Cql2Translation Translate(string filter)
    {
        var ok = Cql2Text.TryTranslate(filter, All, Prefix, out var translation, out var error, out var position);
        Assert.True(ok, $"'{filter}' failed: {error} (position {position})");
        Assert.Null(error);
        Assert.Null(position);
        return translation!;
    }

    public static (string Error, int Position) Fail(string? filter)
    {
        var ok = Cql2Text.TryTranslate(filter, All, Prefix, out var translation, out var error, out var position);
        Assert.False(ok, $"'{filter}' translated to {translation?.Sql}");
        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.NotNull(position);
        Assert.StartsWith($"at character {position}: ", error, StringComparison.Ordinal);
        return (error!, position!.Value);
    }
}
