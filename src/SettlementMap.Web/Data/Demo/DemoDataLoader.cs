using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Data.Demo;

/// <summary>Loads the built demo data set (data/demo) and the programme facts (data/sources) into an empty database.</summary>
public sealed class DemoDataLoader(DemoFiles files, SettlementMapDbContext db, ILogger<DemoDataLoader> logger)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Loads the data once: does nothing when the database already has municipalities. The settlements
    /// arrive through their history (<see cref="DemoHistory"/>), written forward in time.
    /// </summary>
    public Task<bool> LoadIfEmptyAsync(CancellationToken cancellationToken = default) => LoadIfEmptyAsync(settlements: true, cancellationToken);

    /// <summary>Like <see cref="LoadIfEmptyAsync(CancellationToken)"/> without the settlements and their history: a scale database's boundaries.</summary>
    public Task<bool> LoadBoundariesIfEmptyAsync(CancellationToken cancellationToken = default) => LoadIfEmptyAsync(settlements: false, cancellationToken);

    private async Task<bool> LoadIfEmptyAsync(bool settlements, CancellationToken cancellationToken)
    {
        if (await db.Municipalities.AnyAsync(cancellationToken))
        {
            return false;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var districts = DemoFiles.ReadCsv(files.Districts).Select(d => new District
        {
            Code = d["code"], NameLatn = d["name_latn"], NameCyrl = d["name_cyrl"], NameEn = d["name_en"],
        }).ToList();
        db.Districts.AddRange(districts);
        var districtByCode = districts.ToDictionary(d => d.Code);

        var municipalities = (await ReadFeaturesAsync(files.Municipalities, cancellationToken)).Select(f => new Municipality
        {
            Code = Text(f, "code"),
            NameLatn = Text(f, "name_latn"),
            NameCyrl = Text(f, "name_cyrl"),
            Kind = EnumText.Parse<MunicipalityKind>(Text(f, "kind")),
            District = districtByCode[Text(f, "district_code")],
            Seat = new Point(Number(f, "seat_lon"), Number(f, "seat_lat")) { SRID = 4326 },
            Geom = AsMultiPolygon(f.Geometry),
            BoundaryApproximate = true,
            Source = "demo: GeoNames seat, Voronoi boundary clipped to Natural Earth outline",
        }).ToList();
        db.Municipalities.AddRange(municipalities);
        var municipalityByCode = municipalities.ToDictionary(m => m.Code);
        var municipalityByName = municipalities.ToDictionary(m => m.NameLatn);

        var programmes = DemoFiles.ReadCsv(files.Programmes).Select(p => new Programme
        {
            Code = p["code"],
            NameEn = p["name_en"],
            NameSrLatn = p["name_sr_latn"],
            NameSrCyrl = SerbianScript.ToCyrillic(p["name_sr_latn"]),
            Funders = p["funders"],
            StartedOn = OptionalDate(p["started_on"]),
            EndedOn = OptionalDate(p["ended_on"]),
        }).ToDictionary(p => p.Code);
        db.Programmes.AddRange(programmes.Values);
        db.Coverage.AddRange(DemoFiles.ReadCsv(files.ProgrammeMembers).Select(m => new CoverageRecord
        {
            Municipality = municipalityByName[m["municipality"]],
            Kind = CoverageKind.Programme,
            Programme = programmes[m["programme_code"]],
            ValidFrom = programmes[m["programme_code"]].StartedOn,
            ValidTo = programmes[m["programme_code"]].EndedOn,
            Source = "programme membership (domain.md)",
            Note = m["note"].Length == 0 ? null : m["note"],
        }));
        db.Coverage.AddRange(DemoFiles.ReadCsv(files.Coverage).Select(c => new CoverageRecord
        {
            Municipality = municipalityByCode[c["municipality_code"]],
            Kind = EnumText.Parse<CoverageKind>(c["kind"]),
            Count = c["count"].Length == 0 ? null : int.Parse(c["count"], Invariant),
            ValidFrom = OptionalDate(c["valid_from"]),
            ValidTo = OptionalDate(c["valid_to"]),
            Source = "demo",
        }));

        await db.SaveChangesAsync(cancellationToken);

        var today = 0;
        var changes = 0;
        var measures = (Plans: 0, Measures: 0);
        if (settlements)
        {
            var features = await ReadFeaturesAsync(files.Settlements, cancellationToken);
            var current = features.Select(f => SettlementFromFeature(f, municipalityByCode[Text(f, "municipality_code")])).ToList();
            var coordinated = DemoFiles.ReadCsv(files.ProgrammeMembers).Select(m => municipalityByName[m["municipality"]].Code).ToHashSet(StringComparer.Ordinal);
            var history = DemoHistory.Build(current, coordinated);
            await WriteHistoryAsync(history, cancellationToken);
            (today, changes) = (current.Count, history.Count);
            var members = DemoFiles.ReadCsv(files.ProgrammeMembers)
                .GroupBy(m => municipalityByName[m["municipality"]])
                .Select(g => (g.Key, (IReadOnlyList<Programme>)[.. g.Select(m => programmes[m["programme_code"]]).Distinct()]))
                .ToList();
            measures = await WriteMeasuresAsync(members, history, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Loaded demo data: {Districts} districts, {Municipalities} municipalities, {Settlements} settlements with {Changes} dated changes, " +
            "{Plans} synthetic action plans with {Measures} measures", districts.Count, municipalities.Count, today, changes, measures.Plans, measures.Measures);
        return true;
    }

    /// <summary>
    /// Writes the history forward in time as the editing API would: at each instant, in the transaction,
    /// settlementmap.change_time set (ChangeTime), then the settlements inserted, updated or deleted (the
    /// trigger writes settlement_versions from that time), and one audit row per change with the same
    /// changed_at, so the audit and the versions agree exactly.
    /// </summary>
    private async Task WriteHistoryAsync(List<DemoChange> history, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, Settlement>(StringComparer.Ordinal);
        var audit = new List<SettlementChange>();
        foreach (var instant in history.GroupBy(c => c.At))
        {
            await ChangeTime.SetAsync(db, instant.Key, cancellationToken);
            var created = new List<(Settlement Settlement, DemoChange Change)>();
            foreach (var change in instant)
            {
                if (!current.TryGetValue(change.Code, out var settlement))
                {
                    settlement = DemoHistory.Copy(change.State!);
                    Stamp(settlement, change);
                    db.Settlements.Add(settlement);
                    current[change.Code] = settlement;
                    created.Add((settlement, change));
                }
                else if (change.State is null)
                {
                    audit.Add(SettlementAudit.Record(ChangeAction.Delete, settlement.Id, change.Actor, change.At,
                        SettlementFields.Snapshot(settlement, settlement.Municipality!.Code), null, settlement.Geom, null));
                    db.Settlements.Remove(settlement);
                    current.Remove(change.Code);
                }
                else
                {
                    var before = SettlementFields.Snapshot(settlement, settlement.Municipality!.Code);
                    var geometryBefore = settlement.Geom;
                    DemoHistory.CopyInto(change.State, settlement);
                    Stamp(settlement, change);
                    audit.Add(SettlementAudit.Record(ChangeAction.Update, settlement.Id, change.Actor, change.At,
                        before, SettlementFields.Snapshot(settlement, settlement.Municipality!.Code), geometryBefore, settlement.Geom));
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            // A created settlement's audit row needs the id its INSERT just gave it.
            audit.AddRange(created.Select(c => SettlementAudit.Record(ChangeAction.Create, c.Settlement.Id, c.Change.Actor, c.Change.At,
                null, SettlementFields.Snapshot(c.Settlement, c.Settlement.Municipality!.Code), null, c.Settlement.Geom)));
        }
        // changed_at is the audit row's own value, not the setting: one batch at the end writes them all.
        db.SettlementChanges.AddRange(audit);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The synthetic plans and measures (<see cref="DemoMeasures"/>), each with its audit rows dated as it went.</summary>
    private async Task<(int Plans, int Measures)> WriteMeasuresAsync(
        List<(Municipality, IReadOnlyList<Programme>)> municipalities, List<DemoChange> history, CancellationToken cancellationToken)
    {
        var ids = municipalities.Select(m => m.Item1.Id).ToList();
        var settlements = await db.Settlements.Where(s => ids.Contains(s.MunicipalityId)).ToListAsync(cancellationToken);
        var plans = DemoMeasures.Build(municipalities, settlements, history);
        foreach (var plan in plans)
        {
            plan.Plan.UpdatedAt = new DateTimeOffset(plan.Plan.AdoptedOn!.Value.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
            db.ActionPlans.Add(plan.Plan);
            foreach (var (measure, steps) in plan.Measures)
            {
                (measure.CreatedAt, measure.UpdatedAt, measure.UpdatedBy) = (steps[0].At, steps[^1].At, plan.Plan.UpdatedBy);
                db.Measures.Add(measure);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var plan in plans)
        {
            var actor = plan.Plan.UpdatedBy!;
            db.MeasureChanges.Add(MeasureAudit.Record(ChangeAction.Create, null, plan.Plan.Id, plan.Municipality.Id, actor, plan.Plan.UpdatedAt,
                null, MeasureViews.Snapshot(plan.Plan, plan.Municipality.Code)));
            foreach (var (measure, steps) in plan.Measures)
            {
                SortedDictionary<string, object?>? before = null;
                foreach (var (at, state) in steps)
                {
                    state["action_plan_id"] = measure.ActionPlanId; // the snapshots were taken before the plan had its id
                    db.MeasureChanges.Add(MeasureAudit.Record(before is null ? ChangeAction.Create : ChangeAction.Update, measure.Id, plan.Plan.Id,
                        plan.Municipality.Id, actor, at, before, state));
                    before = state;
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return (plans.Count, plans.Sum(p => p.Measures.Count));
    }

    private static void Stamp(Settlement settlement, DemoChange change)
    {
        settlement.UpdatedAt = change.At;
        settlement.UpdatedBy = change.Actor;
    }

    public static Settlement SettlementFromFeature(IFeature f, Municipality municipality) => new()
    {
        Code = Text(f, "code"),
        NameLatn = Text(f, "name_latn"),
        NameCyrl = Text(f, "name_cyrl"),
        Municipality = municipality,
        SettlementType = Enum<SettlementType>(f, "settlement_type"),
        LocationClass = Enum<LocationClass>(f, "location_class"),
        DecadeFounded = OptionalInt(f, "decade_founded"),
        Geom = AsMultiPolygon(f.Geometry),
        EstimatedInhabitants = OptionalInt(f, "estimated_inhabitants"),
        Households = OptionalInt(f, "households"),
        PopulationYear = OptionalInt(f, "population_year"),
        PopulationSource = OptionalText(f, "population_source"),
        DwellingCount = OptionalInt(f, "dwelling_count"),
        MainBuildingMaterial = Enum<BuildingMaterial>(f, "main_building_material"),
        SubstandardSharePct = f.Attributes.GetOptionalValue("substandard_share_pct") is { } share ? Convert.ToDecimal(share, Invariant) : null,
        LegalStatus = Enum<LegalStatus>(f, "legal_status"),
        Overcrowding = Enum<YesNo>(f, "overcrowding"),
        PlanningDocument = Enum<PlanningDocument>(f, "planning_document"),
        WaterSupply = Enum<WaterSupply>(f, "water_supply"),
        Sewerage = Enum<Sewerage>(f, "sewerage"),
        Electricity = Enum<Electricity>(f, "electricity"),
        Heating = Enum<Heating>(f, "heating"),
        PavedAccessRoad = Enum<YesNo>(f, "paved_access_road"),
        StreetNetwork = Enum<YesNo>(f, "street_network"),
        WasteCollection = Enum<YesNo>(f, "waste_collection"),
        StreetLighting = Enum<YesNo>(f, "street_lighting"),
        DistanceToSeatM = OptionalInt(f, "distance_to_seat_m"),
        DistanceToPrimarySchoolM = OptionalInt(f, "distance_to_primary_school_m"),
        DistanceToPreschoolM = OptionalInt(f, "distance_to_preschool_m"),
        DistanceToHealthCentreM = OptionalInt(f, "distance_to_health_centre_m"),
        DistanceToSocialWorkCentreM = OptionalInt(f, "distance_to_social_work_centre_m"),
        DistanceToTransportStopM = OptionalInt(f, "distance_to_transport_stop_m"),
        DistanceToPharmacyM = OptionalInt(f, "distance_to_pharmacy_m"),
        FloodZone = Enum<YesNo>(f, "flood_zone"),
        HazardNearby = Enum<YesNo>(f, "hazard_nearby"),
        EvictionThreat = Enum<YesNo>(f, "eviction_threat"),
        Source = Text(f, "source"),
        DataCollectedOn = OptionalDate(OptionalText(f, "data_collected_on") ?? ""),
    };

    private static async Task<FeatureCollection> ReadFeaturesAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<FeatureCollection>(stream, DemoFiles.GeoJsonOptions, cancellationToken)
            ?? throw new InvalidDataException($"{path} is not a FeatureCollection.");
    }

    private static MultiPolygon AsMultiPolygon(Geometry geometry)
    {
        var multi = geometry as MultiPolygon ?? geometry.Factory.CreateMultiPolygon([(Polygon)geometry]);
        multi.SRID = 4326;
        return multi;
    }

    private static string Text(IFeature f, string name) =>
        OptionalText(f, name) ?? throw new InvalidDataException($"Feature without '{name}'.");

    private static string? OptionalText(IFeature f, string name) =>
        f.Attributes.GetOptionalValue(name) is { } value ? Convert.ToString(value, Invariant) : null;

    private static int? OptionalInt(IFeature f, string name) =>
        f.Attributes.GetOptionalValue(name) is { } value ? Convert.ToInt32(value, Invariant) : null;

    private static double Number(IFeature f, string name) => Convert.ToDouble(f.Attributes[name], Invariant);

    private static TEnum Enum<TEnum>(IFeature f, string name) where TEnum : struct, System.Enum =>
        EnumText.Parse<TEnum>(Text(f, name));

    private static DateOnly? OptionalDate(string text) =>
        text.Length == 0 ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", Invariant);
}
