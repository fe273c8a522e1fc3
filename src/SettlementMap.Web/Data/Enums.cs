namespace SettlementMap.Web.Data;

// Closed lists from domain.md. Each has an explicit Unknown; values are stored and served as
// snake_case text ("brick_block"), see EnumText.

public enum SettlementType { Unknown, Urban, Suburban, Rural }

/// <summary>Location classes of the Slovak and Croatian atlases.</summary>
public enum LocationClass { Unknown, WithinTown, TownEdge, OutsideTown, Dispersed }

public enum BuildingMaterial { Unknown, BrickBlock, Mixed, Makeshift }

/// <summary>Degree of legalisation of the settlement's land and dwellings.</summary>
public enum LegalStatus { Unknown, Legalised, InProcess, NotLegalised }

public enum PlanningDocument { Unknown, Yes, InPreparation, No }

public enum WaterSupply { Unknown, Network, Wells, None }

public enum Sewerage { Unknown, Network, Septic, None }

public enum Electricity { Unknown, Legal, Partial, Illegal, None }

public enum Heating { Unknown, District, ElectricityGas, WoodCoal, None }

/// <summary>Yes / no answers that may not be known.</summary>
public enum YesNo { Unknown, Yes, No }

public enum MunicipalityKind { Municipality, City, CityMunicipality }

public enum CoverageKind
{
    Coordinator,
    HealthMediator,
    PedagogicalAssistant,
    MobileTeam,
    LocalActionPlan,
    InterEthnicCouncil,
    Programme,
}

public enum ChangeAction { Create, Update, Delete, Restore }

public enum UserRole { Coordinator, Administrator }

/// <summary>What an account change did (the account_changes history).</summary>
public enum AccountAction { Create, Update, Deactivate, Reactivate, PasswordReset, TokenCreate, TokenRevoke, TotpEnable, TotpDisable }

/// <summary>The areas of a local action plan for Roma inclusion (issue 26); labels in Features/Measures/MeasureLists.</summary>
public enum PriorityArea { Housing, Education, Employment, Health, SocialProtection, AccessToRights }

/// <summary>Where a measure stands; each status but planned has its day on the measure (started_on, done_on, dropped_on).</summary>
public enum MeasureStatus { Planned, InProgress, Done, Dropped }

/// <summary>Who pays for a measure: a programme names one of the programmes table, a donor has a name.</summary>
public enum FundingSource { MunicipalBudget, Programme, Donor, Other }
