using System.Globalization;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// The measures of local action plans as an OGC API collection (issue 26, item 6). Each item's geometry is a MultiPolygon:
/// the union of the outlines of the settlements it names, or its municipality's outline where it names none. One
/// geometry type for every item, as the settlements and municipalities collections have, so GDAL and QGIS read one
/// layer; points would have mixed Points with the municipalities' polygons. In the generalised public view a small
/// settlement's outline is never used: it is the circle of the generalisation radius around its displaced point, which
/// covers the settlement's centre without telling its shape or exact place. Properties are the API's (GET /api/measures)
/// for the viewer: the budget absent below the budgets' level (<see cref="MeasureBudgets.Sql"/>), the target attribute
/// and value absent where the attribute is hidden in the plan's municipality.
/// </summary>
public static class OgcMeasures
{
    public const string Id = "measures";

    public static OgcCollectionInfo For(Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var geometry = "COALESCE(g.geom, ST_Multi(m.geom))";
        var budgetShown = $"COALESCE({MeasureBudgets.Sql(shown, "TRUE")}, FALSE)";
        return new OgcCollectionInfo(
            Id,
            "Measures of local action plans",
            "Measures of the municipalities' local action plans for Roma inclusion (demo data: synthetic): priority area, titles, settlements, " +
                "the attribute aimed at, funding, budget (RSD/EUR, where the viewer may see it), status and its days, indicators. The geometry is the " +
                "outlines of the settlements a measure names, or its municipality's where it names none. datetime compares the measure's time: " +
                "from the day work started (or it was recorded) to the day it was done or dropped, open while it is planned or in progress.",
            $"""
            measures ms JOIN action_plans p ON p.id = ms.action_plan_id JOIN municipalities m ON m.id = p.municipality_id
            JOIN districts d ON d.id = m.district_id LEFT JOIN programmes pr ON pr.id = ms.programme_id
            LEFT JOIN LATERAL (
                SELECT ST_Multi(ST_Union({SettlementGeometry(shown)})) AS geom, array_agg(s.code ORDER BY s.code) AS codes
                FROM measure_settlements x JOIN settlements s ON s.id = x.settlement_id WHERE x.measure_id = ms.id) g ON TRUE
            """,
            "ms.id",
            geometry,
            $"""
            (jsonb_build_object('action_plan_id', ms.action_plan_id, 'municipality_code', m.code, 'municipality_name_latn', m.name_latn,
                'district_code', d.code, 'priority_area', ms.priority_area, 'title_latn', ms.title_latn, 'title_cyrl', ms.title_cyrl,
                'title_en', ms.title_en, 'settlement_codes', to_jsonb(COALESCE(g.codes, ARRAY[]::text[])), 'responsible_body', ms.responsible_body,
                'funding_source', ms.funding_source, 'programme_code', pr.code, 'donor_name', ms.donor_name, 'status', ms.status,
                'started_on', ms.started_on, 'done_on', ms.done_on, 'dropped_on', ms.dropped_on,
                'indicators', (SELECT COALESCE(jsonb_agg(jsonb_build_object('name', i.name, 'unit', i.unit, 'target', i.target_value,
                    'achieved', i.achieved_value) ORDER BY i.position), '[]'::jsonb) FROM measure_indicators i WHERE i.measure_id = ms.id),
                'updated_at', ms.updated_at)
            || CASE WHEN {TargetShown(shown)} THEN jsonb_build_object('target_attribute', ms.target_attribute, 'target_value',
                CASE WHEN ms.target_attribute IN ({NumericTargets}) THEN to_jsonb(ms.target_value::numeric) ELSE to_jsonb(ms.target_value) END)
                ELSE jsonb_build_object() END
            || CASE WHEN {budgetShown} THEN jsonb_build_object('budget', jsonb_build_object('currency', ms.currency,
                'amount', ms.budget_amount, 'spent', ms.spent_amount)) ELSE jsonb_build_object() END)::text
            """,
            new Dictionary<string, Cql2Queryable>(StringComparer.Ordinal)
            {
                ["status"] = new("status", "ms.status", Cql2Type.Text),
                ["priority_area"] = new("priority_area", "ms.priority_area", Cql2Type.Text),
                ["municipality_code"] = new("municipality_code", "m.code", Cql2Type.Text),
                ["district_code"] = new("district_code", "d.code", Cql2Type.Text),
                ["funding_source"] = new("funding_source", "ms.funding_source", Cql2Type.Text),
                ["programme_code"] = new("programme_code", "pr.code", Cql2Type.Text),
                ["started_on"] = new("started_on", "ms.started_on", Cql2Type.Date),
                ["done_on"] = new("done_on", "ms.done_on", Cql2Type.Date),
                ["geometry"] = new("geometry", geometry, Cql2Type.Geometry),
            },
            // Planned or in progress: still open. A measure not yet started counts from the day it was recorded.
            new OgcTemporal("COALESCE(ms.started_on, (ms.created_at AT TIME ZONE 'UTC')::date)", "COALESCE(ms.done_on, ms.dropped_on)", OpenWhenNull: true),
            new Dictionary<string, CodeList>(StringComparer.Ordinal)
            {
                ["status"] = CodeList.From(MeasureLists.Status),
                ["priority_area"] = CodeList.From(MeasureLists.PriorityArea),
                ["funding_source"] = CodeList.From(MeasureLists.FundingSource),
            },
            Texts,
            ["ms.id"]);
    }

    /// <summary>A settlement's part of a measure's geometry as this viewer may see it (see the class summary).</summary>
    private static string SettlementGeometry(Disclosure shown)
    {
        if (!shown.Generalises)
        {
            return "s.geom";
        }
        var radius = shown.Policy.Generalisation.RadiusM.ToString(CultureInfo.InvariantCulture);
        return $"CASE WHEN {shown.SmallSql} THEN ST_Multi(ST_Buffer(disclosed_point(s.id, s.centroid)::geography, {radius})::geometry) ELSE s.geom END";
    }

    /// <summary>
    /// "The viewer sees the measure's target attribute": the rule of <see cref="DisclosedValues.Shows"/> in SQL. The names
    /// are the schema's and the ids the database's, never a request's.
    /// </summary>
    private static string TargetShown(Disclosure shown)
    {
        var everywhere = MeasureRules.Targets.Where(t => shown.LevelOf(t.Attribute) <= shown.Viewer.Level).Select(t => Quoted(t.Name)).ToList();
        var conditions = new List<string>();
        if (everywhere.Count > 0)
        {
            conditions.Add($"ms.target_attribute IN ({string.Join(", ", everywhere)})");
        }
        if (shown.Viewer.OwnMunicipalities.Count > 0)
        {
            conditions.Add($"p.municipality_id IN ({string.Join(", ", shown.Viewer.OwnMunicipalities.Order().Select(id => id.ToString(CultureInfo.InvariantCulture)))})");
        }
        return conditions.Count == 0 ? "FALSE" : $"ms.target_attribute IS NOT NULL AND ({string.Join(" OR ", conditions)})";
    }

    private static string NumericTargets =>
        string.Join(", ", MeasureRules.Targets.Where(t => t.Kind is AttributeType.WholeNumber or AttributeType.Number).Select(t => Quoted(t.Name)).DefaultIfEmpty("''"));

    private static string Quoted(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static readonly Dictionary<string, QueryableText> Labels = new(StringComparer.Ordinal)
    {
        ["status"] = new(new Label("status", "статус", "status"), null),
        ["priority_area"] = new(new Label("prioritetna oblast", "приоритетна област", "priority area"), null),
        ["district_code"] = new(new Label("šifra okruga", "шифра округа", "district code"), null),
        ["funding_source"] = new(new Label("izvor finansiranja", "извор финансирања", "funding source"), null),
        ["programme_code"] = new(new Label("šifra programa", "шифра програма", "programme code"), null),
        ["started_on"] = new(new Label("započeto", "започето", "started on"), null),
        ["done_on"] = new(new Label("završeno", "завршено", "done on"), null),
    };

    /// <summary>The measures' own fields here; the municipality and the outline as the page words them ("field.…").</summary>
    private static QueryableText? Texts(PageLabels labels, string name) =>
        Labels.GetValueOrDefault(name) ?? OgcCollections.PageTexts(labels, name);
}
