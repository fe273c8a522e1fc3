using NetTopologySuite.Geometries;

namespace SettlementMap.Web.Data;

public sealed class District
{
    public int Id { get; set; }
    /// <summary>GeoNames admin2 code, e.g. RS.SE.20 (Nišava).</summary>
    public required string Code { get; set; }
    public required string NameLatn { get; set; }
    public required string NameCyrl { get; set; }
    public required string NameEn { get; set; }
    public List<Municipality> Municipalities { get; } = [];
}

public sealed class Municipality
{
    public int Id { get; set; }
    /// <summary>Stable ASCII slug of the Latin name, e.g. "cukarica".</summary>
    public required string Code { get; set; }
    public required string NameLatn { get; set; }
    public required string NameCyrl { get; set; }
    public MunicipalityKind Kind { get; set; }
    public int DistrictId { get; set; }
    public District? District { get; set; }
    public int? Population { get; set; }
    public required Point Seat { get; set; }
    public required MultiPolygon Geom { get; set; }
    /// <summary>True while the boundary is the demo approximation (Voronoi cell), not an official one.</summary>
    public bool BoundaryApproximate { get; set; }
    public required string Source { get; set; }
    /// <summary>Both names folded to one Latin, lower-case, diacritic-free key (see SearchKeys); set on save.</summary>
    public string SearchKey { get; set; } = "";
}

public sealed class Settlement
{
    public long Id { get; set; }
    /// <summary>Stable key used by imports and links.</summary>
    public required string Code { get; set; }
    public required string NameLatn { get; set; }
    public required string NameCyrl { get; set; }
    public int MunicipalityId { get; set; }
    public Municipality? Municipality { get; set; }
    public SettlementType SettlementType { get; set; }
    public LocationClass LocationClass { get; set; }
    public int? DecadeFounded { get; set; }

    public required MultiPolygon Geom { get; set; }
    /// <summary>Derived in the database (generated column) from <see cref="Geom"/>.</summary>
    public double AreaM2 { get; private set; }
    /// <summary>Derived in the database (generated column) from <see cref="Geom"/>.</summary>
    public Point? Centroid { get; private set; }

    // Population
    public int? EstimatedInhabitants { get; set; }
    public int? Households { get; set; }
    public int? PopulationYear { get; set; }
    public string? PopulationSource { get; set; }
    public int? ResidentsWithoutDocuments { get; set; }

    // Housing
    public int? DwellingCount { get; set; }
    public BuildingMaterial MainBuildingMaterial { get; set; }
    public decimal? SubstandardSharePct { get; set; }
    public LegalStatus LegalStatus { get; set; }
    public YesNo Overcrowding { get; set; }
    public PlanningDocument PlanningDocument { get; set; }

    // Infrastructure
    public WaterSupply WaterSupply { get; set; }
    public Sewerage Sewerage { get; set; }
    public Electricity Electricity { get; set; }
    public Heating Heating { get; set; }
    public YesNo PavedAccessRoad { get; set; }
    public YesNo StreetNetwork { get; set; }
    public YesNo WasteCollection { get; set; }
    public YesNo StreetLighting { get; set; }

    // Service access, metres
    public int? DistanceToSeatM { get; set; }
    public int? DistanceToPrimarySchoolM { get; set; }
    public int? DistanceToPreschoolM { get; set; }
    public int? DistanceToHealthCentreM { get; set; }
    public int? DistanceToSocialWorkCentreM { get; set; }
    public int? DistanceToTransportStopM { get; set; }
    public int? DistanceToPharmacyM { get; set; }

    // Risks
    public YesNo FloodZone { get; set; }
    public YesNo HazardNearby { get; set; }
    public YesNo EvictionThreat { get; set; }

    // Provenance
    public required string Source { get; set; }
    public DateOnly? DataCollectedOn { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    /// <summary>PostgreSQL xmin: the optimistic-concurrency token and ETag.</summary>
    public uint Version { get; set; }
    /// <summary>Both names folded to one Latin, lower-case, diacritic-free key (see SearchKeys); set on save.</summary>
    public string SearchKey { get; set; } = "";
}

public sealed class Programme
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string NameEn { get; set; }
    public required string NameSrLatn { get; set; }
    public required string NameSrCyrl { get; set; }
    public required string Funders { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
}

/// <summary>Who or what covers a municipality (kind × municipality × period).</summary>
public sealed class CoverageRecord
{
    public long Id { get; set; }
    public int MunicipalityId { get; set; }
    public Municipality? Municipality { get; set; }
    public CoverageKind Kind { get; set; }
    /// <summary>Set exactly when <see cref="Kind"/> is Programme.</summary>
    public int? ProgrammeId { get; set; }
    public Programme? Programme { get; set; }
    /// <summary>Number of people or teams, where known.</summary>
    public int? Count { get; set; }
    /// <summary>First day; null when the start is not known.</summary>
    public DateOnly? ValidFrom { get; set; }
    /// <summary>Inclusive last day; null while current.</summary>
    public DateOnly? ValidTo { get; set; }
    public required string Source { get; set; }
    public string? Note { get; set; }
}

/// <summary>Append-only audit of settlement edits; a database trigger refuses UPDATE and DELETE.</summary>
public sealed class SettlementChange
{
    public long Id { get; set; }
    /// <summary>No foreign key: the history outlives a deleted settlement.</summary>
    public long SettlementId { get; set; }
    public ChangeAction Action { get; set; }
    /// <summary>When the row was written.</summary>
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>
    /// When the change takes effect in the settlement's history, when that is not <see cref="ChangedAt"/>: the day
    /// a dated survey describes, or the day an edit was observed. Null: at <see cref="ChangedAt"/>.
    /// </summary>
    public DateTimeOffset? EffectiveAt { get; set; }
    public required string ChangedBy { get; set; }
    /// <summary>JSON object: field → { "old": …, "new": … }.</summary>
    public required string Changes { get; set; }
    public MultiPolygon? GeomBefore { get; set; }
    public MultiPolygon? GeomAfter { get; set; }
    /// <summary>JSON object of every attribute before the change (null for a create): what a restore brings back.</summary>
    public string? AttributesBefore { get; set; }
    /// <summary>JSON object of every attribute after the change (null for a delete).</summary>
    public string? AttributesAfter { get; set; }
    public string? Note { get; set; }
    /// <summary>
    /// The client's Idempotency-Key of the request that made this change (Features/Editing/RequestKeys), unique per
    /// account: a request sent again after its answer was lost (a sync cut off) is answered, not applied twice.
    /// </summary>
    public Guid? RequestKey { get; set; }
}

/// <summary>A named account that may edit; anonymous visitors only read.</summary>
public sealed class UserAccount
{
    public long Id { get; set; }
    /// <summary>Lower-case sign-in name, unique.</summary>
    public required string UserName { get; set; }
    public required string DisplayName { get; set; }
    /// <summary>ASP.NET Core Identity's PasswordHasher format (PBKDF2, salted, versioned).</summary>
    public required string PasswordHash { get; set; }
    public UserRole Role { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the password was last set by an administrator or the command line: sessions signed in before it end.</summary>
    public DateTimeOffset? PasswordResetAt { get; set; }
    /// <summary>The last successful sign-in with a password (not token use).</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
    /// <summary>The TOTP secret (Base32) protected with ASP.NET Core Data Protection; in force only once <see cref="TotpEnabledAt"/> is set.</summary>
    public string? TotpSecret { get; set; }
    /// <summary>When two-factor sign-in was confirmed with a first code; null while it is off or being set up.</summary>
    public DateTimeOffset? TotpEnabledAt { get; set; }
    /// <summary>The time step of the last code accepted: a code is good once.</summary>
    public long? TotpLastStep { get; set; }
    /// <summary>Where a coordinator may edit; empty for administrators (who may edit everywhere).</summary>
    public List<Municipality> Municipalities { get; } = [];
}

/// <summary>A personal access token for API clients; only its SHA-256 hash is stored.</summary>
public sealed class AccessToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public UserAccount? User { get; set; }
    public required string Name { get; set; }
    /// <summary>Lower-case hex SHA-256 of the token text.</summary>
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>When the token last authenticated a request, written at most every few minutes.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>Append-only audit of account changes; a trigger refuses UPDATE and DELETE. Never holds a password, token or secret.</summary>
public sealed class AccountChange
{
    public long Id { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>Who made the change: an account name, or "(command line)".</summary>
    public required string ChangedBy { get; set; }
    /// <summary>The account changed, by name; no foreign key, like the other histories.</summary>
    public required string UserName { get; set; }
    public AccountAction Action { get; set; }
    /// <summary>JSON object: field → { "old": …, "new": … }.</summary>
    public required string Changes { get; set; }
}

/// <summary>Append-only audit of coverage edits, like settlement_changes; a trigger refuses UPDATE and DELETE.</summary>
public sealed class CoverageChange
{
    public long Id { get; set; }
    /// <summary>No foreign key: the history outlives a deleted record.</summary>
    public long CoverageId { get; set; }
    public int MunicipalityId { get; set; }
    public ChangeAction Action { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    /// <summary>JSON object of the record before the change (null for a create).</summary>
    public string? Before { get; set; }
    /// <summary>JSON object of the record after the change (null for a delete).</summary>
    public string? After { get; set; }
}

/// <summary>
/// One import of a file: the dry run's report, then, once applied, the outcome. The uploaded file
/// stays under the app's data folder until applied or discarded, so apply reads exactly what the
/// dry run read.
/// </summary>
public sealed class ImportRecord
{
    public Guid Id { get; set; }
    public required string FileName { get; set; }
    /// <summary>Where the uploading instance kept the file (null once removed); any instance finds it by id and name (ImportUploads).</summary>
    public string? StoredPath { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>JSON of the options the dry run used (CRS, mapping, layer, encoding, repair).</summary>
    public required string Options { get; set; }
    /// <summary>
    /// JSON {"columns": …} of the mapping the latest dry run used, as it was then: apply uses this
    /// copy, never the shared mapping as it is now (someone may have changed it since).
    /// </summary>
    public string? Mapping { get; set; }
    /// <summary>JSON of the latest report (dry run, or apply).</summary>
    public required string Report { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
}

/// <summary>A named column mapping, saved to be reused with the next file of the same shape.</summary>
public sealed class SavedImportMapping
{
    public int Id { get; set; }
    /// <summary>Lower-case name, unique.</summary>
    public required string Name { get; set; }
    /// <summary>JSON {"columns": {column: target}}.</summary>
    public required string Mapping { get; set; }
    public required string SavedBy { get; set; }
    public DateTimeOffset SavedAt { get; set; }
    /// <summary>The account that created it: only they and administrators change or delete it (null: administrators only).</summary>
    public long? OwnerId { get; set; }
    public UserAccount? Owner { get; set; }
}

/// <summary>The level an administrator set for one settlement attribute (Features/Sensitivity); attributes without a row keep the schema's default.</summary>
public sealed class AttributeLevel
{
    public required string Attribute { get; set; }
    /// <summary>public, signed_in or administrators.</summary>
    public required string Level { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
}

/// <summary>The one row of the public view's small-number generalisation (Features/Sensitivity/Generalisation).</summary>
public sealed class DisclosureSettings
{
    public int Id { get; set; }
    public bool GeneraliseSmall { get; set; }
    public int Threshold { get; set; }
    public int RadiusM { get; set; }
    /// <summary>The key of the displacement's hash: random per database, so knowing the method does not give the outline back.</summary>
    public string Salt { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
}

/// <summary>Append-only audit of who-sees-what settings; a database trigger refuses UPDATE and DELETE.</summary>
public sealed class SensitivityChange
{
    public long Id { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    /// <summary>"attribute:eviction_threat" or "generalisation".</summary>
    public required string Subject { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>
/// One export by a signed-in viewer (Features/Export): who, when, at which level, which format and filter,
/// how many settlements. Append-only: a database trigger refuses UPDATE and DELETE.
/// </summary>
public sealed class ExportRecord
{
    public long Id { get; set; }
    public DateTimeOffset ExportedAt { get; set; }
    public required string UserName { get; set; }
    /// <summary>public, signed_in or administrators: the viewer's level everywhere.</summary>
    public required string Level { get; set; }
    /// <summary>What the viewer saw, as outputs key it: the level, with a coordinator's municipality ids ("signed_in+3.7").</summary>
    public required string Viewer { get; set; }
    public required string Format { get; set; }
    public required string Crs { get; set; }
    /// <summary>The filter parameters as the request gave them (cut at ExportRecords.MaxFilterLength characters).</summary>
    public required string Filter { get; set; }
    public int FeatureCount { get; set; }
}

/// <summary>A municipality's local action plan for Roma inclusion: its period, adoption and document (issue 26).</summary>
public sealed class ActionPlan
{
    public int Id { get; set; }
    public int MunicipalityId { get; set; }
    public Municipality? Municipality { get; set; }
    public required string TitleLatn { get; set; }
    public required string TitleCyrl { get; set; }
    public string? TitleEn { get; set; }
    public DateOnly PeriodStart { get; set; }
    /// <summary>Inclusive last day.</summary>
    public DateOnly PeriodEnd { get; set; }
    public DateOnly? AdoptedOn { get; set; }
    /// <summary>An http(s) link to the adopted document; a CHECK refuses any other scheme.</summary>
    public string? DocumentUrl { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    /// <summary>PostgreSQL xmin: the optimistic-concurrency token and ETag, as settlements have.</summary>
    public uint Version { get; set; }
    public List<Measure> Measures { get; } = [];
}

/// <summary>
/// One measure of a local action plan. Its status days are columns of the row (started_on, done_on, dropped_on), not a
/// status-history table: the status on any day D is one CASE over them, so "measures by status over time" is a
/// GROUP BY over a series of days, and "did the attribute change after the measure was done" is one join of done_on
/// with settlement_versions. Every transition is also in measure_changes, with who and when.
/// </summary>
public sealed class Measure
{
    public long Id { get; set; }
    public int ActionPlanId { get; set; }
    public ActionPlan? ActionPlan { get; set; }
    public PriorityArea PriorityArea { get; set; }
    public required string TitleLatn { get; set; }
    public required string TitleCyrl { get; set; }
    public string? TitleEn { get; set; }
    /// <summary>The settlement attribute the measure aims to change (a name of SettlementSchema), with <see cref="TargetValue"/>.</summary>
    public string? TargetAttribute { get; set; }
    /// <summary>The value aimed at, as the attribute's JSON text ("network"; "0" for a number).</summary>
    public string? TargetValue { get; set; }
    public string? ResponsibleBody { get; set; }
    public FundingSource FundingSource { get; set; }
    /// <summary>Set exactly when <see cref="FundingSource"/> is Programme.</summary>
    public int? ProgrammeId { get; set; }
    public Programme? Programme { get; set; }
    /// <summary>Set exactly when <see cref="FundingSource"/> is Donor.</summary>
    public string? DonorName { get; set; }
    /// <summary>RSD or EUR; required once an amount is given.</summary>
    public string? Currency { get; set; }
    public decimal? BudgetAmount { get; set; }
    public decimal? SpentAmount { get; set; }
    public MeasureStatus Status { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? DoneOn { get; set; }
    public DateOnly? DroppedOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    /// <summary>PostgreSQL xmin: every change (its settlements and indicators too) updates the row, so this is the ETag.</summary>
    public uint Version { get; set; }
    /// <summary>The settlements it concerns (measure_settlements): none, one or several, all of the plan's municipality.</summary>
    public List<Settlement> Settlements { get; } = [];
    public List<MeasureIndicator> Indicators { get; } = [];
}

/// <summary>An indicator of a measure: what is counted, its unit, the value aimed at and the value achieved so far.</summary>
public sealed class MeasureIndicator
{
    public long Id { get; set; }
    public long MeasureId { get; set; }
    /// <summary>The order the editor gave (0, 1, …).</summary>
    public int Position { get; set; }
    public required string Name { get; set; }
    public string? Unit { get; set; }
    public decimal? TargetValue { get; set; }
    public decimal? AchievedValue { get; set; }
}

/// <summary>
/// Append-only audit of action plans and measures, like settlement_changes; a trigger refuses UPDATE and DELETE.
/// A row about a plan has no <see cref="MeasureId"/>.
/// </summary>
public sealed class MeasureChange
{
    public long Id { get; set; }
    /// <summary>No foreign key: the history outlives a deleted measure. Null for a change of the plan itself.</summary>
    public long? MeasureId { get; set; }
    public int ActionPlanId { get; set; }
    public int MunicipalityId { get; set; }
    public ChangeAction Action { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    /// <summary>JSON object: field → { "old": …, "new": … }.</summary>
    public required string Changes { get; set; }
    /// <summary>JSON object of every field before the change (null for a create).</summary>
    public string? Before { get; set; }
    /// <summary>JSON object of every field after the change (null for a delete).</summary>
    public string? After { get; set; }
    /// <summary>The request's Idempotency-Key (Features/Editing/RequestKeys), unique per account.</summary>
    public Guid? RequestKey { get; set; }
}
