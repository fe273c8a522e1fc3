using System.Globalization;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Data.Demo;

/// <summary>
/// SYNTHETIC local action plans and measures for the programme municipalities, from a fixed seed, labelled as demo in
/// their titles, responsible bodies, donors and links (example.org). Every priority area and status occurs; where a
/// settlement's demo history (<see cref="DemoHistory"/>) shows an attribute reaching a value, a measure aiming at it is
/// done shortly before (the attribute changed after the measure was done), and other done measures aim at a value
/// their settlements still lack (it did not). Each plan and measure has its measure_changes rows, dated as it went:
/// created at adoption, started, then done or dropped. No person is named: the changes carry the demo accounts.
/// </summary>
public static class DemoMeasures
{
    public const int Seed = 20260426;

    /// <summary>The demo's "today" (its history ends here), so the data does not depend on the day it is loaded.</summary>
    private static readonly DateOnly DemoToday = new(2026, 11, 27);

    private static readonly (string Attribute, string Value, string Latn, string En)[] Aims =
    [
        ("water_supply", "network", "Proširenje vodovodne mreže", "Extension of the water network"),
        ("sewerage", "network", "Priključenje na kanalizacionu mrežu", "Connection to the sewer network"),
        ("electricity", "legal", "Legalno priključenje na elektromrežu", "Legal connection to the electricity grid"),
        ("legal_status", "legalised", "Legalizacija stambenih objekata", "Legalisation of dwellings"),
    ];

    private static readonly Dictionary<PriorityArea, (string Latn, string En)[]> Titles = new()
    {
        [PriorityArea.Housing] = [("Sanacija krovova i fasada", "Repair of roofs and façades")],
        [PriorityArea.Education] =
        [
            ("Pedagoški asistenti i stipendije za učenike", "Pedagogical assistants and scholarships for pupils"),
            ("Upis dece u predškolsko obrazovanje", "Enrolment of children in pre-school education"),
        ],
        [PriorityArea.Employment] =
        [
            ("Obuke i javni radovi za nezaposlene", "Training and public works for the unemployed"),
            ("Podrška samozapošljavanju", "Support for self-employment"),
        ],
        [PriorityArea.Health] =
        [
            ("Rad zdravstvenih medijatorki", "Health mediators' work"),
            ("Vakcinacija i preventivni pregledi dece", "Vaccination and preventive check-ups of children"),
        ],
        [PriorityArea.SocialProtection] = [("Jednokratna pomoć i ogrev za ugrožena domaćinstva", "One-off assistance and firewood for households in need")],
        [PriorityArea.AccessToRights] =
        [
            ("Pribavljanje ličnih dokumenata i upis u matične knjige", "Personal documents and civil registration"),
            ("Besplatna pravna pomoć", "Free legal aid"),
        ],
    };

    private static readonly PriorityArea[] OtherAreas =
        [PriorityArea.Education, PriorityArea.Employment, PriorityArea.Health, PriorityArea.SocialProtection, PriorityArea.AccessToRights, PriorityArea.Housing];

    private static readonly string[] Donors = ["Demo Foundation for Inclusion (synthetic)", "Demo Development Fund (synthetic)"];

    /// <summary>A plan with its measures and each one's audit, ready to be added.</summary>
    public sealed record DemoPlan(ActionPlan Plan, Municipality Municipality, List<(Measure Measure, List<(DateTimeOffset At, SortedDictionary<string, object?> State)> Steps)> Measures);

    /// <param name="municipalities">The programme municipalities, each with its programmes.</param>
    /// <param name="settlements">Today's settlements (tracked, with ids).</param>
    /// <param name="history">The demo history of the settlements.</param>
    public static List<DemoPlan> Build(IReadOnlyList<(Municipality Municipality, IReadOnlyList<Programme> Programmes)> municipalities,
        IReadOnlyList<Settlement> settlements, IReadOnlyList<DemoChange> history)
    {
        ArgumentNullException.ThrowIfNull(municipalities);
        ArgumentNullException.ThrowIfNull(settlements);
        ArgumentNullException.ThrowIfNull(history);
        var random = new Random(Seed);
        var stories = history.Where(c => c.State is not null).GroupBy(c => c.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.At).ToList(), StringComparer.Ordinal);
        var plans = new List<DemoPlan>();
        var ordinal = 0;
        foreach (var (municipality, programmes) in municipalities.OrderBy(m => m.Municipality.Code, StringComparer.Ordinal))
        {
            var own = settlements.Where(s => s.MunicipalityId == municipality.Id).OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
            var start = 2021 + random.Next(3);
            var plan = NewPlan(municipality, start, start + 4);
            var measures = new List<(Measure, List<(DateTimeOffset, SortedDictionary<string, object?>)>)>();
            // The aims the history shows reached: a measure done shortly before each (the attribute changed after it); one done
            // before this plan began belongs to the municipality's previous plan.
            DemoPlan? previous = null;
            foreach (var (aim, settlement, reached) in Reached(own, stories, random).Take(2))
            {
                var done = DateOnly.FromDateTime(reached.UtcDateTime).AddDays(-(20 + random.Next(100)));
                var started = done.AddMonths(-(6 + random.Next(12)));
                var into = measures;
                var home = plan;
                if (started < plan.AdoptedOn)
                {
                    previous ??= new DemoPlan(NewPlan(municipality, plan.PeriodStart.Year - 5, plan.PeriodStart.Year - 1), municipality, []);
                    (into, home) = (previous.Measures, previous.Plan);
                }
                var measure = NewMeasure(home, municipality, PriorityArea.Housing, aim.Latn, aim.En, [settlement], random, programmes);
                (measure.TargetAttribute, measure.TargetValue) = (aim.Attribute, aim.Value);
                AddIndicator(measure, [settlement], achieved: true);
                into.Add((measure, Progress(measure, MeasureStatus.Done, started, done, random)));
            }
            if (previous is not null)
            {
                plans.Add(previous);
            }
            // A done measure whose settlements still lack what it aimed at.
            if (Lacking(own, random) is { } lacking)
            {
                var measure = NewMeasure(plan, municipality, PriorityArea.Housing, lacking.Aim.Latn, lacking.Aim.En, lacking.Settlements, random, programmes);
                (measure.TargetAttribute, measure.TargetValue) = (lacking.Aim.Attribute, lacking.Aim.Value);
                AddIndicator(measure, lacking.Settlements, achieved: false);
                var done = Within(plan.PeriodStart.AddMonths(8), DemoToday.AddMonths(-3), random);
                measures.Add((measure, Progress(measure, MeasureStatus.Done, done.AddMonths(-(4 + random.Next(8))), done, random)));
            }
            var count = 3 + random.Next(4);
            for (var i = 0; i < count; i++)
            {
                var area = OtherAreas[ordinal++ % OtherAreas.Length];
                var (latn, en) = Titles[area][random.Next(Titles[area].Length)];
                var concerned = own.Count == 0 || random.NextDouble() < 0.3 ? [] : own.OrderBy(_ => random.Next()).Take(1 + random.Next(Math.Min(3, own.Count))).ToList();
                var measure = NewMeasure(plan, municipality, area, latn, en, concerned, random, programmes);
                // Every status occurs: the first measures of the first plan take them in turn, the others by chance.
                var status = ordinal <= 4 ? (MeasureStatus)(ordinal - 1) : random.NextDouble() switch
                {
                    < 0.3 => MeasureStatus.Planned,
                    < 0.65 => MeasureStatus.InProgress,
                    < 0.9 => MeasureStatus.Done,
                    _ => MeasureStatus.Dropped,
                };
                var started = Within(plan.PeriodStart, DemoToday.AddMonths(-2), random);
                var ended = Within(started.AddMonths(3), DemoToday, random);
                AddIndicator(measure, concerned, achieved: status == MeasureStatus.Done);
                measures.Add((measure, Progress(measure, status, started, ended, random)));
            }
            plans.Add(new DemoPlan(plan, municipality, measures));
        }
        return plans;
    }

    private static ActionPlan NewPlan(Municipality municipality, int from, int to) => new()
    {
        MunicipalityId = municipality.Id,
        Municipality = municipality,
        TitleLatn = $"Lokalni akcioni plan za unapređenje položaja Roma, {municipality.NameLatn} {from}–{to} (demo)",
        TitleCyrl = $"Локални акциони план за унапређење положаја Рома, {municipality.NameCyrl} {from}–{to} (демо)",
        TitleEn = $"Local action plan for Roma inclusion, {municipality.NameLatn} {from}–{to} (synthetic demo)",
        PeriodStart = new DateOnly(from, 1, 1),
        PeriodEnd = new DateOnly(to, 12, 31),
        AdoptedOn = new DateOnly(from - 1, 12, 15),
        DocumentUrl = string.Create(CultureInfo.InvariantCulture, $"https://example.org/demo/lap-{municipality.Code}-{from}.pdf"),
        UpdatedBy = DemoAccounts.CoordinatorPrefix + municipality.Code,
    };

    private static Measure NewMeasure(ActionPlan plan, Municipality municipality, PriorityArea area, string latn, string en, List<Settlement> concerned,
        Random random, IReadOnlyList<Programme> programmes)
    {
        var measure = new Measure
        {
            ActionPlan = plan,
            PriorityArea = area,
            TitleLatn = $"{latn} (demo)",
            TitleCyrl = SerbianScript.ToCyrillic(latn) + " (демо)",
            TitleEn = $"{en} (synthetic demo)",
            ResponsibleBody = random.NextDouble() < 0.6 ? $"Gradska uprava, {municipality.NameLatn} (demo)" : $"Centar za socijalni rad, {municipality.NameLatn} (demo)",
            Currency = "RSD",
            BudgetAmount = 500_000m * (1 + random.Next(60)),
        };
        measure.Settlements.AddRange(concerned);
        var funding = random.NextDouble();
        if (funding < 0.35 && programmes.Count > 0)
        {
            measure.FundingSource = FundingSource.Programme;
            measure.Programme = programmes[random.Next(programmes.Count)];
        }
        else if (funding < 0.55)
        {
            measure.FundingSource = FundingSource.Donor;
            measure.DonorName = Donors[random.Next(Donors.Length)];
            measure.Currency = "EUR";
            measure.BudgetAmount = 5_000m * (1 + random.Next(40));
        }
        else
        {
            measure.FundingSource = funding < 0.92 ? FundingSource.MunicipalBudget : FundingSource.Other;
        }
        return measure;
    }

    private static void AddIndicator(Measure measure, List<Settlement> concerned, bool achieved)
    {
        var households = Math.Max(5, concerned.Sum(s => s.Households ?? 10));
        measure.Indicators.Add(new MeasureIndicator
        {
            Position = 0,
            Name = concerned.Count > 0 ? "Obuhvaćena domaćinstva (demo)" : "Obuhvaćena lica (demo)",
            Unit = concerned.Count > 0 ? "domaćinstva" : "lica",
            TargetValue = households,
            AchievedValue = achieved ? households : Math.Round(households * 0.4m),
        });
    }

    /// <summary>Sets the status and its days, and returns the states its audit records: created at adoption, then each step.</summary>
    private static List<(DateTimeOffset, SortedDictionary<string, object?>)> Progress(Measure m, MeasureStatus status, DateOnly started, DateOnly ended, Random random)
    {
        var adopted = m.ActionPlan!.AdoptedOn!.Value;
        started = started < adopted ? adopted.AddDays(14) : started;
        ended = ended <= started ? started.AddDays(30) : ended;
        var finalBudget = m.BudgetAmount;
        var steps = new List<(DateTimeOffset, SortedDictionary<string, object?>)>();
        void Step(DateOnly day) => steps.Add((new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero), MeasureViews.Snapshot(m)));
        (m.Status, m.StartedOn, m.DoneOn, m.DroppedOn, m.SpentAmount) = (MeasureStatus.Planned, null, null, null, null);
        Step(adopted);
        if (status == MeasureStatus.Planned)
        {
            return steps;
        }
        (m.Status, m.StartedOn) = (MeasureStatus.InProgress, started);
        m.SpentAmount = Math.Round(finalBudget!.Value * (decimal)(0.1 + random.NextDouble() * 0.5), 0);
        Step(started);
        if (status == MeasureStatus.Done)
        {
            (m.Status, m.DoneOn, m.SpentAmount) = (MeasureStatus.Done, ended, Math.Round(finalBudget!.Value * (decimal)(0.8 + random.NextDouble() * 0.2), 0));
            Step(ended);
        }
        else if (status == MeasureStatus.Dropped)
        {
            (m.Status, m.DroppedOn) = (MeasureStatus.Dropped, ended);
            Step(ended);
        }
        return steps;
    }

    /// <summary>(aim, settlement, when) for each settlement whose history shows an aimed-at value reached after 2017.</summary>
    private static IEnumerable<((string Attribute, string Value, string Latn, string En) Aim, Settlement Settlement, DateTimeOffset At)> Reached(
        List<Settlement> own, Dictionary<string, List<DemoChange>> stories, Random random)
    {
        var found = new List<((string, string, string, string), Settlement, DateTimeOffset)>();
        foreach (var settlement in own)
        {
            if (!stories.TryGetValue(settlement.Code, out var story))
            {
                continue;
            }
            foreach (var aim in Aims)
            {
                var attribute = SettlementSchema.Find(aim.Attribute)!;
                var reached = story.Zip(story.Skip(1)).FirstOrDefault(p =>
                    p.Second.At.Year >= 2018 && !Equals(attribute.Read(p.First.State!), aim.Value) && Equals(attribute.Read(p.Second.State!), aim.Value));
                if (reached.Second is { } change)
                {
                    found.Add((aim, settlement, change.At));
                }
            }
        }
        return found.OrderBy(_ => random.Next()).GroupBy(f => f.Item2.Code).Select(g => g.First());
    }

    /// <summary>An aim that one to three settlements of the municipality still lack today.</summary>
    private static ((string Attribute, string Value, string Latn, string En) Aim, List<Settlement> Settlements)? Lacking(List<Settlement> own, Random random)
    {
        foreach (var aim in Aims.OrderBy(_ => random.Next()))
        {
            var attribute = SettlementSchema.Find(aim.Attribute)!;
            var lacking = own.Where(s => !Equals(attribute.Read(s), aim.Value)).Take(1 + random.Next(3)).ToList();
            if (lacking.Count > 0)
            {
                return (aim, lacking);
            }
        }
        return null;
    }

    private static DateOnly Within(DateOnly from, DateOnly to, Random random) =>
        to <= from ? from : from.AddDays(random.Next(to.DayNumber - from.DayNumber));
}
