using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// One collection of the OGC API: its SQL pieces (fixed text of ours: a request only ever picks a
/// collection by id from this list) and the properties a filter may name.
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
    string OrderBy);

/// <summary>
/// A feature's time, for datetime and the temporal extent: the first and the last day (SQL date
/// expressions of ours). A null day is an open end (not known, or still current). OpenWhenNull:
/// whether a null last day makes the collection's extent open-ended (a record still current),
/// or only means a feature without a date.
/// </summary>
public sealed record OgcTemporal(string Start, string End, bool OpenWhenNull);

/// <summary>The values of a closed list and where the page keeps their labels ("list.water_supply." + value).</summary>
public sealed record CodeList(string LabelPrefix, IReadOnlyList<string> Values);

public static class OgcCollections
{
    /// <summary>Also the source of the exports: one definition of a settlement's published attributes.</summary>
    public static readonly OgcCollectionInfo Settlements = new(
        "settlements",
        "Roma settlements",
        "Settlement outlines with housing, infrastructure, service-access, legal-status, risk and population attributes (demo data: synthetic).",
        SettlementSql.SettlementsJoined,
        "s.id",
        "s.geom",
        """
        ((to_jsonb(s) - 'geom' - 'centroid' - 'search_key' - 'municipality_id')
            || jsonb_build_object('municipality_code', m.code, 'municipality_name_latn', m.name_latn, 'municipality_name_cyrl', m.name_cyrl,
                                  'district_code', d.code, 'area_m2', round(s.area_m2::numeric, 1)))::text
        """,
        Queryables(
            [
                new("id", "s.id", Cql2Type.Integer),
                new("code", "s.code", Cql2Type.Text),
                new("municipality_code", "m.code", Cql2Type.Text),
                new("district_code", "d.code", Cql2Type.Text),
                new("area_m2", "s.area_m2", Cql2Type.Number),
                new("geometry", "s.geom", Cql2Type.Geometry),
                .. SettlementFields.All.Select(f => new Cql2Queryable(f.Name, "s." + f.Name, f.Kind switch
                {
                    FieldKind.WholeNumber => Cql2Type.Integer,
                    FieldKind.Number => Cql2Type.Number,
                    FieldKind.Date => Cql2Type.Date,
                    _ => Cql2Type.Text,
                })),
            ]),
        // The day the data was collected: a settlement's attributes describe it as of that day.
        new OgcTemporal("s.data_collected_on", "s.data_collected_on", OpenWhenNull: false),
        SettlementFields.All.Where(f => f.List is not null)
            .ToDictionary(f => f.Name, f => new CodeList($"list.{f.List}.", SettlementFields.EnumValues(f.List!)), StringComparer.Ordinal),
        "s.id");

    private static readonly OgcCollectionInfo Municipalities = new(
        "municipalities",
        "Municipalities",
        "Municipalities and city municipalities of Serbia with settlement counts (boundaries approximate in the demo: Voronoi cells of the seats).",
        "municipalities m JOIN districts d ON d.id = m.district_id " + SettlementSql.MunicipalityAggregate(zeroWithoutEstimates: false),
        "m.id",
        "m.geom",
        """
        json_build_object('code', m.code, 'name_latn', m.name_latn, 'name_cyrl', m.name_cyrl, 'kind', m.kind,
            'district_code', d.code, 'district_name_latn', d.name_latn, 'district_name_cyrl', d.name_cyrl, 'district_name_en', d.name_en,
            'population', m.population, 'boundary_approximate', m.boundary_approximate,
            'settlement_count', agg.settlement_count, 'estimated_inhabitants', agg.estimated_inhabitants, 'source', m.source)::text
        """,
        Queryables(
            [
                new("code", "m.code", Cql2Type.Text),
                new("name_latn", "m.name_latn", Cql2Type.Text),
                new("name_cyrl", "m.name_cyrl", Cql2Type.Text),
                new("kind", "m.kind", Cql2Type.Text),
                new("district_code", "d.code", Cql2Type.Text),
                new("settlement_count", "agg.settlement_count", Cql2Type.Integer),
                new("estimated_inhabitants", "agg.estimated_inhabitants", Cql2Type.Integer),
                new("geometry", "m.geom", Cql2Type.Geometry),
            ]),
        // No time of their own: Part 1 (/req/core/fc-time-response C) has datetime match every one.
        null,
        new Dictionary<string, CodeList>(StringComparer.Ordinal) { ["kind"] = new("municipality.kind.", EnumText.Values<MunicipalityKind>()) },
        "m.id");

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
        new Dictionary<string, CodeList>(StringComparer.Ordinal) { ["kind"] = new("coverage.kind.", EnumText.Values<CoverageKind>()) },
        // Records with a count first: QGIS 3.22 takes the field types from the first ten items, and a
        // field that is null in all of them (programme records have no count) becomes text.
        "c.count IS NULL, c.id");

    public static IReadOnlyList<OgcCollectionInfo> All { get; } = [Settlements, Municipalities, Coverage];

    public static OgcCollectionInfo? Find(string id) => All.FirstOrDefault(c => c.Id == id);

    private static Dictionary<string, Cql2Queryable> Queryables(IEnumerable<Cql2Queryable> list) =>
        list.ToDictionary(q => q.Name, StringComparer.Ordinal);
}
