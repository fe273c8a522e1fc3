using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Web.Features.Measures;

/// <summary>A settlement a measure concerns, as a list shows it.</summary>
public sealed record MeasureSettlement(long Id, string Code, string NameLatn, string NameCyrl);

/// <summary>One indicator of a measure.</summary>
public sealed record IndicatorView(string Name, string? Unit, decimal? Target, decimal? Achieved);

/// <summary>A measure's amounts, in one currency.</summary>
public sealed record BudgetView(string? Currency, decimal? Amount, decimal? Spent);

/// <summary>
/// One measure as a viewer may see it: budget is absent (not null) for a viewer below the budgets' level
/// (<see cref="MeasureBudgets"/>); target_attribute and target_value are absent when the measure has none, or when its
/// attribute is hidden from the viewer in the plan's municipality (the aim would tell the hidden value).
/// </summary>
public sealed record MeasureView(
    long Id, int ActionPlanId, string MunicipalityCode, string PriorityArea, string TitleLatn, string TitleCyrl, string? TitleEn,
    IReadOnlyList<string> SettlementCodes, IReadOnlyList<MeasureSettlement> Settlements,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TargetAttribute,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? TargetValue,
    string? ResponsibleBody, string FundingSource, string? ProgrammeCode, string? DonorName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BudgetView? Budget,
    string Status, DateOnly? StartedOn, DateOnly? DoneOn, DateOnly? DroppedOn, IReadOnlyList<IndicatorView> Indicators,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? UpdatedBy, string Version);

/// <summary>What a measure's view is built from, read in one query: the measure, its plan's municipality, its programme's code, the settlements' codes and names (no outlines) and its indicators.</summary>
public sealed record MeasureRow(Measure Measure, int MunicipalityId, string MunicipalityCode, string? ProgrammeCode,
    List<MeasureSettlement> Settlements, List<MeasureIndicator> Indicators);

/// <summary>One page of measures: how many match, and those from offset on.</summary>
public sealed record MeasurePage(int Total, int Limit, int Offset, IReadOnlyList<MeasureView> Items);

/// <summary>A local action plan.</summary>
public sealed record ActionPlanView(
    int Id, string MunicipalityCode, string TitleLatn, string TitleCyrl, string? TitleEn, DateOnly PeriodStart, DateOnly PeriodEnd,
    DateOnly? AdoptedOn, string? DocumentUrl, int MeasureCount, DateTimeOffset UpdatedAt, string? UpdatedBy, string Version);

/// <summary>One page of plans.</summary>
public sealed record ActionPlanPage(int Total, int Limit, int Offset, IReadOnlyList<ActionPlanView> Items);

/// <summary>One audited change of a measure: field → { old, new }, the amounts left out for a viewer who may not see them.</summary>
public sealed record MeasureHistoryEntry(long Id, string Action, DateTimeOffset ChangedAt, string ChangedBy, JsonElement Changes);

/// <summary>A settlement attribute a measure may aim at, with its closed list if it has one.</summary>
public sealed record MeasureTarget(string Name, string Type, string? List, Text.Label Label);

/// <summary>
/// The closed lists of measures, the attributes they may aim at, the budgets' level, and the programmes a measure may
/// be funded by (code and name in the three languages: a page names a programme, never shows its code).
/// </summary>
public sealed record MeasureVocabulary(
    IReadOnlyDictionary<string, IReadOnlyList<ListValue>> Lists, IReadOnlyList<MeasureTarget> Attributes, string BudgetLevel,
    IReadOnlyList<ListValue> Programmes);

public sealed record BudgetLevelChange(string? Level);

/// <summary>Measures and plans as they are served, and as their audit snapshots record them.</summary>
public static class MeasureViews
{
    /// <summary>The measure as this viewer may see it.</summary>
    public static MeasureView ToView(MeasureRow row, Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(shown);
        var m = row.Measure;
        var target = m.TargetAttribute is { } name && shown.Shows(name, row.MunicipalityId) ? name : null;
        return new MeasureView(
            m.Id, m.ActionPlanId, row.MunicipalityCode, EnumText.ToText(m.PriorityArea), m.TitleLatn, m.TitleCyrl, m.TitleEn,
            [.. row.Settlements.Select(s => s.Code)], row.Settlements, target, target is null ? null : TargetValue(m),
            m.ResponsibleBody, EnumText.ToText(m.FundingSource), row.ProgrammeCode, m.DonorName,
            MeasureBudgets.Shows(shown, row.MunicipalityId) ? new BudgetView(m.Currency, Normal(m.BudgetAmount), Normal(m.SpentAmount)) : null,
            EnumText.ToText(m.Status), m.StartedOn, m.DoneOn, m.DroppedOn, Indicators(row.Indicators),
            m.CreatedAt, m.UpdatedAt, m.UpdatedBy, Version(m.Version));
    }

    public static ActionPlanView ToView(ActionPlan p, string municipalityCode, int measureCount)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ActionPlanView(p.Id, municipalityCode, p.TitleLatn, p.TitleCyrl, p.TitleEn, p.PeriodStart, p.PeriodEnd, p.AdoptedOn,
            p.DocumentUrl, measureCount, p.UpdatedAt, p.UpdatedBy, Version(p.Version));
    }

    public static string Version(uint version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value aimed at, typed as the attribute's own values travel (a number for a number).</summary>
    public static object? TargetValue(Measure m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m.TargetValue is { } text && SettlementSchema.Find(m.TargetAttribute ?? "") is { Type: AttributeType.WholeNumber or AttributeType.Number }
            && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? number
            : m.TargetValue;
    }

    private static List<IndicatorView> Indicators(IEnumerable<MeasureIndicator> indicators) =>
        [.. indicators.OrderBy(i => i.Position).Select(i => new IndicatorView(i.Name, i.Unit, Normal(i.TargetValue), Normal(i.AchievedValue)))];

    /// <summary>12.50 and 12.5 are the same amount: the stored scale is not part of the value.</summary>
    public static decimal? Normal(decimal? value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Measures with what <see cref="Snapshot(Measure)"/> and their audit rows read: plan, programme, settlements, indicators.</summary>
    public static IQueryable<Measure> WithSnapshotParts(this IQueryable<Measure> measures) =>
        measures.Include(m => m.ActionPlan).Include(m => m.Programme).Include(m => m.Settlements).Include(m => m.Indicators)
            .AsSplitQuery(); // two collections: one query each, not their product

    /// <summary>Every field of a measure as its audit rows keep it (before and after a change).</summary>
    public static SortedDictionary<string, object?> Snapshot(Measure m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(StringComparer.Ordinal)
        {
            ["action_plan_id"] = m.ActionPlanId,
            ["priority_area"] = EnumText.ToText(m.PriorityArea),
            ["title_latn"] = m.TitleLatn,
            ["title_cyrl"] = m.TitleCyrl,
            ["title_en"] = m.TitleEn,
            ["settlement_codes"] = m.Settlements.Select(s => s.Code).Order(StringComparer.Ordinal).ToList(),
            ["target_attribute"] = m.TargetAttribute,
            ["target_value"] = TargetValue(m),
            ["responsible_body"] = m.ResponsibleBody,
            ["funding_source"] = EnumText.ToText(m.FundingSource),
            ["programme_code"] = m.Programme?.Code,
            ["donor_name"] = m.DonorName,
            ["budget"] = m.Currency is null && m.BudgetAmount is null && m.SpentAmount is null
                ? null
                : new BudgetView(m.Currency, Normal(m.BudgetAmount), Normal(m.SpentAmount)),
            ["status"] = EnumText.ToText(m.Status),
            ["started_on"] = m.StartedOn,
            ["done_on"] = m.DoneOn,
            ["dropped_on"] = m.DroppedOn,
            ["indicators"] = Indicators(m.Indicators),
        };
    }

    /// <summary>Every field of a plan as its audit rows keep it.</summary>
    public static SortedDictionary<string, object?> Snapshot(ActionPlan p, string municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(StringComparer.Ordinal)
        {
            ["municipality_code"] = municipalityCode,
            ["title_latn"] = p.TitleLatn,
            ["title_cyrl"] = p.TitleCyrl,
            ["title_en"] = p.TitleEn,
            ["period_start"] = p.PeriodStart,
            ["period_end"] = p.PeriodEnd,
            ["adopted_on"] = p.AdoptedOn,
            ["document_url"] = p.DocumentUrl,
        };
    }
}
