using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// The closed lists of plans and measures, each value with its label in the three languages: declared as the
/// settlement attributes' lists are (<see cref="ClosedList.Of{TEnum}"/> refuses a member left unlabelled), served by
/// GET /api/measures/lists. Not in SettlementSchema.ClosedLists: that is the settlement attributes' (the importer's
/// synonyms and /api/config are built from it).
/// </summary>
public static class MeasureLists
{
    private static Label L(string latn, string cyrl, string en) => new(latn, cyrl, en);

    public static readonly ClosedList PriorityArea = ClosedList.Of<Data.PriorityArea>("priority_area",
        ("housing", L("stanovanje", "становање", "housing")),
        ("education", L("obrazovanje", "образовање", "education")),
        ("employment", L("zapošljavanje", "запошљавање", "employment")),
        ("health", L("zdravlje", "здравље", "health")),
        ("social_protection", L("socijalna zaštita", "социјална заштита", "social protection")),
        ("access_to_rights", L("pristup pravima", "приступ правима", "access to rights")));

    public static readonly ClosedList Status = ClosedList.Of<MeasureStatus>("measure_status",
        ("planned", L("planirano", "планирано", "planned")),
        ("in_progress", L("u toku", "у току", "in progress")),
        ("done", L("završeno", "завршено", "done")),
        ("dropped", L("odustalo se", "одустало се", "dropped")));

    public static readonly ClosedList FundingSource = ClosedList.Of<Data.FundingSource>("funding_source",
        ("municipal_budget", L("budžet opštine", "буџет општине", "municipal budget")),
        ("programme", L("program", "програм", "programme")),
        ("donor", L("donator", "донатор", "donor")),
        ("other", L("drugo", "друго", "other")));

    public static readonly ClosedList Currency = new("currency", typeof(string),
    [
        new("RSD", L("dinar (RSD)", "динар (RSD)", "Serbian dinar (RSD)")),
        new("EUR", L("evro (EUR)", "евро (EUR)", "euro (EUR)")),
    ]);

    public static IReadOnlyList<ClosedList> All { get; } = [PriorityArea, Status, FundingSource, Currency];
}
