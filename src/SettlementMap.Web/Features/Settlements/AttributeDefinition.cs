using System.Globalization;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>How a value is typed: the JSON value, the database column and the export column follow from it.</summary>
public enum AttributeType { Text, WholeNumber, Number, Enum, Date, DateTime }

/// <summary>Where an attribute appears besides the settlement's own GeoJSON feature (which has them all).</summary>
[Flags]
public enum Outputs
{
    None = 0,
    /// <summary>The properties of the settlements GeoJSON layer (its view settlement_layer_properties_source).</summary>
    Layer = 1,
    /// <summary>The vector tiles' attributes (and so settlement_points' copied columns).</summary>
    Tile = 2,
    /// <summary>The export columns (CSV, GeoJSON, GeoPackage, Shapefile) and the OGC API's items.</summary>
    Export = 4,
    /// <summary>The map's details panel.</summary>
    Details = 8,
    /// <summary>What an OGC API filter may name (Part 3 queryables, CQL2).</summary>
    Queryables = 16,
    /// <summary>What the map can colour settlements by (its legend counts; wwwroot/js/themes.js styles it); also needs <see cref="Tile"/>.</summary>
    Theme = 32,
}

/// <summary>How a whole number is written for a reader: a year is not "1,970".</summary>
public enum NumberFormat { Grouped, Year, Decade }

/// <summary>A group of attributes (domain.md's sections), in the order the page shows them.</summary>
public sealed record AttributeGroup(string Name, Label Label);

/// <summary>One value of a closed list with its label.</summary>
public sealed record ListValue(string Value, Label Label);

/// <summary>A closed list of domain.md: the text of each member of its enum, in order, with labels.</summary>
public sealed record ClosedList(string Name, Type EnumType, IReadOnlyList<ListValue> Values)
{
    /// <summary>
    /// The list of <typeparamref name="TEnum"/>'s members, each with its label. Throws unless the values
    /// name every member exactly once in declaration order, so a new member cannot go unlabelled.
    /// </summary>
    public static ClosedList Of<TEnum>(string name, params (string Value, Label Label)[] values) where TEnum : struct, Enum
    {
        var expected = EnumText.Values<TEnum>();
        if (!expected.SequenceEqual(values.Select(v => v.Value)))
        {
            throw new InvalidOperationException(
                $"List {name} labels {string.Join(", ", values.Select(v => v.Value))}; {typeof(TEnum).Name} has {string.Join(", ", expected)}.");
        }
        return new ClosedList(name, typeof(TEnum), [.. values.Select(v => new ListValue(v.Value, v.Label))]);
    }

    public IEnumerable<string> Texts => Values.Select(v => v.Value);
}

/// <summary>
/// One attribute of a settlement, as <see cref="SettlementSchema"/> declares it: everything that
/// serves, stores, validates, imports or labels it reads this.
/// </summary>
/// <param name="Name">The JSON property, query parameter, column and CSV header.</param>
/// <param name="Type">How its value is typed.</param>
/// <param name="Group">The group it is shown in.</param>
/// <param name="Outputs">Where it appears besides the settlement's own feature.</param>
public sealed record AttributeDefinition(string Name, AttributeType Type, AttributeGroup Group, Outputs Outputs)
{
    private readonly string? _sql;
    private readonly string? _filterSql;
    private readonly bool _required;

    public required Label Label { get; init; }

    /// <summary>One line that says what the value means (tooltips, OGC queryables, export metadata).</summary>
    public required Label Description { get; init; }

    /// <summary>The unit of a number as written after it ("m", "%", "m²").</summary>
    public string? Unit { get; init; }

    public NumberFormat Format { get; init; }

    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    /// <summary>Another whole-number attribute this one cannot exceed (households are at most the inhabitants).</summary>
    public string? AtMost { get; init; }

    /// <summary>The closed list of an <see cref="AttributeType.Enum"/>.</summary>
    public ClosedList? List { get; init; }

    /// <summary>Which way a change between two dates counts as better; null when the attribute is not compared over time.</summary>
    public ChangeOrder? Change { get; init; }

    /// <summary>An edit or import without it is refused (enums are always set: 'unknown' when not known).</summary>
    public bool Required { get => _required || Type == AttributeType.Enum; init => _required = value; }

    /// <summary>The value of a loaded settlement (with its municipality and district).</summary>
    public required Func<Settlement, object?> Get { get; init; }

    /// <summary>Sets a value read by <c>SettlementFields.TryRead</c>; null for what the server derives or keeps.</summary>
    public Action<Settlement, object?>? Set { get; init; }

    /// <summary>Column names a survey file may give it, besides its name and labels (the importer's matcher).</summary>
    public IReadOnlyList<string> ImportNames { get; init; } = [];

    public bool Editable => Set is not null;

    /// <summary>
    /// Who may see it until an administrator says otherwise (attribute_levels): chosen with care for
    /// what could harm the residents if published (README, "Who sees what").
    /// </summary>
    public Clearance Sensitivity { get; init; }

    /// <summary>
    /// Whether an administrator may hide it. Not the identity of a settlement (id, code, names, its
    /// municipality and district): without it nothing else could be shown, and search finds by name.
    /// </summary>
    public bool Restrictable { get; init; } = true;

    /// <summary>Only in the generalised public view (<c>Sensitivity.Generalisation</c>), where it stands in for a hidden value.</summary>
    public bool GeneralisedViewOnly { get; init; }

    /// <summary>Whether the value is a column of settlements itself (not derived, not the municipality's).</summary>
    public bool IsSettlementsColumn => Sql == "s." + Name;

    /// <summary>Its value in SQL over settlements s, municipalities m and districts d (the outputs' select lists).</summary>
    public string Sql { get => _sql ?? "s." + Name; init => _sql = value; }

    /// <summary>The expression a filter compares (the stored value, unrounded).</summary>
    public string FilterSql { get => _filterSql ?? Sql; init => _filterSql = value; }

    public bool In(Outputs output) => (Outputs & output) == output;

    /// <summary>The value as it travels in JSON: enum text, "yyyy-MM-dd" for a day, numbers and text as they are.</summary>
    public object? Read(Settlement settlement) => Get(settlement) switch
    {
        Enum member => EnumText.ToText(member),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        var value => value,
    };
}
