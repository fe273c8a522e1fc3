using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// One collection of the OGC API as one viewer may see it (<see cref="OgcCollections.Find(string, Disclosure)"/>):
/// its SQL pieces (fixed text of ours: a request only ever picks a collection by id from this list) and the
/// properties a filter may name. <see cref="Geometry"/> is what items are written with and <see cref="Intersects"/>
/// what a bbox compares: the geometry column unless the viewer's view changes it (a generalised settlement's point).
/// <see cref="Key"/> orders the items: bigint SQL expressions, unique together, that a page's cursor continues after.
/// </summary>
public sealed record OgcCollectionInfo(
    string Id,
    string Title,
    string Description,
    string From,
    string IdColumn,
    string GeometryColumn,
    string Properties,
    IReadOnlyDictionary<string, Cql2Queryable> Queryables,
    OgcTemporal? Temporal,
    IReadOnlyDictionary<string, CodeList> CodeLists,
    Func<PageLabels, string, QueryableText?> TextOf,
    IReadOnlyList<string> Key)
{
    /// <summary>The geometry of an item as the viewer sees it (SQL, EPSG:4326).</summary>
    public string Geometry { get; init; } = GeometryColumn;

    /// <summary>The items' geometry type in the feature schema (describedby): a Part 5 "geometry-…" format.</summary>
    public string GeometryFormat { get; init; } = "geometry-multipolygon";

    /// <summary>The JSON Schema of each item property, in item order (describedby), or null when the collection declares none.</summary>
    public IReadOnlyDictionary<string, object?>? ItemProperties { get; init; }

    /// <summary>
    /// The FROM at a datetime, for a collection with a history (the settlements): an instant reads the state
    /// then, an interval every feature that existed in it. Null: datetime compares <see cref="OgcCollectionInfo.Temporal"/>.
    /// </summary>
    public Func<History.SettlementTime, string>? FromAt { get; init; }

    /// <summary>
    /// The temporal extent of a collection whose time is its history, not a column of its rows (<see cref="FromAt"/>): the
    /// first and the last day as whole SQL date expressions (a null last day: open), in place of <see cref="Temporal"/>'s.
    /// </summary>
    public (string FirstDay, string LastDay)? TemporalExtent { get; init; }

    /// <summary>"The item's geometry meets <c>envelope</c>" (EPSG:4326), usable by the index on the geometry column.</summary>
    public Func<string, string> IntersectsSql { get; init; } = envelope => $"ST_Intersects({GeometryColumn}, {envelope})";

    public string Intersects(string envelope) => IntersectsSql(envelope);

    /// <summary>Whether the items take unplanned=attribute:target (<see cref="UnplannedTarget"/>), as the settlements layer does.</summary>
    public bool TakesUnplanned { get; init; }
}

/// <summary>A queryable's title and one-line description, in the three languages.</summary>
public sealed record QueryableText(Label Title, Label? Description);

/// <summary>
/// A feature's time, for datetime and the temporal extent: the first and the last day (SQL date
/// expressions of ours). A null day is an open end (not known, or still current). OpenWhenNull:
/// whether a null last day makes the collection's extent open-ended (a record still current),
/// or only means a feature without a date.
/// </summary>
public sealed record OgcTemporal(string Start, string End, bool OpenWhenNull);

/// <summary>The values of a closed list and where their labels come from.</summary>
public sealed record CodeList(IReadOnlyList<string> Values, Func<PageLabels, string, Label?> LabelOf)
{
    /// <summary>A settlement attribute's list, labelled by <see cref="SettlementSchema"/>.</summary>
    public static CodeList From(ClosedList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new([.. list.Texts], (_, value) => list.Values.FirstOrDefault(v => v.Value == value)?.Label);
    }

    /// <summary>A list the page labels (wwwroot/js/i18n.js, under <paramref name="prefix"/> + value).</summary>
    public static CodeList FromPage(string prefix, IReadOnlyList<string> values) => new(values, (labels, value) => labels.Find(prefix + value));
}

public static class OgcCollections
{
    /// <summary>The settlements as an administrator sees them (the SQL-text tests' and the API description's).</summary>
    public static OgcCollectionInfo Settlements { get; } = SettlementsFor(Disclosure.Everything);

    /// <summary>
    /// The settlements as <paramref name="shown"/>'s viewer sees them: the attributes of the export output they see
    /// (masked where a coordinator sees them in their own municipalities only), the queryables among them
    /// comparing the masked values, and a generalised settlement as its displaced point, in the items, the bbox
    /// and a spatial filter alike. A hidden attribute is not a queryable: a filter naming it is refused as unknown.
    /// </summary>
    public static OgcCollectionInfo SettlementsFor(Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var geometry = shown.Geometry("s.geom");
        return new OgcCollectionInfo(
            "settlements",
            "Roma settlements",
            "Settlement outlines with housing, infrastructure, service-access, legal-status, risk and population attributes (demo data: synthetic). " +
                "datetime reads the history: an instant (a date: the end of that UTC day) gives every settlement as it was then, including those deleted since and without those created after; " +
                "an interval gives each settlement that existed in it, in its last state there. Without datetime, the current state." +
                (shown.Generalises ? $" In the public view a settlement of fewer than {shown.Policy.Generalisation.Threshold} estimated inhabitants (or none recorded) is a point within {shown.Policy.Generalisation.RadiusM} m of its centre, not its outline: the items are MultiPolygons and Points." : ""),
            SettlementSql.SettlementsJoined,
            "s.id",
            "s.geom",
            shown.PropertiesJson(Outputs.Export),
            Queryables(
                [
                    .. SettlementSchema.In(Outputs.Queryables).Where(shown.Shows).Select(a => new Cql2Queryable(a.Name, shown.FilterSql(a), a.Type switch
                    {
                        AttributeType.WholeNumber => Cql2Type.Integer,
                        AttributeType.Number => Cql2Type.Number,
                        AttributeType.Date => Cql2Type.Date,
                        _ => Cql2Type.Text,
                    })),
                    new("geometry", geometry, Cql2Type.Geometry),
                ]),
            // The settlements' time is their history (FromAt, TemporalExtent), not a column of theirs.
            null,
            SettlementSchema.Attributes.Where(a => a.List is not null && shown.Shows(a)).ToDictionary(a => a.Name, a => CodeList.From(a.List!), StringComparer.Ordinal),
            SettlementTexts,
            ["s.id"])
        {
            Geometry = geometry,
            GeometryFormat = shown.Generalises ? "geometry-any" : "geometry-multipolygon",
            // From the first version's UTC day on, open: the history runs to now.
            TemporalExtent = ("(SELECT min(lower(valid)) AT TIME ZONE 'UTC' FROM settlement_versions)::date", "NULL::date"),
            ItemProperties = SettlementFeatureProperties(shown),
            IntersectsSql = envelope => shown.Intersects("s.geom", envelope),
            FromAt = time => $"{time.Sql} s {SettlementSql.PlaceJoins}",
            TakesUnplanned = true,
        };
    }

    private static readonly OgcCollectionInfo Municipalities = MunicipalitiesFor(Disclosure.Everything);

    /// <summary>
    /// The municipalities with their settlements' count and estimated inhabitants, summed over the values the
    /// viewer sees (a generalised settlement's are not, a coordinator's masked ones only in their own
    /// municipalities), so a sum cannot give back a value the items hide; without the attribute, no sum.
    /// </summary>
    private static OgcCollectionInfo MunicipalitiesFor(Disclosure shown)
    {
        var inhabitants = SettlementSchema.Find(SettlementSchema.EstimatedInhabitants)!;
        var summed = shown.Shows(inhabitants);
        return new(
        "municipalities",
        "Municipalities",
        "Municipalities and city municipalities of Serbia with settlement counts (boundaries approximate in the demo: Voronoi cells of the seats).",
        "municipalities m JOIN districts d ON d.id = m.district_id " + SettlementSql.MunicipalityAggregate(zeroWithoutEstimates: false, shown),
        "m.id",
        "m.geom",
        $"""
        json_build_object('code', m.code, 'name_latn', m.name_latn, 'name_cyrl', m.name_cyrl, 'kind', m.kind,
            'district_code', d.code, 'district_name_latn', d.name_latn, 'district_name_cyrl', d.name_cyrl, 'district_name_en', d.name_en,
            'population', m.population, 'boundary_approximate', m.boundary_approximate,
            'settlement_count', agg.settlement_count, {(summed ? "'estimated_inhabitants', agg.estimated_inhabitants, " : "")}'source', m.source)::text
        """,
        Queryables(
            [
                new("code", "m.code", Cql2Type.Text),
                new("name_latn", "m.name_latn", Cql2Type.Text),
                new("name_cyrl", "m.name_cyrl", Cql2Type.Text),
                new("kind", "m.kind", Cql2Type.Text),
                new("district_code", "d.code", Cql2Type.Text),
                new("settlement_count", "agg.settlement_count", Cql2Type.Integer),
                .. summed ? [new Cql2Queryable("estimated_inhabitants", "agg.estimated_inhabitants", Cql2Type.Integer)] : Array.Empty<Cql2Queryable>(),
                new("geometry", "m.geom", Cql2Type.Geometry),
            ]),
        // No time of their own: Part 1 (/req/core/fc-time-response C) has datetime match every one.
        null,
        new Dictionary<string, CodeList>(StringComparer.Ordinal) { ["kind"] = CodeList.FromPage("municipality.kind.", EnumText.Values<MunicipalityKind>()) },
        PageTexts,
        ["m.id"]);
    }

    private static readonly OgcCollectionInfo Coverage = new(
        "coverage",
        "Coverage of municipalities",
        "Who covers each municipality and when: coordinators for Roma issues, health mediators, pedagogical assistants, mobile teams, local action plans and programmes (ROMACTED, the UNDP/UNHCR/UNV youth project). One feature per record, with its municipality's outline; valid_to is the last day.",
        "coverage c JOIN municipalities m ON m.id = c.municipality_id JOIN districts d ON d.id = m.district_id LEFT JOIN programmes p ON p.id = c.programme_id",
        "c.id",
        "m.geom",
        """
        json_build_object('municipality_code', m.code, 'municipality_name_latn', m.name_latn, 'district_code', d.code,
            'kind', c.kind, 'programme_code', p.code, 'count', c.count, 'valid_from', c.valid_from, 'valid_to', c.valid_to,
            'source', c.source, 'note', c.note)::text
        """,
        Queryables(
            [
                new("municipality_code", "m.code", Cql2Type.Text),
                new("district_code", "d.code", Cql2Type.Text),
                new("kind", "c.kind", Cql2Type.Text),
                new("programme_code", "p.code", Cql2Type.Text),
                new("count", "c.count", Cql2Type.Integer),
                new("valid_from", "c.valid_from", Cql2Type.Date),
                new("valid_to", "c.valid_to", Cql2Type.Date),
                new("geometry", "m.geom", Cql2Type.Geometry),
            ]),
        // A record's period; no last day means it is still current.
        new OgcTemporal("c.valid_from", "c.valid_to", OpenWhenNull: true),
        new Dictionary<string, CodeList>(StringComparer.Ordinal) { ["kind"] = CodeList.FromPage("coverage.kind.", EnumText.Values<CoverageKind>()) },
        PageTexts,
        // Records with a count first: QGIS 3.22 takes the field types from the first ten items, and a
        // field that is null in all of them (programme records have no count) becomes text.
        ["(c.count IS NULL)::int::bigint", "c.id"]);

    /// <summary>A settlement attribute is described by the schema; the outline by the page's "field.geometry".</summary>
    private static QueryableText? SettlementTexts(PageLabels labels, string name) =>
        SettlementSchema.Find(name) is { } attribute ? new(attribute.Label, attribute.Description) : PageTexts(labels, name);

    internal static QueryableText? PageTexts(PageLabels labels, string name) =>
        labels.Find("field." + name) is { } title ? new(title, null) : null;

    /// <summary>
    /// The JSON Schema of each item property of the settlements the viewer sees, in item order: their export
    /// attributes (with estimated_inhabitants_below in the generalised public view).
    /// </summary>
    private static Dictionary<string, object?> SettlementFeatureProperties(Disclosure shown) =>
        // The id is the feature's own member too: GDAL would list it twice.
        shown.In(Outputs.Export).Where(a => a.Name != "id").ToDictionary(a => a.Name, a =>
        {
            var schema = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["type"] = a.Type switch { AttributeType.WholeNumber => "integer", AttributeType.Number => "number", _ => "string" },
                ["title"] = a.Label.En,
                ["description"] = a.Description.En,
            };
            if (a.Type is AttributeType.Date or AttributeType.DateTime)
            {
                schema["format"] = a.Type == AttributeType.Date ? "date" : "date-time";
            }
            if (a.List is { } list)
            {
                schema["enum"] = list.Texts.ToArray();
            }
            return (object?)schema;
        });

    /// <summary>The collections as an administrator sees them: their ids, titles and SQL shapes (a request's own view: <see cref="Find(string, Disclosure)"/>).</summary>
    public static IReadOnlyList<OgcCollectionInfo> All { get; } = [Settlements, Municipalities, Coverage, OgcMeasures.For(Disclosure.Everything)];

    public static OgcCollectionInfo? Find(string id) => All.FirstOrDefault(c => c.Id == id);

    /// <summary>The collection <paramref name="id"/> as <paramref name="shown"/>'s viewer sees it.</summary>
    public static OgcCollectionInfo? Find(string id, Disclosure shown) => id switch
    {
        "settlements" => SettlementsFor(shown),
        "municipalities" => MunicipalitiesFor(shown),
        OgcMeasures.Id => OgcMeasures.For(shown),
        _ => Find(id),
    };

    /// <summary>Every collection as <paramref name="shown"/>'s viewer sees it.</summary>
    public static IReadOnlyList<OgcCollectionInfo> AllFor(Disclosure shown) => [.. All.Select(c => Find(c.Id, shown)!)];

    private static Dictionary<string, Cql2Queryable> Queryables(IEnumerable<Cql2Queryable> list) =>
        list.ToDictionary(q => q.Name, StringComparer.Ordinal);
}
