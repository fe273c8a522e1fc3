using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.History;

/// <summary>The classes of a settlement's change between two instants A and B.</summary>
public static class ChangeClass
{
    /// <summary>Both states known and the later one is better (<see cref="ChangeOrder"/>).</summary>
    public const string Improved = "improved";
    public const string Worsened = "worsened";
    /// <summary>Different, but neither better nor worse: an unordered attribute, values of one rank, or 'unknown' on one side.</summary>
    public const string Changed = "changed";
    public const string Unchanged = "unchanged";
    /// <summary>Absent at A (created after it, or deleted and restored).</summary>
    public const string New = "new";
    /// <summary>Absent at B (deleted by then).</summary>
    public const string Gone = "gone";
    /// <summary>The viewer may not see the value at A or at B (outside a coordinator's municipalities).</summary>
    public const string Hidden = "hidden";

    /// <summary>In the order of the page's legend and list.</summary>
    public static IReadOnlyList<string> All { get; } = [Improved, Worsened, Changed, New, Gone, Unchanged, Hidden];
}

/// <summary>
/// The change of one attribute between two instants in one statement: the settlements as of A and as of B
/// (settlements_as_of) FULL JOINed on id, each side's value as the viewer may see it (Disclosure, masked over that
/// side's own municipality), classed by the attribute's <see cref="ChangeOrder"/> in a CASE written from it.
/// The outer row is the settlement at B, or at A when gone, aliased s with m and d, so the settlement filters'
/// WHERE (<see cref="SettlementSql.Conditions"/>: bbox, municipality, district) and the disclosed geometry apply to it.
/// </summary>
public static class ChangeSql
{
    /// <summary>The columns each side reads of settlements s, and the outer row takes from B (else A).</summary>
    private static readonly string[] Columns = ["code", "name_latn", "name_cyrl", "municipality_id", "geom", "centroid", "estimated_inhabitants"];

    /// <summary>The comparable attributes this viewer sees, in schema order.</summary>
    public static IEnumerable<AttributeDefinition> Comparable(Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return SettlementSchema.Attributes.Where(a => a.Change is not null && shown.Shows(a));
    }

    /// <summary>"The rank of <paramref name="value"/>": higher is better; null when the value cannot be ranked.</summary>
    public static string RankSql(AttributeDefinition attribute, string value)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        var order = attribute.Change ?? throw new ArgumentException($"{attribute.Name} declares no ChangeOrder.", nameof(attribute));
        return order.Direction switch
        {
            // Closed-list values are our own constants (checked against the list by the schema's tests), never request text.
            ChangeDirection.Ranked => $"CASE {value} " + string.Join(" ", order.Ranks.SelectMany((values, rank) =>
                values.Select(v => $"WHEN '{v}' THEN {rank.ToString(CultureInfo.InvariantCulture)}"))) + " END",
            ChangeDirection.LowerIsBetter => $"-({value})::numeric",
            ChangeDirection.HigherIsBetter => $"({value})::numeric",
            _ => "NULL::numeric",
        };
    }

    private static string Side(AttributeDefinition attribute, Disclosure shown, string instant) =>
        $"SELECT s.id, {string.Join(", ", Columns.Select(c => "s." + c))}, {shown.Sql(attribute)} AS value, " +
        $"{RankSql(attribute, shown.Sql(attribute))} AS rank, {shown.Sql(attribute, "TRUE")} AS seen FROM settlements_as_of({instant}) s";

    /// <summary>The CASE that classes a joined pair a, b (<see cref="ChangeClass"/>).</summary>
    private const string ClassSql = $"""
        CASE WHEN a.id IS NULL THEN '{ChangeClass.New}' WHEN b.id IS NULL THEN '{ChangeClass.Gone}'
             WHEN a.seen IS NULL OR b.seen IS NULL THEN '{ChangeClass.Hidden}'
             WHEN a.value IS NOT DISTINCT FROM b.value THEN '{ChangeClass.Unchanged}'
             WHEN a.rank IS NULL OR b.rank IS NULL OR a.rank = b.rank THEN '{ChangeClass.Changed}'
             WHEN b.rank > a.rank THEN '{ChangeClass.Improved}' ELSE '{ChangeClass.Worsened}' END
        """;

    /// <summary>
    /// FROM … WHERE of the change: s (the settlement at B, or at A when gone) with value_from, value_to and change,
    /// joined to m and d, filtered by <paramref name="filter"/>'s bbox, municipality and district (its Time is ignored).
    /// </summary>
    private static (string From, List<NpgsqlParameter> Parameters) FromWhere(AttributeDefinition attribute, DateTimeOffset from, DateTimeOffset to, SettlementFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var shown = filter.Shown;
        var (where, parameters) = SettlementSql.Conditions(filter with { Time = null });
        parameters.Add(new NpgsqlParameter<DateTimeOffset>("change_from", NpgsqlDbType.TimestampTz) { TypedValue = from.ToUniversalTime() });
        parameters.Add(new NpgsqlParameter<DateTimeOffset>("change_to", NpgsqlDbType.TimestampTz) { TypedValue = to.ToUniversalTime() });
        var picked = string.Join(", ", Columns.Select(c => $"CASE WHEN b.id IS NULL THEN a.{c} ELSE b.{c} END AS {c}"));
        var pairs = $"""
            (SELECT COALESCE(b.id, a.id) AS id, {picked}, a.value AS value_from, b.value AS value_to, {ClassSql} AS change
             FROM ({Side(attribute, shown, "@change_from")}) a FULL JOIN ({Side(attribute, shown, "@change_to")}) b ON b.id = a.id) s
            """;
        return ($" FROM {pairs} {SettlementSql.PlaceJoins}{where}", parameters);
    }

    /// <summary>One GeoJSON Feature per settlement that existed at A or at B, in id order (a <see cref="GeoJsonFeaturesResult"/>'s query).</summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Features(AttributeDefinition attribute, DateTimeOffset from, DateTimeOffset to, SettlementFilter filter)
    {
        var (fromWhere, parameters) = FromWhere(attribute, from, to, filter);
        var properties = GeoJsonFeatureSql.Properties(
            "s.id, s.code, s.name_latn, s.name_cyrl, m.code AS municipality_code, m.name_latn AS municipality_name_latn, " +
            "m.name_cyrl AS municipality_name_cyrl, s.value_from, s.value_to, s.change");
        var feature = GeoJsonFeatureSql.Feature("s.id", filter.Shown.Geometry("s.geom"), 6, properties);
        return ($"SELECT {feature}{fromWhere} ORDER BY s.id", parameters);
    }

    /// <summary>The same as rows for the CSV: id, code, names, the municipality's names, both values as text, the class.</summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Rows(AttributeDefinition attribute, DateTimeOffset from, DateTimeOffset to, SettlementFilter filter)
    {
        var (fromWhere, parameters) = FromWhere(attribute, from, to, filter);
        return ($"SELECT s.id, s.code, s.name_latn, s.name_cyrl, m.name_latn, m.name_cyrl, s.value_from::text, s.value_to::text, s.change{fromWhere} ORDER BY s.id", parameters);
    }
}
