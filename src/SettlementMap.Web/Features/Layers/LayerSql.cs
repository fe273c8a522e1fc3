using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using static SettlementMap.Web.Http.SqlConditions;

namespace SettlementMap.Web.Features.Layers;

/// <summary>
/// The SQL of the GeoJSON layers, in one place. PostGIS renders each feature (RFC 7946:
/// lon/lat, counter-clockwise shells, 6 decimals ≈ 0.1 m); the WHERE clause is assembled only from
/// the fixed fragments below, and every value travels as a parameter.
/// </summary>
public static class LayerSql
{
    private const string MunicipalityProperties = """
        m.id, m.code, m.name_latn, m.name_cyrl, m.kind,
        d.code AS district_code, d.name_latn AS district_name_latn, d.name_cyrl AS district_name_cyrl, d.name_en AS district_name_en,
        m.population, m.boundary_approximate, agg.settlement_count, agg.estimated_inhabitants, m.source
        """;

    private static string MunicipalitiesFrom(Sensitivity.Disclosure shown) =>
        " FROM municipalities m JOIN districts d ON d.id = m.district_id " +
        SettlementSql.MunicipalityAggregate(zeroWithoutEstimates: false, shown);

    public static (string Sql, List<NpgsqlParameter> Parameters) Settlements(SettlementFilter filter)
    {
        var (where, parameters) = SettlementSql.Conditions(filter);
        var shown = filter.Shown;
        var geometry = shown.Geometry(Geometry("s.geom", filter.Zoom, parameters));
        if (filter.Time is null && KeptPropertiesServe(shown))
        {
            // Each settlement's properties object is kept written out by triggers (migration
            // SettlementLayerProperties, which lists its keys): the layer only copies it, and joins the
            // municipality and district only for a filter on them. The city-zoom bbox query at 100k then runs
            // 1.3-1.6x as often as with row_to_json and the joins (pgbench, 2 clients).
            var feature = GeoJsonFeatureSql.Feature("s.id", geometry, 6, "lp.properties");
            var from = " FROM settlements s JOIN settlement_layer_properties lp ON lp.id = s.id" + (SettlementSql.FiltersReadPlaces(filter) ? " " + SettlementSql.PlaceJoins : "");
            return ("SELECT " + feature + from + where + " ORDER BY s.id", parameters);
        }
        // The kept object holds every attribute: a viewer who may not see all of them everywhere gets
        // theirs built here (left out, or masked outside a coordinator's municipalities).
        // So does the layer as of a past instant: history keeps no properties written out.
        return ("SELECT " + GeoJsonFeatureSql.Feature("s.id", geometry, 6, shown.PropertiesJson(Outputs.Layer)) + " FROM " + SettlementSql.Joined(filter) + where + " ORDER BY s.id", parameters);
    }

    /// <summary>
    /// Whether settlement_layer_properties (every layer attribute, as written by its triggers) is what
    /// this viewer sees: every layer attribute shown in every settlement, nothing generalised.
    /// </summary>
    public static bool KeptPropertiesServe(Sensitivity.Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return !shown.Generalises && SettlementSchema.In(Outputs.Layer).All(shown.ShowsEverywhere);
    }

    /// <summary>
    /// What the map needs of the filtered settlements when it draws tiles instead of features: per
    /// municipality (id, code) the settlements, their estimated inhabitants and how many lack a water network
    /// (wells or none; the choropleths' rule in themes.js). Both figures count only what the viewer sees:
    /// an exact sum that included the generalised settlements' hidden estimates would give one away by
    /// difference (a filter or a municipality that holds a single small one).
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) SummaryByMunicipality(SettlementFilter filter)
    {
        var (where, parameters) = SettlementSql.Conditions(filter);
        var shown = filter.Shown;
        var inhabitants = shown.Sql(SettlementSchema.Find(SettlementSchema.EstimatedInhabitants)!);
        var water = shown.FilterSql(SettlementSchema.Find(WaterSupply)!);
        return ($"SELECT m.id, m.code, count(*), COALESCE(sum({inhabitants}), 0)::bigint, " +
            $"count(*) FILTER (WHERE {water} IN ('wells', 'none'))" + " FROM " + SettlementSql.Joined(filter) + where + " GROUP BY m.id, m.code ORDER BY m.code", parameters);
    }

    /// <summary>The attribute of the summary's "without water" count.</summary>
    public const string WaterSupply = "water_supply";

    /// <summary>
    /// Settlements per legend class of a theme: a closed-list value (or 'unknown'), or for a number
    /// 'c' + the index of the last break not above it (values under the first break fall in c0,
    /// as in themes.js classify). The value classed is the one the viewer sees: masked outside a
    /// coordinator's municipalities and for a generalised settlement's inhabitants, so those fall in 'unknown'.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) ThemeCounts(SettlementFilter filter, SettlementTheme theme, double[]? breaks)
    {
        ArgumentNullException.ThrowIfNull(theme);
        var (where, parameters) = SettlementSql.Conditions(filter);
        var column = filter.Shown.FilterSql(theme.Attribute);
        string classOf;
        if (theme.Numeric)
        {
            ArgumentNullException.ThrowIfNull(breaks);
            parameters.Add(new NpgsqlParameter<double[]>("breaks", breaks));
            classOf = $"CASE WHEN {column} IS NULL THEN 'unknown' ELSE 'c' || greatest(width_bucket({column}::float8, @breaks) - 1, 0) END";
        }
        else
        {
            classOf = $"COALESCE({column}, 'unknown')";
        }
        return ($"SELECT {classOf}, count(*) FROM {SettlementSql.Joined(filter)}{where} GROUP BY 1", parameters);
    }

    /// <summary>
    /// The municipality boundaries with their settlements' count and summed estimate: aggregates only, and the
    /// sum is of what <paramref name="shown"/> sees (as in <see cref="SummaryByMunicipality"/>, so the two cannot be subtracted).
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Municipalities(MunicipalityLayerFilter filter, Sensitivity.Disclosure? shown = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        AddBbox(where, parameters, "m.geom", filter.Bbox);
        AddEquals(where, parameters, "m.code", "municipality", filter.Municipality);
        AddEquals(where, parameters, "d.code", "district", filter.District);
        var feature = GeoJsonFeatureSql.Feature("m.id", Geometry("m.geom", filter.Zoom, parameters), 6, GeoJsonFeatureSql.Properties(MunicipalityProperties));
        return ("SELECT " + feature + MunicipalitiesFrom(shown ?? Sensitivity.Disclosure.Everything) + Where(where) + " ORDER BY m.id", parameters);
    }

    private static string Geometry(string column, int? zoom, List<NpgsqlParameter> parameters)
    {
        if (zoom is not { } z)
        {
            return column;
        }
        parameters.Add(new NpgsqlParameter<double>("tolerance", NpgsqlDbType.Double) { TypedValue = Simplification.ToleranceDegrees(z) });
        // Display simplification: ST_Simplify (Douglas-Peucker; preserveCollapsed keeps outlines smaller
        // than the tolerance instead of dropping them) is 3-4x cheaper than ST_SimplifyPreserveTopology,
        // whose topology guard a map drawing at under half a pixel does not need. The full geometry
        // (no zoom) is what exports and edits read.
        return $"ST_Multi(ST_Simplify({column}, @tolerance, true))";
    }
}
