using System.Globalization;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.History;

/// <summary>What an indicator's figures count: settlements, people, or a percentage (0–100, one decimal).</summary>
public static class IndicatorUnit
{
    public const string Settlements = "settlements";
    public const string Inhabitants = "inhabitants";
    public const string Percent = "percent";
}

/// <summary>
/// One indicator of the Strategy that the data holds, declared once: the JSON series, the CSV column and the
/// page's chart series are all made from this.
/// </summary>
/// <param name="Id">The series' name in JSON and the page (snake_case; coverage kinds add ":" and the kind key).</param>
/// <param name="LabelKey">The page's label of it (wwwroot/js/i18n.js, under "issue 23: indicators"); {kind} is the coverage kind's name.</param>
/// <param name="Unit">An <see cref="IndicatorUnit"/>.</param>
/// <param name="Attributes">The settlement attributes it is made of: the indicator is left out for a viewer who does not
/// see each of them in every municipality of the area.</param>
/// <param name="Sql">An aggregate over the settlements s of one date (and the day's number days.n, for coverage); it reads
/// attributes only through <see cref="IndicatorColumns"/>, so as the viewer sees them.</param>
/// <param name="CoverageKind">For a coverage indicator, the kind key (coordinator, programme:romacted).</param>
public sealed record IndicatorDefinition(
    string Id, string LabelKey, string Unit, IReadOnlyList<string> Attributes, Func<IndicatorColumns, string> Sql, string? CoverageKind = null);

/// <summary>The SQL a definition may use: attributes masked for the viewer, and the covered municipalities of a kind.</summary>
public sealed class IndicatorColumns(Disclosure disclosure, string coveredParameter)
{
    /// <summary>The attribute's value over settlements s as the viewer sees it (<see cref="Disclosure.FilterSql"/>).</summary>
    public string this[string attribute] => disclosure.FilterSql(SettlementSchema.Find(attribute) ?? throw new InvalidOperationException($"'{attribute}' is not an attribute."));

    /// <summary>Estimated inhabitants as the viewer sees them: a generalised settlement's are not counted (<see cref="SettlementSql.InhabitantsSeenBy"/>).</summary>
    public string Inhabitants => SettlementSql.InhabitantsSeenBy(disclosure);

    /// <summary>"s's municipality is covered by the indicator's kind on the day" (the covered CTE of <see cref="IndicatorSql"/>).</summary>
    public string Covered => $"(days.n, s.municipality_id) IN (SELECT c.n, c.municipality_id FROM covered c WHERE c.kind_key = @{coveredParameter})";
}

public static class IndicatorDefinitions
{
    /// <summary>round(100 × part / whole, 1), null when whole is 0 or null (a sum over no row is null: 0 here).</summary>
    private static string Percent(string part, string whole) => $"round(100.0 * COALESCE({part}, 0) / NULLIF({whole}, 0), 1)::float8";

    /// <summary>Share of the settlements, and of their estimated inhabitants (those the viewer sees), where <paramref name="attribute"/> is <paramref name="value"/>.</summary>
    private static IndicatorDefinition[] Shares(string id, string attribute, string value)
    {
        // The value is written into the SQL: one of the attribute's closed list, never a request's.
        if (SettlementSchema.Find(attribute)?.List?.Values.Any(v => v.Value == value) != true)
        {
            throw new InvalidOperationException($"'{value}' is not a value of {attribute}'s closed list.");
        }
        return
        [
            new($"{id}_settlements", $"indicator.{id}_settlements", IndicatorUnit.Percent, [attribute],
                c => Percent($"count(s.id) FILTER (WHERE {c[attribute]} = '{value}')", "count(s.id)")),
            new($"{id}_inhabitants", $"indicator.{id}_inhabitants", IndicatorUnit.Percent, [attribute, SettlementSchema.EstimatedInhabitants],
                c => Percent($"sum({c.Inhabitants}) FILTER (WHERE {c[attribute]} = '{value}')", $"sum({c.Inhabitants}) FILTER (WHERE {c[attribute]} IS NOT NULL)")),
        ];
    }

    /// <summary>
    /// The settlement indicators, in the order of the chart's legend and the CSV's columns. A share is of all the
    /// settlements of the date (unknown values count as "not"), as the report's shares are. Sewerage counts the
    /// sewer network only: a septic tank is the schema's other value, not a connection.
    /// </summary>
    public static IReadOnlyList<IndicatorDefinition> Settlement { get; } =
    [
        new("settlements", "indicator.settlements", IndicatorUnit.Settlements, [], _ => "count(s.id)::float8"),
        new("estimated_inhabitants", "indicator.estimated_inhabitants", IndicatorUnit.Inhabitants, [SettlementSchema.EstimatedInhabitants],
            c => $"sum({c.Inhabitants})::float8"),
        .. Shares("water_network", "water_supply", "network"),
        .. Shares("sewer_network", "sewerage", "network"),
        .. Shares("legal_electricity", "electricity", "legal"),
        .. Shares("legalised", "legal_status", "legalised"),
        new("substandard_mean", "indicator.substandard_mean", IndicatorUnit.Percent, ["substandard_share_pct"],
            c => $"round(avg({c["substandard_share_pct"]}), 1)::float8"),
        new("substandard_median", "indicator.substandard_median", IndicatorUnit.Percent, ["substandard_share_pct"],
            c => $"round((percentile_cont(0.5) WITHIN GROUP (ORDER BY {c["substandard_share_pct"]}))::numeric, 1)::float8"),
    ];

    /// <summary>
    /// For one coverage kind: the share of the area's municipalities with settlements that it covers on the day, and the
    /// share of the settlements in them: CoverageSql's base (municipalities with at least one settlement) and its rule
    /// of a record active on a day (<see cref="Coverage.CoverageSql.ActiveRecords"/>).
    /// </summary>
    public static IReadOnlyList<IndicatorDefinition> Coverage(string kindKey) =>
    [
        new($"coverage_municipalities:{kindKey}", "indicator.coverage_municipalities", IndicatorUnit.Percent, [],
            c => Percent($"count(DISTINCT s.municipality_id) FILTER (WHERE {c.Covered})", "count(DISTINCT s.municipality_id)"), kindKey),
        new($"coverage_settlements:{kindKey}", "indicator.coverage_settlements", IndicatorUnit.Percent, [],
            c => Percent($"count(s.id) FILTER (WHERE {c.Covered})", "count(s.id)"), kindKey),
    ];

    private const string KindPlaceholder = "{kind}";

    /// <summary>The label of an indicator in the three languages: the page's, with a coverage kind's name put in.</summary>
    public static Label LabelOf(IndicatorDefinition indicator, PageLabels labels, Func<string, Label> kindName)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(kindName);
        var label = labels.Find(indicator.LabelKey) ?? throw new InvalidOperationException($"wwwroot/js/i18n.js has no label '{indicator.LabelKey}'.");
        if (indicator.CoverageKind is not { } kind)
        {
            return label;
        }
        var name = kindName(kind);
        // PageLabels writes Cyrillic by transliterating the Latin text, placeholder and all.
        return new Label(label.Latn.Replace(KindPlaceholder, name.Latn, StringComparison.Ordinal),
            label.Cyrl.Replace(SerbianScript.ToCyrillic(KindPlaceholder), name.Cyrl, StringComparison.Ordinal),
            label.En.Replace(KindPlaceholder, name.En, StringComparison.Ordinal));
    }

    /// <summary>Whether the viewer sees every attribute of the indicator in each of the area's municipalities.</summary>
    public static bool ShownIn(IndicatorDefinition indicator, Disclosure disclosure, IReadOnlyCollection<int> municipalityIds)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(disclosure);
        ArgumentNullException.ThrowIfNull(municipalityIds);
        return indicator.Attributes.All(a => municipalityIds.All(id => disclosure.Shows(a, id)));
    }

    /// <summary>A number as the CSV writes it: invariant, no thousands separator.</summary>
    public static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
