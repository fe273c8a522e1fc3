using System.Text.Json;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Measures;

/// <summary>A plan's JSON body (create, or a PATCH that changes only the members it gives), read and checked field by field.</summary>
public sealed class PlanEdit
{
    private static readonly string[] Known = ["municipality_code", "title_latn", "title_cyrl", "title_en", "period_start", "period_end", "adopted_on", "document_url"];
    private static readonly string[] ReadOnly = ["id", "measure_count", "updated_at", "updated_by", "version"];

    private readonly MemberReader _reader;
    private readonly bool _creating;
    private string? _titleLatn, _titleCyrl, _titleEn, _documentUrl;
    private bool _hasTitleLatn, _hasTitleCyrl, _hasTitleEn, _hasPeriodStart, _hasPeriodEnd, _hasAdoptedOn, _hasDocumentUrl;
    private DateOnly? _periodStart, _periodEnd, _adoptedOn;

    private PlanEdit(JsonElement root, bool creating)
    {
        _reader = new MemberReader(root);
        _creating = creating;
    }

    public Dictionary<string, List<RuleError>> Errors => _reader.Errors;

    public bool IsValid => _reader.IsValid;

    /// <summary>The municipality of a new plan (a plan stays in its municipality).</summary>
    public string? MunicipalityCode { get; private set; }

    public static PlanEdit Read(JsonElement root, bool creating)
    {
        var edit = new PlanEdit(root, creating);
        var r = edit._reader;
        r.RejectOthers(creating ? Known : Known[1..], creating ? ReadOnly : [.. ReadOnly, "municipality_code"]);
        if (creating)
        {
            r.TryText("municipality_code", 64, out var code);
            edit.MunicipalityCode = code;
        }
        edit._hasTitleLatn = r.TryText("title_latn", MeasureRules.MaxTitleLength, out edit._titleLatn);
        edit._hasTitleCyrl = r.TryText("title_cyrl", MeasureRules.MaxTitleLength, out edit._titleCyrl);
        edit._hasTitleEn = r.TryText("title_en", MeasureRules.MaxTitleLength, out edit._titleEn);
        edit._hasPeriodStart = r.TryDay("period_start", past: false, out edit._periodStart);
        edit._hasPeriodEnd = r.TryDay("period_end", past: false, out edit._periodEnd);
        edit._hasAdoptedOn = r.TryDay("adopted_on", past: true, out edit._adoptedOn);
        edit._hasDocumentUrl = r.TryLink("document_url", MeasureRules.MaxUrlLength, out edit._documentUrl);
        if (creating)
        {
            foreach (var (field, given) in new[] { ("municipality_code", edit.MunicipalityCode is not null), ("period_start", edit._periodStart is not null), ("period_end", edit._periodEnd is not null) })
            {
                if (!given && !r.Errors.ContainsKey(field))
                {
                    r.Add(field, Refusals.Required(field));
                }
            }
        }
        return edit;
    }

    public void AddError(string field, RuleError error) => _reader.Add(field, error);

    /// <summary>Sets what the body gave on <paramref name="plan"/>, then checks the period.</summary>
    public void ApplyTo(ActionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (_hasTitleLatn || _hasTitleCyrl || _creating)
        {
            var latn = _titleLatn ?? (_titleCyrl is null ? null : SerbianScript.ToLatin(_titleCyrl));
            var cyrl = _titleCyrl ?? (latn is null ? null : SerbianScript.ToCyrillic(latn));
            if (latn is null || cyrl is null || latn.Length > MeasureRules.MaxTitleLength || cyrl.Length > MeasureRules.MaxTitleLength)
            {
                _reader.Add("title_latn", latn is null ? Refusals.Required("title_latn") : Refusals.TooLong("title_latn", MeasureRules.MaxTitleLength));
            }
            else
            {
                (plan.TitleLatn, plan.TitleCyrl) = (latn, cyrl);
            }
        }
        if (_hasTitleEn)
        {
            plan.TitleEn = _titleEn;
        }
        if (_hasPeriodStart && _periodStart is { } start)
        {
            plan.PeriodStart = start;
        }
        else if (_hasPeriodStart)
        {
            _reader.Add("period_start", Refusals.Required("period_start"));
        }
        if (_hasPeriodEnd && _periodEnd is { } end)
        {
            plan.PeriodEnd = end;
        }
        else if (_hasPeriodEnd)
        {
            _reader.Add("period_end", Refusals.Required("period_end"));
        }
        if (_hasAdoptedOn)
        {
            plan.AdoptedOn = _adoptedOn;
        }
        if (_hasDocumentUrl)
        {
            plan.DocumentUrl = _documentUrl;
        }
        if (plan.PeriodEnd < plan.PeriodStart && !_reader.Errors.ContainsKey("period_end"))
        {
            _reader.Add("period_end", MeasureRefusals.BeforeField("period_end", "period_start"));
        }
    }
}
