using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Precision;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Data.Demo;

/// <summary>One dated change of the demo's history: the state a settlement has from <see cref="At"/> on, or its deletion.</summary>
/// <param name="At">When it takes effect (the audit row's changed_at and the version's start).</param>
/// <param name="Actor">Who made it: a synthetic survey (<see cref="DemoHistory.SurveyActor"/>) or a demo account.</param>
/// <param name="Code">The settlement's code.</param>
/// <param name="State">Its state from then on (detached; its Municipality set); null when it is deleted then.</param>
public sealed record DemoChange(DateTimeOffset At, string Actor, string Code, Settlement? State);

/// <summary>
/// The synthetic history of the demo settlements, from a fixed seed: surveys in 2016, 2019 and 2023, a
/// coordinator's visits between them, and coordinators' edits in 2024–2026, ending exactly in the
/// state data/demo holds today. It is derived backwards from today's state: the last field visit is
/// dated by data_collected_on, earlier surveys saw most settlements worse off (water, sewerage,
/// electricity, legal status, substandard share) and a few better off; some settlements were first
/// recorded later, and a few recorded in 2016 were demolished or moved since. Same inputs, same history.
/// </summary>
public static class DemoHistory
{
    public const int Seed = 20162023;

    public static readonly DateTimeOffset[] Surveys =
    [
        new(2016, 5, 15, 8, 0, 0, TimeSpan.Zero), new(2019, 6, 15, 8, 0, 0, TimeSpan.Zero), new(2023, 4, 20, 8, 0, 0, TimeSpan.Zero),
    ];

    // Field data collected from these days up to a survey's date went into that survey.
    private static readonly DateOnly[] SurveyWindowStarts = [DateOnly.MinValue, new(2018, 9, 1), new(2022, 9, 1)];

    private static readonly DateTimeOffset EditsFrom = new(2024, 1, 8, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EditsUntil = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The account name a survey's changes carry: marked as the demo's own, like its other provenance.</summary>
    public static string SurveyActor(DateTimeOffset survey) => $"demo-survey-{survey.Year}";

    private static readonly WaterSupply[] Water = [WaterSupply.Network, WaterSupply.Wells, WaterSupply.None];
    private static readonly Sewerage[] Sewer = [Sewerage.Network, Sewerage.Septic, Sewerage.None];
    private static readonly Electricity[] Power = [Electricity.Legal, Electricity.Partial, Electricity.Illegal, Electricity.None];
    private static readonly LegalStatus[] Legal = [LegalStatus.Legalised, LegalStatus.InProcess, LegalStatus.NotLegalised];

    /// <summary>Every change, in the order to write them (by instant, then code).</summary>
    /// <param name="today">The settlements as data/demo holds them, their Municipality set.</param>
    /// <param name="coordinated">Codes of the municipalities with a demo coordinator (coord-&lt;code&gt;); the administrator edits the others.</param>
    public static List<DemoChange> Build(IReadOnlyList<Settlement> today, IReadOnlySet<string> coordinated)
    {
        ArgumentNullException.ThrowIfNull(today);
        ArgumentNullException.ThrowIfNull(coordinated);
        var random = new Random(Seed);
        string Editor(Settlement s) => coordinated.Contains(s.Municipality!.Code) ? DemoAccounts.CoordinatorPrefix + s.Municipality.Code : DemoAccounts.AdministratorName;

        // Where a coordinator works, edits are frequent; about a third of the other municipalities saw none since their last visit.
        var editRate = today.Select(s => s.Municipality!.Code).Distinct().Order(StringComparer.Ordinal).ToDictionary(
            code => code, code => coordinated.Contains(code) ? 0.6 : random.NextDouble() < 0.35 ? 0 : 0.3, StringComparer.Ordinal);
        var changes = new List<DemoChange>();
        var created = new List<(Settlement Today, DemoChange First)>();
        foreach (var settlement in today.OrderBy(s => s.Code, StringComparer.Ordinal))
        {
            var story = Story(settlement, Editor(settlement), editRate[settlement.Municipality!.Code], random);
            changes.AddRange(story);
            created.Add((settlement, story[0]));
        }
        changes.AddRange(Gone(today, created, Editor, random));
        return [.. changes.OrderBy(c => c.At).ThenBy(c => c.Code, StringComparer.Ordinal)];
    }

    /// <summary>One settlement's states, oldest first; the last is today's.</summary>
    private static List<DemoChange> Story(Settlement today, string editor, double editRate, Random random)
    {
        var collected = today.DataCollectedOn ?? DateOnly.FromDateTime(Surveys[0].UtcDateTime);
        // The last field visit: the survey whose collection window holds the day, else the coordinator's own visit then.
        var survey = Enumerable.Range(0, Surveys.Length)
            .Where(k => collected >= SurveyWindowStarts[k] && collected <= DateOnly.FromDateTime(Surveys[k].UtcDateTime))
            .Select(k => (int?)k).FirstOrDefault();
        var visit = survey is { } k1 ? Surveys[k1] : Entered(Day(collected).AddDays(random.Next(21)));
        var visitActor = survey is { } k2 ? SurveyActor(Surveys[k2]) : editor;
        var earlier = Surveys.Where(s => s < visit.AddDays(-60)).ToList();
        var roll = random.NextDouble();
        if (visit > Surveys[1].AddMonths(-6) && earlier.Count > 0 && roll < 0.18)
        {
            earlier.Clear(); // first recorded at its last visit: a settlement that appeared since
        }
        else if (earlier.Count > 1 && roll < 0.26)
        {
            earlier.RemoveAt(0); // missed by the first survey
        }
        var trendRoll = random.NextDouble();
        var trend = trendRoll < 0.72 ? 1 : trendRoll < 0.88 ? 0 : -1; // most improve, some stay, a few worsen
        var edits = new List<DateTimeOffset>();
        if (visit < EditsUntil.AddMonths(-6) && random.NextDouble() < editRate)
        {
            var from = visit.AddDays(7) > EditsFrom ? visit.AddDays(7) : EditsFrom;
            var count = random.NextDouble() < 0.3 ? 2 : 1;
            for (var i = 0; i < count; i++)
            {
                edits.Add(Entered(from.AddMinutes(Math.Floor(random.NextDouble() * (EditsUntil - from).TotalMinutes))));
            }
            edits = [.. edits.Where(e => e > visit && e < EditsUntil).Distinct().Order()];
        }

        var story = new List<DemoChange>();
        var state = today;
        foreach (var at in Enumerable.Reverse(edits))
        {
            story.Add(new DemoChange(at, editor, today.Code, state));
            state = Copy(state);
            BeforeEdit(state, trend, random);
        }
        story.Add(new DemoChange(visit, visitActor, today.Code, state));
        foreach (var at in Enumerable.Reverse(earlier))
        {
            state = Copy(state);
            BeforeSurvey(state, trend, at, random);
            story.Add(new DemoChange(at, SurveyActor(at), today.Code, state));
        }
        story.Reverse();
        return story;
    }

    /// <summary>
    /// Settlements recorded in the early surveys and gone since: some moved (deleted when the settlement
    /// they moved to was first recorded, a short way off), some demolished. Placed like the builder's:
    /// inside their municipality, overlapping nothing.
    /// </summary>
    private static List<DemoChange> Gone(IReadOnlyList<Settlement> today, List<(Settlement Today, DemoChange First)> created,
        Func<Settlement, string> editor, Random random)
    {
        var placed = today.Select(s => (Geometry)s.Geom.Buffer(0.002)).ToList();
        var ordinals = today.GroupBy(s => s.Municipality!.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var moved = created.Where(c => c.First.At > Surveys[1].AddMonths(-6) && c.First.At != Surveys[2]).OrderBy(_ => random.Next()).ToList();
        var candidates = moved.Select(c => (c.Today, Deleted: (DemoChange?)c.First))
            .Concat(Enumerable.Range(0, 40).Select(_ => (Today: today[random.Next(today.Count)], Deleted: (DemoChange?)null)))
            .ToList();
        var changes = new List<DemoChange>();
        int relocated = 0, demolished = 0;
        foreach (var (template, deleted) in candidates)
        {
            if (deleted is null ? demolished >= 8 : relocated >= 6)
            {
                continue;
            }
            if (Place(template, placed, random) is not { } geom)
            {
                continue;
            }
            placed.Add(geom.Buffer(0.002));
            var municipality = template.Municipality!;
            var ordinal = ordinals[municipality.Code] = ordinals[municipality.Code] + 1;
            var name = DemoDataBuilder.QuarterNames[random.Next(DemoDataBuilder.QuarterNames.Length)];
            var state = Copy(template);
            state.Code = $"DEMO-{municipality.Code.ToUpperInvariant()}-{ordinal:000}";
            state.NameLatn = name;
            state.NameCyrl = SerbianScript.ToCyrillic(name);
            state.Geom = geom;
            state.MainBuildingMaterial = BuildingMaterial.Makeshift;
            state.LegalStatus = LegalStatus.NotLegalised;
            state.WaterSupply = WaterSupply.None;
            state.Sewerage = Sewerage.None;
            state.Electricity = random.NextDouble() < 0.5 ? Electricity.Illegal : Electricity.None;
            state.EvictionThreat = YesNo.Yes;
            state.SubstandardSharePct = 85 + random.Next(16);
            state.EstimatedInhabitants = 40 + random.Next(260);
            state.Households = Math.Max(1, state.EstimatedInhabitants.Value / 5);
            state.DwellingCount = state.Households;
            state.PopulationYear = 2016;
            state.DataCollectedOn = DateOnly.FromDateTime(Surveys[0].UtcDateTime).AddDays(-random.Next(3, 60));
            changes.Add(new DemoChange(Surveys[0], SurveyActor(Surveys[0]), state.Code, state));
            if (deleted is not null)
            {
                changes.Add(new DemoChange(deleted.At, deleted.Actor, state.Code, null));
                relocated++;
            }
            else
            {
                var at = Entered(new DateTimeOffset(2020, 3, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(5 * 365 * 24 * 60)));
                changes.Add(new DemoChange(at, editor(template), state.Code, null));
                demolished++;
            }
        }
        return changes;
    }

    private static MultiPolygon? Place(Settlement near, List<Geometry> placed, Random random)
    {
        var area = near.Municipality!.Geom;
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var metres = 700 + random.NextDouble() * 1300;
            var bearing = random.NextDouble() * 2 * Math.PI;
            var centre = near.Geom.Centroid.Coordinate;
            var dx = metres * Math.Cos(bearing) / (111_320 * Math.Cos(centre.Y * Math.PI / 180));
            var dy = metres * Math.Sin(bearing) / 110_574;
            var moved = (MultiPolygon)AffineTransformation.TranslationInstance(dx, dy).Transform(near.Geom);
            var reduced = new GeometryPrecisionReducer(new PrecisionModel(1e6)).Reduce(moved); // the builder's 6 decimals
            var geom = reduced as MultiPolygon ?? reduced.Factory.CreateMultiPolygon([(Polygon)reduced]);
            geom.SRID = 4326;
            if (geom.IsValid && area.Covers(geom) && !placed.Any(p => p.EnvelopeInternal.Intersects(geom.EnvelopeInternal) && p.Intersects(geom)))
            {
                return geom;
            }
        }
        return null;
    }

    /// <summary>Turns the state after a coordinator's edit into the state before it: one or two facts undone.</summary>
    private static void BeforeEdit(Settlement s, int trend, Random random)
    {
        var steps = random.NextDouble() < 0.3 ? 2 : 1;
        for (var i = 0; i < steps; i++)
        {
            var done = trend != 0 && (random.Next(4) switch
            {
                0 => Step(s.WaterSupply, Water, trend, v => s.WaterSupply = v),
                1 => Step(s.Sewerage, Sewer, trend, v => s.Sewerage = v),
                2 => Step(s.Electricity, Power, trend, v => s.Electricity = v),
                _ => Step(s.LegalStatus, Legal, trend, v => s.LegalStatus = v),
            });
            if (!done || random.NextDouble() < 0.3)
            {
                Scale(s, 0.85 + random.NextDouble() * 0.3); // an estimate revised
            }
        }
    }

    /// <summary>Turns the state a later visit recorded into what an earlier survey saw.</summary>
    private static void BeforeSurvey(Settlement s, int trend, DateTimeOffset survey, Random random)
    {
        if (trend != 0)
        {
            if (random.NextDouble() < 0.45) Step(s.WaterSupply, Water, trend, v => s.WaterSupply = v);
            if (random.NextDouble() < 0.35) Step(s.Sewerage, Sewer, trend, v => s.Sewerage = v);
            if (random.NextDouble() < 0.4) Step(s.Electricity, Power, trend, v => s.Electricity = v);
            if (random.NextDouble() < 0.35) Step(s.LegalStatus, Legal, trend, v => s.LegalStatus = v);
        }
        if (s.SubstandardSharePct is { } share)
        {
            var change = trend == 0 ? (decimal)(random.NextDouble() * 4 - 2) : trend * (decimal)(3 + random.NextDouble() * 11);
            s.SubstandardSharePct = Math.Clamp(Math.Round(share + change, 1), 0, 100);
        }
        Scale(s, trend >= 0 ? 0.8 + random.NextDouble() * 0.25 : 1 + random.NextDouble() * 0.18);
        s.PopulationYear = survey.Year - (random.NextDouble() < 0.3 ? 1 : 0);
        s.DataCollectedOn = DateOnly.FromDateTime(survey.UtcDateTime).AddDays(-random.Next(3, 90));
    }

    /// <summary>One grade further from the best when going back in an improving story, nearer it in a worsening one.</summary>
    private static bool Step<T>(T value, T[] grades, int trend, Action<T> set) where T : struct, Enum
    {
        var index = Array.IndexOf(grades, value);
        var earlier = index + trend;
        if (index < 0 || earlier < 0 || earlier >= grades.Length)
        {
            return false;
        }
        set(grades[earlier]);
        return true;
    }

    private static void Scale(Settlement s, double factor)
    {
        int? By(int? value) => value is { } v ? Math.Max(1, (int)Math.Round(v * factor)) : null;
        s.EstimatedInhabitants = By(s.EstimatedInhabitants);
        s.Households = By(s.Households);
        s.DwellingCount = By(s.DwellingCount);
    }

    private static DateTimeOffset Day(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// When the coordinators' reports of that moment were entered: on the 1st or the 15th of a month at
    /// 09:00 UTC, the next such day. Few distinct instants keep the demo's load short: each instant is a
    /// round trip to set the change time and one to write its changes.
    /// </summary>
    private static DateTimeOffset Entered(DateTimeOffset at)
    {
        var day = at.Day == 1 && at.Hour < 9 ? 1 : at.Day <= 15 && !(at.Day == 15 && at.Hour >= 9) ? 15 : 0;
        var month = new DateTimeOffset(at.Year, at.Month, 1, 9, 0, 0, TimeSpan.Zero);
        return day == 0 ? month.AddMonths(1) : month.AddDays(day - 1);
    }

    /// <summary>A detached copy of a state: every editable attribute, the keys and the outline.</summary>
    public static Settlement Copy(Settlement from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var copy = new Settlement { Code = from.Code, NameLatn = from.NameLatn, NameCyrl = from.NameCyrl, Source = from.Source, Geom = from.Geom };
        CopyInto(from, copy);
        return copy;
    }

    /// <summary>Sets <paramref name="to"/> to the state <paramref name="from"/>: editable attributes, code, municipality, outline.</summary>
    public static void CopyInto(Settlement from, Settlement to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        foreach (var field in SettlementFields.All)
        {
            field.Set(to, field.Get(from));
        }
        to.Code = from.Code;
        to.Municipality = from.Municipality;
        to.Geom = from.Geom;
    }
}
