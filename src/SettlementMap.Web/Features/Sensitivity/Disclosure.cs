using System.Globalization;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// What one viewer may see under the current policy, and the SQL that shows them only that: every
/// settlement output builds its select list, filters and geometry through this, so a hidden attribute
/// is absent (not null) from what it writes, and a filter cannot name it.
/// <list type="bullet">
/// <item>An attribute above the viewer's level is left out; a coordinator, who sees every level in
/// their own municipalities, gets it with <c>CASE WHEN s.municipality_id IN (…)</c> (null elsewhere),
/// and filters compare that same masked value, so they cannot be used to infer a hidden one.</item>
/// <item>For the public view with <see cref="Generalisation"/> on, a small settlement's geometry is
/// its displaced point, its estimated inhabitants null and <c>estimated_inhabitants_below</c> the
/// threshold; a bounding box is compared with the point, not the outline.</item>
/// </list>
/// The SQL holds no request value: levels, the threshold and municipality ids are the database's own integers.
/// Over settlements s (or settlement_points s, which has the filter columns and municipality_id).
/// </summary>
public sealed class Disclosure(DisclosurePolicy policy, Viewer viewer)
{
    public DisclosurePolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    public Viewer Viewer { get; } = viewer ?? throw new ArgumentNullException(nameof(viewer));

    /// <summary>Everything, nothing generalised: the administrators' view (and the command line's).</summary>
    public static Disclosure Everything { get; } = new(DisclosurePolicy.Defaults, Viewer.Administrator("(system)"));

    /// <summary>Small settlements are generalised for this viewer (the public view with the option on).</summary>
    public bool Generalises => Policy.Generalisation.Enabled && Viewer.Level == Clearance.Public;

    /// <summary>Part of every ETag and response-cache key: viewers with the same key get the same bytes.</summary>
    public string CacheKey => Viewer.CacheKey + (Generalises ? "+generalised" : "");

    public Clearance LevelOf(AttributeDefinition attribute) => Policy.LevelOf(attribute);

    /// <summary>The viewer sees the attribute's values in every settlement.</summary>
    public bool ShowsEverywhere(AttributeDefinition attribute) => LevelOf(attribute) <= Viewer.Level;

    /// <summary>The attribute is part of this viewer's outputs (everywhere, or in their own municipalities).</summary>
    public bool Shows(AttributeDefinition attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (attribute.GeneralisedViewOnly)
        {
            return Generalises;
        }
        return ShowsEverywhere(attribute) || Viewer.OwnMunicipalities.Count > 0;
    }

    /// <summary>The attributes of <paramref name="output"/> this viewer sees, in schema order.</summary>
    public IEnumerable<AttributeDefinition> In(Outputs output) => SettlementSchema.Attributes.Where(a => a.In(output) && Shows(a));

    /// <summary>Whether <paramref name="name"/> is an attribute hidden from this viewer (a filter naming it is refused as unknown).</summary>
    public bool Hides(string name) => SettlementSchema.Find(name) is { } attribute && !Shows(attribute);

    /// <summary>"(s.estimated_inhabitants below the threshold, or unknown)": the settlements the public view generalises.</summary>
    public string SmallSql => $"COALESCE(s.estimated_inhabitants < {Threshold}, TRUE)";

    private string Threshold => Policy.Generalisation.Threshold.ToString(CultureInfo.InvariantCulture);

    /// <summary>The attribute's value as this viewer may see it (<paramref name="expression"/>, or its own SQL).</summary>
    public string Sql(AttributeDefinition attribute, string? expression = null) => Mask(attribute, expression ?? attribute.Sql);

    /// <summary>The value a filter on the attribute compares, as this viewer may see it.</summary>
    public string FilterSql(AttributeDefinition attribute) => Mask(attribute, attribute.FilterSql);

    private string Mask(AttributeDefinition attribute, string expression)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (attribute.GeneralisedViewOnly)
        {
            expression = Generalises ? $"CASE WHEN s.estimated_inhabitants < {Threshold} THEN {Threshold} END" : expression;
        }
        else if (Generalises && attribute.Name == SettlementSchema.EstimatedInhabitants)
        {
            expression = $"CASE WHEN {SmallSql} THEN NULL ELSE {expression} END";
        }
        if (!ShowsEverywhere(attribute))
        {
            // CASE WHEN FALSE keeps the value's type (a bare NULL would be "unknown": sum(NULL) is an error).
            expression = Viewer.OwnMunicipalities.Count == 0
                ? $"CASE WHEN FALSE THEN {expression} END"
                : $"CASE WHEN s.municipality_id IN ({string.Join(", ", Viewer.OwnMunicipalities.Order().Select(id => id.ToString(CultureInfo.InvariantCulture)))}) THEN {expression} END";
        }
        return expression;
    }

    /// <summary>"s.id, s.code, m.code AS municipality_code, …": the attributes of <paramref name="output"/> this viewer sees.</summary>
    public string SelectList(Outputs output, Func<AttributeDefinition, string>? expression = null) =>
        SchemaSql.SelectList(In(output), a => Sql(a, expression?.Invoke(a)));

    /// <summary>The attributes of <paramref name="output"/> this viewer sees as one JSON object text, keys in schema order.</summary>
    public string PropertiesJson(Outputs output) => SchemaSql.PropertiesJson(SelectList(output));

    /// <summary>The vector tiles' attributes this viewer sees (numbers as float8, see <see cref="SchemaSql.TileExpression"/>).</summary>
    public string TileSelectList() => SelectList(Outputs.Tile, SchemaSql.TileExpression);

    /// <summary>
    /// The geometry this viewer sees: <paramref name="geometry"/>, or for a generalised settlement its
    /// displaced point (from <paramref name="centroid"/>, in EPSG:4326, transformed to <paramref name="srid"/> when given).
    /// </summary>
    public string Geometry(string geometry, string centroid = "s.centroid", int? srid = null)
    {
        if (!Generalises)
        {
            return geometry;
        }
        var point = $"disclosed_point(s.id, {centroid})";
        if (srid is { } target)
        {
            point = $"ST_Transform({point}, {target.ToString(CultureInfo.InvariantCulture)})";
        }
        return $"CASE WHEN {SmallSql} THEN {point} ELSE {geometry} END";
    }

    /// <summary>
    /// "The geometry this viewer sees meets <paramref name="envelope"/>" (EPSG:4326), usable by the index on
    /// <paramref name="geometry"/>: a generalised settlement is found by its displaced point only, so a
    /// small box cannot find where its outline is.
    /// </summary>
    public string Intersects(string geometry, string envelope)
    {
        if (!Generalises)
        {
            return $"ST_Intersects({geometry}, {envelope})";
        }
        // The point lies at most the radius from the centroid: an outline that far from the box cannot give a point in it.
        // That test stands first, on its own, for every settlement: PostgreSQL then finds the candidates by the outlines'
        // index. Inside an OR it misjudged them and read every municipality first (a city-zoom layer request 1.7 → 9 ms).
        var reach = (Policy.Generalisation.RadiusM / MetresPerDegreeAtLeast).ToString("0.######", CultureInfo.InvariantCulture);
        return $"({geometry} && ST_Expand({envelope}, {reach}) AND ((NOT {SmallSql} AND ST_Intersects({geometry}, {envelope})) OR ({SmallSql} " +
            $"AND ST_Intersects(disclosed_point(s.id, s.centroid), {envelope}))))";
    }

    /// <summary>Metres in a degree of longitude at 60° N, fewer than anywhere in Serbia (41–47° N): the radius in degrees errs wide.</summary>
    private const double MetresPerDegreeAtLeast = 55_000;
}
