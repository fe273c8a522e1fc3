using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// A measure's JSON body (create, or a PATCH that changes only the members it gives), read and checked field by field,
/// then applied to a tracked measure with the rules between fields: funding and its programme or donor, the status and
/// its days, the target attribute and its value (checked as the attribute's own values are: SettlementFields), and the
/// settlements, which must be in the plan's municipality.
/// </summary>
public sealed class MeasureEdit
{
    public const string PlanMember = "action_plan_id";

    private static readonly string[] Known =
    [
        PlanMember, "priority_area", "title_latn", "title_cyrl", "title_en", "settlement_codes", "target_attribute", "target_value",
        "responsible_body", "funding_source", "programme_code", "donor_name", "budget", "status", "started_on", "done_on", "dropped_on", "indicators",
    ];

    /// <summary>What GET answers besides the fields: sent back, they are refused rather than silently ignored.</summary>
    private static readonly string[] ReadOnly = ["id", "municipality_code", "settlements", "created_at", "updated_at", "updated_by", "version"];

    private static readonly string[] BudgetMembers = ["currency", "amount", "spent"];
    private static readonly string[] IndicatorMembers = ["name", "unit", "target", "achieved"];

    private readonly MemberReader _reader;
    private readonly bool _creating;

    private MeasureEdit(JsonElement root, bool creating)
    {
        _reader = new MemberReader(root);
        _creating = creating;
    }

    public Dictionary<string, List<RuleError>> Errors => _reader.Errors;

    public bool IsValid => _reader.IsValid;

    public int? PlanId { get; private set; }

    private string? _priorityArea, _titleLatn, _titleCyrl, _titleEn, _targetAttribute, _responsibleBody, _fundingSource, _programmeCode, _donorName, _status;
    private bool _hasTitleLatn, _hasTitleCyrl, _hasTitleEn, _hasTarget, _hasTargetValue, _hasBody, _hasProgramme, _hasDonor, _hasBudget, _hasIndicators, _hasSettlements;
    private bool _hasStarted, _hasDone, _hasDropped;
    private string? _targetValue;
    private DateOnly? _startedOn, _doneOn, _droppedOn;
    private BudgetView? _budget;
    private readonly List<IndicatorView> _indicators = [];
    private readonly List<string> _settlementCodes = [];

    // Resolved against the database (ResolveAsync).
    private Programme? _programme;
    private List<Settlement> _settlements = [];

    public static MeasureEdit Read(JsonElement root, bool creating)
    {
        var edit = new MeasureEdit(root, creating);
        edit.ReadMembers();
        return edit;
    }

    private void ReadMembers()
    {
        var r = _reader;
        r.RejectOthers(Known, ReadOnly);
        if (r.TryGet(PlanMember, out var plan))
        {
            if (plan.ValueKind == JsonValueKind.Number && plan.TryGetInt32(out var id) && id > 0)
            {
                PlanId = id;
            }
            else
            {
                r.Add(PlanMember, Refusals.NotWholeNumber(PlanMember, 1, int.MaxValue, SettlementFields.Got(plan), SettlementFields.Describe(plan)));
            }
        }
        r.TryChoice("priority_area", MeasureLists.PriorityArea, out _priorityArea);
        _hasTitleLatn = r.TryText("title_latn", MeasureRules.MaxTitleLength, out _titleLatn);
        _hasTitleCyrl = r.TryText("title_cyrl", MeasureRules.MaxTitleLength, out _titleCyrl);
        _hasTitleEn = r.TryText("title_en", MeasureRules.MaxTitleLength, out _titleEn);
        _hasBody = r.TryText("responsible_body", MeasureRules.MaxBodyLength, out _responsibleBody);
        r.TryChoice("funding_source", MeasureLists.FundingSource, out _fundingSource);
        _hasProgramme = r.TryText("programme_code", 64, out _programmeCode);
        _hasDonor = r.TryText("donor_name", MeasureRules.MaxDonorLength, out _donorName);
        r.TryChoice("status", MeasureLists.Status, out _status);
        _hasStarted = r.TryDay("started_on", past: true, out _startedOn);
        _hasDone = r.TryDay("done_on", past: true, out _doneOn);
        _hasDropped = r.TryDay("dropped_on", past: true, out _droppedOn);
        ReadTarget();
        ReadBudget();
        ReadIndicators();
        ReadSettlementCodes();
        if (_creating)
        {
            RequireOnCreate();
        }
    }

    private void RequireOnCreate()
    {
        if (PlanId is null && !_reader.Errors.ContainsKey(PlanMember))
        {
            _reader.Add(PlanMember, Refusals.Required(PlanMember));
        }
        if (_priorityArea is null && !_reader.Errors.ContainsKey("priority_area"))
        {
            _reader.Add("priority_area", Refusals.Required("priority_area"));
        }
        if (_titleLatn is null && _titleCyrl is null && !_reader.Errors.ContainsKey("title_latn") && !_reader.Errors.ContainsKey("title_cyrl"))
        {
            _reader.Add("title_latn", Refusals.Required("title_latn"));
        }
    }

    private void ReadTarget()
    {
        _hasTarget = _reader.TryText("target_attribute", 64, out _targetAttribute);
        if (_targetAttribute is not null && MeasureRules.Target(_targetAttribute) is null)
        {
            _reader.Add("target_attribute", SettlementSchema.Find(_targetAttribute) is null
                ? MeasureRefusals.UnknownAttribute("target_attribute", SettlementRules.Printable(_targetAttribute))
                : MeasureRefusals.NotTargetable("target_attribute", _targetAttribute));
            _hasTarget = false;
        }
        if (!_reader.TryGet("target_value", out var value))
        {
            return;
        }
        _hasTargetValue = true;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        // Checked against the attribute it aims at, named here or already the measure's (ApplyTo checks that pair again).
        _pendingTargetValue = value.Clone();
    }

    private JsonElement? _pendingTargetValue;

    /// <summary>The value aimed at, read as the attribute's own values are read (its list, its range, its decimals).</summary>
    private void CheckTargetValue(string attribute)
    {
        if (_pendingTargetValue is not { } value || MeasureRules.Target(attribute) is not { } field)
        {
            return;
        }
        if (!SettlementFields.TryRead(field, value, out var parsed, out var error))
        {
            _reader.Add("target_value", error!);
            return;
        }
        var text = parsed switch
        {
            null => null,
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        if (text is { Length: > MeasureRules.MaxTargetValueLength })
        {
            _reader.Add("target_value", Refusals.TooLong("target_value", MeasureRules.MaxTargetValueLength));
            return;
        }
        _targetValue = text;
    }

    private void ReadBudget()
    {
        if (!_reader.TryGet("budget", out var value))
        {
            return;
        }
        _hasBudget = true;
        if (value.ValueKind == JsonValueKind.Null || _reader.Nested("budget", value) is not { } budget)
        {
            return;
        }
        budget.RejectOthers(BudgetMembers, []);
        budget.TryChoice("currency", MeasureLists.Currency, out var currency);
        budget.TryNumber("amount", 0, MeasureRules.MaxAmount, 2, out var amount);
        budget.TryNumber("spent", 0, MeasureRules.MaxAmount, 2, out var spent);
        if (currency is null && (amount is not null || spent is not null) && !_reader.Errors.ContainsKey("budget.currency"))
        {
            _reader.Add("budget.currency", MeasureRefusals.RequiredWith("budget.currency", "budget.amount", "given"));
        }
        _budget = new BudgetView(currency, amount, spent);
    }

    private void ReadIndicators()
    {
        if (!_reader.TryList("indicators", MeasureRules.MaxIndicators, out var items))
        {
            return;
        }
        _hasIndicators = true;
        foreach (var (item, index) in (items ?? []).Select((item, index) => (item, index)))
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"indicators[{index}]");
            if (_reader.Nested(field, item) is not { } indicator)
            {
                continue;
            }
            indicator.RejectOthers(IndicatorMembers, []);
            indicator.TryText("name", MeasureRules.MaxIndicatorNameLength, out var name);
            indicator.TryText("unit", MeasureRules.MaxUnitLength, out var unit);
            indicator.TryNumber("target", -MeasureRules.MaxIndicatorValue, MeasureRules.MaxIndicatorValue, 4, out var target);
            indicator.TryNumber("achieved", -MeasureRules.MaxIndicatorValue, MeasureRules.MaxIndicatorValue, 4, out var achieved);
            if (name is null && !_reader.Errors.ContainsKey(field + ".name"))
            {
                _reader.Add(field + ".name", Refusals.Required(field + ".name"));
            }
            _indicators.Add(new IndicatorView(name ?? "", unit, target, achieved));
        }
    }

    private void ReadSettlementCodes()
    {
        if (!_reader.TryList("settlement_codes", MeasureRules.MaxSettlements, out var items))
        {
            return;
        }
        _hasSettlements = true;
        foreach (var (item, index) in (items ?? []).Select((item, index) => (item, index)))
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"settlement_codes[{index}]");
            if (item.ValueKind != JsonValueKind.String || JsonStrings.Get(item) is not { Length: > 0 and <= 64 } code)
            {
                _reader.Add("settlement_codes", Refusals.NotText(field, SettlementFields.Got(item), SettlementFields.Describe(item)));
                continue;
            }
            if (_settlementCodes.Contains(code, StringComparer.Ordinal))
            {
                _reader.Add("settlement_codes", MeasureRefusals.RepeatedSettlement("settlement_codes", SettlementRules.Printable(code)));
                continue;
            }
            _settlementCodes.Add(code);
        }
    }

    /// <summary>Finds the named programme and settlements; a settlement outside the plan's municipality is refused, naming it.</summary>
    public async Task ResolveAsync(SettlementMapDbContext db, ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(plan);
        if (_programmeCode is { } code)
        {
            _programme = await db.Programmes.SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
            if (_programme is null)
            {
                _reader.Add("programme_code", MeasureRefusals.UnknownProgramme("programme_code", SettlementRules.Printable(code)));
            }
        }
        if (_settlementCodes.Count == 0)
        {
            return;
        }
        _settlements = await db.Settlements.Where(s => _settlementCodes.Contains(s.Code)).ToListAsync(cancellationToken);
        foreach (var missing in _settlementCodes.Except(_settlements.Select(s => s.Code), StringComparer.Ordinal))
        {
            _reader.Add("settlement_codes", MeasureRefusals.UnknownSettlement("settlement_codes", SettlementRules.Printable(missing)));
        }
        foreach (var elsewhere in _settlements.Where(s => s.MunicipalityId != plan.MunicipalityId).OrderBy(s => s.Code, StringComparer.Ordinal))
        {
            _reader.Add("settlement_codes", MeasureRefusals.SettlementElsewhere("settlement_codes", elsewhere.Code, plan.Municipality!.NameLatn));
        }
    }

    /// <summary>
    /// Sets what the body gave on <paramref name="m"/> (tracked, with its settlements, indicators and programme loaded),
    /// then checks the rules between fields on the result. A status set without its day gets <paramref name="today"/>.
    /// </summary>
    public void ApplyTo(Measure m, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (PlanId is { } plan && !_creating && plan != m.ActionPlanId)
        {
            _reader.Add(PlanMember, MeasureRefusals.ChangedPlan(PlanMember));
        }
        if (_priorityArea is not null)
        {
            m.PriorityArea = EnumText.Parse<PriorityArea>(_priorityArea);
        }
        ApplyTitles(m);
        if (_hasBody)
        {
            m.ResponsibleBody = _responsibleBody;
        }
        ApplyTarget(m);
        ApplyFunding(m);
        if (_hasBudget)
        {
            (m.Currency, m.BudgetAmount, m.SpentAmount) = (_budget?.Currency, _budget?.Amount, _budget?.Spent);
        }
        ApplyStatus(m, today);
        if (_hasIndicators)
        {
            m.Indicators.Clear();
            m.Indicators.AddRange(_indicators.Select((i, position) => new MeasureIndicator
            {
                Position = position, Name = i.Name, Unit = i.Unit, TargetValue = i.Target, AchievedValue = i.Achieved,
            }));
        }
        if (_hasSettlements)
        {
            m.Settlements.RemoveAll(s => !_settlements.Contains(s));
            m.Settlements.AddRange(_settlements.Where(s => !m.Settlements.Contains(s)));
        }
    }

    /// <summary>One script given: the other follows (as a settlement's names do); both given: both kept.</summary>
    private void ApplyTitles(Measure m)
    {
        if (_hasTitleLatn || _hasTitleCyrl)
        {
            var latn = _titleLatn ?? (_titleCyrl is null ? null : SerbianScript.ToLatin(_titleCyrl));
            var cyrl = _titleCyrl ?? (latn is null ? null : SerbianScript.ToCyrillic(latn));
            if (latn is null || cyrl is null)
            {
                // Said once: a new measure without a title was already refused so (RequireOnCreate).
                if (!_reader.Errors.ContainsKey("title_latn"))
                {
                    _reader.Add("title_latn", Refusals.Required("title_latn"));
                }
                return;
            }
            (m.TitleLatn, m.TitleCyrl) = (Bounded(latn, "title_latn"), Bounded(cyrl, "title_cyrl"));
        }
        if (_hasTitleEn)
        {
            m.TitleEn = _titleEn;
        }
    }

    /// <summary>A transliteration can lengthen a text (Љ → Lj): what is stored stays within the bound.</summary>
    private string Bounded(string text, string field)
    {
        if (text.Length > MeasureRules.MaxTitleLength)
        {
            _reader.Add(field, Refusals.TooLong(field, MeasureRules.MaxTitleLength));
            return text[..MeasureRules.MaxTitleLength];
        }
        return text;
    }

    private void ApplyTarget(Measure m)
    {
        var attribute = _hasTarget ? _targetAttribute : m.TargetAttribute;
        if (attribute is not null)
        {
            CheckTargetValue(attribute);
        }
        if (_hasTarget)
        {
            m.TargetAttribute = _targetAttribute;
        }
        if (_hasTargetValue)
        {
            m.TargetValue = _targetValue;
        }
        if (_reader.Errors.ContainsKey("target_attribute") || _reader.Errors.ContainsKey("target_value"))
        {
            return;
        }
        if (m.TargetAttribute is not null && m.TargetValue is null)
        {
            _reader.Add("target_value", MeasureRefusals.RequiredWith("target_value", "target_attribute", "given"));
        }
        else if (m.TargetAttribute is null && m.TargetValue is not null)
        {
            _reader.Add("target_attribute", MeasureRefusals.RequiredWith("target_attribute", "target_value", "given"));
        }
        else if (_hasTarget && !_hasTargetValue && m.TargetAttribute is not null)
        {
            // Another attribute, the old value: the value must be said again for the new attribute.
            _reader.Add("target_value", MeasureRefusals.RequiredWith("target_value", "target_attribute", "changed"));
        }
    }

    private void ApplyFunding(Measure m)
    {
        if (_fundingSource is not null)
        {
            m.FundingSource = EnumText.Parse<FundingSource>(_fundingSource);
        }
        var programme = EnumText.ToText(Data.FundingSource.Programme);
        var donor = EnumText.ToText(Data.FundingSource.Donor);
        if (m.FundingSource == Data.FundingSource.Programme)
        {
            if (_hasProgramme)
            {
                m.Programme = _programme;
                m.ProgrammeId = _programme?.Id;
            }
            if (m.ProgrammeId is null && m.Programme is null && !_reader.Errors.ContainsKey("programme_code"))
            {
                _reader.Add("programme_code", MeasureRefusals.RequiredWith("programme_code", "funding_source", programme));
            }
        }
        else
        {
            if (_programmeCode is not null)
            {
                _reader.Add("programme_code", MeasureRefusals.OnlyWith("programme_code", "funding_source", programme));
            }
            (m.Programme, m.ProgrammeId) = (null, null);
        }
        if (m.FundingSource == Data.FundingSource.Donor)
        {
            if (_hasDonor)
            {
                m.DonorName = _donorName;
            }
            if (m.DonorName is null && !_reader.Errors.ContainsKey("donor_name"))
            {
                _reader.Add("donor_name", MeasureRefusals.RequiredWith("donor_name", "funding_source", donor));
            }
        }
        else
        {
            if (_donorName is not null)
            {
                _reader.Add("donor_name", MeasureRefusals.OnlyWith("donor_name", "funding_source", donor));
            }
            m.DonorName = null;
        }
    }

    /// <summary>
    /// The status and its days: planned has none; in progress has started_on; done has done_on (and started_on if known);
    /// dropped has dropped_on (and started_on if known). A day the status does not have is refused when sent, and
    /// cleared when left over from an earlier status (a measure reopened loses its done_on; the audit keeps it).
    /// </summary>
    private void ApplyStatus(Measure m, DateOnly today)
    {
        if (_status is not null)
        {
            m.Status = EnumText.Parse<MeasureStatus>(_status);
        }
        var status = EnumText.ToText(m.Status);
        var started = _hasStarted ? _startedOn : m.StartedOn;
        var done = _hasDone ? _doneOn : m.DoneOn;
        var dropped = _hasDropped ? _droppedOn : m.DroppedOn;
        void Refuse(string field, DateOnly? sent)
        {
            if (sent is not null)
            {
                _reader.Add(field, MeasureRefusals.NotForStatus(field, status));
            }
        }
        switch (m.Status)
        {
            case MeasureStatus.Planned:
                Refuse("started_on", _startedOn);
                Refuse("done_on", _doneOn);
                Refuse("dropped_on", _droppedOn);
                (started, done, dropped) = (null, null, null);
                break;
            case MeasureStatus.InProgress:
                Refuse("done_on", _doneOn);
                Refuse("dropped_on", _droppedOn);
                (started, done, dropped) = (started ?? today, null, null);
                break;
            case MeasureStatus.Done:
                Refuse("dropped_on", _droppedOn);
                (done, dropped) = (done ?? today, null);
                break;
            case MeasureStatus.Dropped:
                Refuse("done_on", _doneOn);
                (done, dropped) = (null, dropped ?? today);
                break;
        }
        if (started > done && !_reader.Errors.ContainsKey("done_on"))
        {
            _reader.Add("done_on", MeasureRefusals.BeforeField("done_on", "started_on"));
        }
        if (started > dropped && !_reader.Errors.ContainsKey("dropped_on"))
        {
            _reader.Add("dropped_on", MeasureRefusals.BeforeField("dropped_on", "started_on"));
        }
        (m.StartedOn, m.DoneOn, m.DroppedOn) = (started, done, dropped);
    }
}
