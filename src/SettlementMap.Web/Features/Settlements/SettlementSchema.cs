using System.Globalization;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Settlements;

/// <summary>
/// Every attribute of a settlement, declared once: name, type, group, unit, bounds, closed list,
/// labels and descriptions in sr-Latn, sr-Cyrl and en, whether an editor sets it, and where it
/// appears. The layer's properties view, settlement_points' columns, the tiles, the exports, the OGC
/// queryables, /api/config (and from it the details panel, the edit form and the page's labels), the
/// importer's matcher and the validation messages all derive from this list; SchemaDriftTests fail
/// when one of them differs. Adding an attribute: a property in Data/Entities.cs, an entry here (in
/// the order of the export columns) and a migration (CONTRIBUTING.md).
/// </summary>
public static class SettlementSchema
{
    /// <summary>The attribute small-number generalisation hides (<see cref="Sensitivity.Generalisation"/>).</summary>
    public const string EstimatedInhabitants = "estimated_inhabitants";

    /// <summary>What stands in for <see cref="EstimatedInhabitants"/> of a generalised settlement: "fewer than".</summary>
    public const string EstimatedInhabitantsBelow = "estimated_inhabitants_below";

    /// <summary>The farthest a service can be from a settlement and still be recorded, in metres.</summary>
    public const int MaxDistanceM = 200_000;

    /// <summary>Exported (and in the OGC API's items), shown in the details panel, and a filter may name it.</summary>
    private const Outputs Published = Outputs.Export | Outputs.Details | Outputs.Queryables;

    /// <summary>Published, in the GeoJSON layer and in the vector tiles.</summary>
    private const Outputs Everywhere = Outputs.Layer | Outputs.Tile | Published;

    public static class Group
    {
        public static readonly AttributeGroup Identity = new("identity", L("Osnovni podaci", "Основни подаци", "Identity"));
        public static readonly AttributeGroup Population = new("population", L("Stanovništvo", "Становништво", "Population"));
        public static readonly AttributeGroup Housing = new("housing", L("Stanovanje", "Становање", "Housing"));
        public static readonly AttributeGroup Legal = new("legal", L("Pravni status i planiranje", "Правни статус и планирање", "Legal status and planning"));
        public static readonly AttributeGroup Infrastructure = new("infrastructure", L("Infrastruktura", "Инфраструктура", "Infrastructure"));
        public static readonly AttributeGroup Access = new("access", L("Dostupnost usluga (udaljenost)", "Доступност услуга (удаљеност)", "Service access (distance)"));
        public static readonly AttributeGroup Risks = new("risks", L("Rizici", "Ризици", "Risks"));
        public static readonly AttributeGroup Provenance = new("provenance", L("Poreklo podataka", "Порекло података", "Data provenance"));
    }

    /// <summary>The closed lists of domain.md, each value with its label.</summary>
    public static class Lists
    {
        public static readonly ClosedList SettlementType = ClosedList.Of<Data.SettlementType>("settlement_type",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("urban", L("gradsko", "градско", "urban")),
            ("suburban", L("prigradsko", "приградско", "suburban")),
            ("rural", L("seosko", "сеоско", "rural")));

        public static readonly ClosedList LocationClass = ClosedList.Of<Data.LocationClass>("location_class",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("within_town", L("u naselju", "у насељу", "within the town")),
            ("town_edge", L("na obodu naselja", "на ободу насеља", "on the edge of the town")),
            ("outside_town", L("izdvojeno, van naselja", "издвојено, ван насеља", "separated, outside the town")),
            ("dispersed", L("raštrkano među većinskim stanovništvom", "раштркано међу већинским становништвом", "dispersed among the majority")));

        public static readonly ClosedList BuildingMaterial = ClosedList.Of<Data.BuildingMaterial>("building_material",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("brick_block", L("cigla ili blok", "цигла или блок", "brick or block")),
            ("mixed", L("mešovito", "мешовито", "mixed")),
            ("makeshift", L("drvo, blato ili improvizovano", "дрво, блато или импровизовано", "wood, mud or makeshift")));

        public static readonly ClosedList LegalStatus = ClosedList.Of<Data.LegalStatus>("legal_status",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("legalised", L("legalizovano", "легализовано", "legalised")),
            ("in_process", L("u postupku legalizacije", "у поступку легализације", "legalisation in process")),
            ("not_legalised", L("nije legalizovano", "није легализовано", "not legalised")));

        public static readonly ClosedList PlanningDocument = ClosedList.Of<Data.PlanningDocument>("planning_document",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("yes", L("da", "да", "yes")),
            ("in_preparation", L("u izradi", "у изради", "in preparation")),
            ("no", L("ne", "не", "no")));

        public static readonly ClosedList WaterSupply = ClosedList.Of<Data.WaterSupply>("water_supply",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("network", L("vodovod", "водовод", "water network")),
            ("wells", L("bunari", "бунари", "wells")),
            ("none", L("bez vode", "без воде", "no water supply")));

        public static readonly ClosedList Sewerage = ClosedList.Of<Data.Sewerage>("sewerage",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("network", L("kanalizaciona mreža", "канализациона мрежа", "sewer network")),
            ("septic", L("septička jama", "септичка јама", "septic tank")),
            ("none", L("nema", "нема", "none")));

        public static readonly ClosedList Electricity = ClosedList.Of<Data.Electricity>("electricity",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("legal", L("legalan priključak", "легалан прикључак", "legal connection")),
            ("partial", L("delimično priključeno", "делимично прикључено", "partly connected")),
            ("illegal", L("nelegalan priključak", "нелегалан прикључак", "illegal connection")),
            ("none", L("nema", "нема", "none")));

        public static readonly ClosedList Heating = ClosedList.Of<Data.Heating>("heating",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("district", L("daljinsko grejanje", "даљинско грејање", "district heating")),
            ("electricity_gas", L("struja ili gas", "струја или гас", "electricity or gas")),
            ("wood_coal", L("drva ili ugalj", "дрва или угаљ", "wood or coal")),
            ("none", L("nema", "нема", "none")));

        public static readonly ClosedList YesNo = ClosedList.Of<Data.YesNo>("yes_no",
            ("unknown", L("nepoznato", "непознато", "unknown")),
            ("yes", L("da", "да", "yes")),
            ("no", L("ne", "не", "no")));
    }

    public static IReadOnlyList<AttributeGroup> Groups { get; } =
        [Group.Identity, Group.Population, Group.Housing, Group.Legal, Group.Infrastructure, Group.Access, Group.Risks, Group.Provenance];

    public static IReadOnlyList<ClosedList> ClosedLists { get; } =
    [
        Lists.SettlementType, Lists.LocationClass, Lists.BuildingMaterial, Lists.LegalStatus, Lists.PlanningDocument,
        Lists.WaterSupply, Lists.Sewerage, Lists.Electricity, Lists.Heating, Lists.YesNo,
    ];

    /// <summary>In the order of the export columns (CSV and GeoJSON alike) and of the feature's properties.</summary>
    public static IReadOnlyList<AttributeDefinition> Attributes { get; } =
    [
        new("id", AttributeType.WholeNumber, Group.Identity, Outputs.Layer | Outputs.Tile | Outputs.Export | Outputs.Queryables)
        {
            Restrictable = false,
            Label = L("Identifikator", "Идентификатор", "Identifier"),
            Description = L("Identifikator naselja u bazi podataka; nikada se ne menja.", "Идентификатор насеља у бази података; никада се не мења.", "The database identifier of the settlement; it never changes."),
            Sql = "s.id",
            Get = s => s.Id,
        },
        new("code", AttributeType.Text, Group.Identity, Outputs.Layer | Published)
        {
            Restrictable = false,
            Label = L("Šifra", "Шифра", "Code"),
            Description = L("Stalna šifra po kojoj uvoz i veze pronalaze naselje.", "Стална шифра по којој увоз и везе проналазе насеље.", "The stable code imports and links use to find the settlement."),
            Get = s => s.Code,
            ImportNames = ["šifra", "šifra naselja", "kod", "kod naselja", "id naselja", "naselje id", "code", "settlement code", "settlement id", "stable id"],
        },
        new("name_latn", AttributeType.Text, Group.Identity, Everywhere)
        {
            Restrictable = false,
            Label = L("Naziv (latinica)", "Назив (латиница)", "Name (Latin)"),
            Description = L("Naziv naselja latinicom.", "Назив насеља латиницом.", "The name of the settlement in the Latin script."),
            Required = true,
            Get = s => s.NameLatn,
            Set = (s, v) => s.NameLatn = Value<string>(v),
            ImportNames = ["naziv lat", "naziv latinica", "naziv latinično", "naziv naselja latinica", "ime lat", "ime latinica", "naselje lat", "naselje latinica", "latinica", "name latin", "name lat", "name (latin)"],
        },
        new("name_cyrl", AttributeType.Text, Group.Identity, Everywhere)
        {
            Restrictable = false,
            Label = L("Naziv (ćirilica)", "Назив (ћирилица)", "Name (Cyrillic)"),
            Description = L("Naziv naselja ćirilicom.", "Назив насеља ћирилицом.", "The name of the settlement in the Cyrillic script."),
            Required = true,
            Get = s => s.NameCyrl,
            Set = (s, v) => s.NameCyrl = Value<string>(v),
            ImportNames = ["naziv cir", "naziv ćir", "naziv ćirilica", "naziv ćirilično", "naziv naselja ćirilica", "ime cir", "ime ćirilica", "naselje cir", "naselje ćirilica", "ćirilica", "name cyrillic", "name cyr", "name (cyrillic)"],
        },
        new("municipality_code", AttributeType.Text, Group.Identity, Outputs.Layer | Outputs.Tile | Outputs.Export | Outputs.Queryables)
        {
            Restrictable = false,
            Label = L("Opština", "Општина", "Municipality"),
            Description = L("Šifra opštine ili grada u kome se naselje nalazi.", "Шифра општине или града у коме се насеље налази.", "The code of the municipality or city the settlement lies in."),
            Sql = "m.code",
            Get = s => Place(s).Code,
        },
        new("municipality_name_latn", AttributeType.Text, Group.Identity, Outputs.Layer | Outputs.Export | Outputs.Details)
        {
            Restrictable = false,
            Label = L("Opština", "Општина", "Municipality"),
            Description = L("Naziv opštine latinicom.", "Назив општине латиницом.", "The name of the municipality in the Latin script."),
            Sql = "m.name_latn",
            Get = s => Place(s).NameLatn,
        },
        new("municipality_name_cyrl", AttributeType.Text, Group.Identity, Outputs.Layer | Outputs.Export | Outputs.Details)
        {
            Restrictable = false,
            Label = L("Opština", "Општина", "Municipality"),
            Description = L("Naziv opštine ćirilicom.", "Назив општине ћирилицом.", "The name of the municipality in the Cyrillic script."),
            Sql = "m.name_cyrl",
            Get = s => Place(s).NameCyrl,
        },
        new("district_code", AttributeType.Text, Group.Identity, Outputs.Layer | Outputs.Export | Outputs.Queryables)
        {
            Restrictable = false,
            Label = L("Okrug", "Округ", "District"),
            Description = L("Šifra upravnog okruga kome opština pripada.", "Шифра управног округа коме општина припада.", "The code of the administrative district (okrug) of the municipality."),
            Sql = "d.code",
            Get = s => Place(s).District?.Code,
        },
        new("district_name_latn", AttributeType.Text, Group.Identity, Outputs.Details)
        {
            Restrictable = false,
            Label = L("Okrug", "Округ", "District"),
            Description = L("Naziv okruga latinicom.", "Назив округа латиницом.", "The name of the district in the Latin script."),
            Sql = "d.name_latn",
            Get = s => Place(s).District?.NameLatn,
        },
        new("district_name_cyrl", AttributeType.Text, Group.Identity, Outputs.Details)
        {
            Restrictable = false,
            Label = L("Okrug", "Округ", "District"),
            Description = L("Naziv okruga ćirilicom.", "Назив округа ћирилицом.", "The name of the district in the Cyrillic script."),
            Sql = "d.name_cyrl",
            Get = s => Place(s).District?.NameCyrl,
        },
        new("settlement_type", AttributeType.Enum, Group.Identity, Outputs.Layer | Published)
        {
            Label = L("Tip", "Тип", "Type"),
            Description = L("Da li je naselje gradsko, prigradsko ili seosko.", "Да ли је насеље градско, приградско или сеоско.", "Whether the settlement is urban, suburban or rural."),
            List = Lists.SettlementType,
            Get = s => s.SettlementType,
            Set = (s, v) => s.SettlementType = Value<SettlementType>(v),
            ImportNames = ["tip", "tip naselja", "vrsta naselja", "vrsta", "type", "settlement type"],
        },
        new("location_class", AttributeType.Enum, Group.Identity, Outputs.Layer | Published)
        {
            Label = L("Položaj", "Положај", "Location"),
            Description = L("Gde se naselje nalazi u odnosu na mesto kome pripada.", "Где се насеље налази у односу на место коме припада.", "Where the settlement lies in relation to the town it belongs to."),
            List = Lists.LocationClass,
            Get = s => s.LocationClass,
            Set = (s, v) => s.LocationClass = Value<LocationClass>(v),
            ImportNames = ["položaj", "položaj naselja", "lokacija", "lokacija naselja", "smeštaj", "location", "location type"],
        },
        new("decade_founded", AttributeType.WholeNumber, Group.Identity, Published)
        {
            Label = L("Nastanak (decenija)", "Настанак (деценија)", "Founded (decade)"),
            Description = L("Decenija u kojoj je naselje nastalo, zapisana prvom godinom (1970 za sedamdesete).", "Деценија у којој је насеље настало, записана првом годином (1970 за седамдесете).", "The decade in which the settlement arose, written as its first year (1970 for the 1970s)."),
            Format = NumberFormat.Decade,
            Min = 1800, Max = 2_030,
            Get = s => s.DecadeFounded,
            Set = (s, v) => s.DecadeFounded = Value<int?>(v),
            ImportNames = ["nastanak (decenija)", "nastanak", "decenija", "decenija nastanka", "decenija osnivanja", "godina nastanka", "starost naselja", "founded (decade)", "founded", "decade", "decade founded"],
        },
        new("estimated_inhabitants", AttributeType.WholeNumber, Group.Population, Everywhere | Outputs.Theme)
        {
            Label = L("Procenjen broj stanovnika", "Процењен број становника", "Estimated inhabitants"),
            Description = L("Koliko ljudi živi u naselju, prema proceni iz navedenog izvora.", "Колико људи живи у насељу, према процени из наведеног извора.", "How many people live in the settlement, as estimated by the source of the estimate."),
            Min = 0, Max = 100_000,
            Get = s => s.EstimatedInhabitants,
            Set = (s, v) => s.EstimatedInhabitants = Value<int?>(v),
            ImportNames = ["procenjen broj stanovnika", "procena stanovnika", "procena broja stanovnika", "broj stanovnika", "br stanovnika", "stanovnika", "stanovnici", "stanovništvo", "population", "inhabitants", "estimated population"],
        },
        new(EstimatedInhabitantsBelow, AttributeType.WholeNumber, Group.Population, Outputs.Layer | Outputs.Tile | Outputs.Export | Outputs.Details)
        {
            Label = L("Manje od (stanovnika)", "Мање од (становника)", "Fewer than (inhabitants)"),
            Description = L(
                "U javnom prikazu malo naselje nema tačan broj stanovnika ni obuhvat: ima ih manje od ovog broja, a tačka je pomerena.",
                "У јавном приказу мало насеље нема тачан број становника ни обухват: има их мање од овог броја, а тачка је померена.",
                "In the public view a small settlement has no exact number of inhabitants nor outline: it has fewer than this, and its point is moved."),
            GeneralisedViewOnly = true,
            Sql = "NULL::int",
            Get = _ => null,
        },
        new("households", AttributeType.WholeNumber, Group.Population, Outputs.Layer | Published)
        {
            Label = L("Domaćinstva", "Домаћинства", "Households"),
            Description = L("Broj domaćinstava koja žive u naselju.", "Број домаћинстава која живе у насељу.", "The number of households living in the settlement."),
            Min = 0, Max = 50_000,
            AtMost = "estimated_inhabitants",
            Get = s => s.Households,
            Set = (s, v) => s.Households = Value<int?>(v),
            ImportNames = ["domaćinstva", "domaćinstava", "broj domaćinstava", "br domaćinstava", "households", "number of households"],
        },
        new("population_year", AttributeType.WholeNumber, Group.Population, Published)
        {
            Label = L("Godina procene", "Година процене", "Year of estimate"),
            Description = L("Godina na koju se odnosi procena broja stanovnika.", "Година на коју се односи процена броја становника.", "The year to which the population estimate refers."),
            Format = NumberFormat.Year,
            Min = 1950, Max = 2_100,
            Get = s => s.PopulationYear,
            Set = (s, v) => s.PopulationYear = Value<int?>(v),
            ImportNames = ["godina procene", "godina procjene", "godina popisa", "godina", "year of estimate", "estimate year", "population year", "year"],
        },
        new("population_source", AttributeType.Text, Group.Population, Published)
        {
            Label = L("Izvor procene", "Извор процене", "Source of estimate"),
            Description = L("Ko je dao procenu broja stanovnika (istraživanje, koordinator, popis).", "Ко је дао процену броја становника (истраживање, координатор, попис).", "Who made the population estimate (a survey, the coordinator, a census)."),
            Get = s => s.PopulationSource,
            Set = (s, v) => s.PopulationSource = Value<string?>(v),
            ImportNames = ["izvor procene", "izvor procjene", "izvor podataka o stanovništvu", "izvor broja stanovnika", "source of estimate", "population source", "estimate source"],
        },
        new("residents_without_documents", AttributeType.WholeNumber, Group.Population, Everywhere)
        {
            Sensitivity = Clearance.Administrators,
            Label = L("Stanovnici bez ličnih dokumenata", "Становници без личних докумената", "Residents without personal documents"),
            Description = L(
                "Procenjen broj stanovnika bez ličnih dokumenata (upis u matičnu knjigu rođenih, lična karta), kojima su zato nedostupna prava i usluge.",
                "Процењен број становника без личних докумената (упис у матичну књигу рођених, лична карта), којима су зато недоступна права и услуге.",
                "Estimated number of residents without personal documents (birth registration, identity card), who therefore cannot reach rights and services."),
            Min = 0, Max = 100_000,
            AtMost = "estimated_inhabitants",
            Get = s => s.ResidentsWithoutDocuments,
            Set = (s, v) => s.ResidentsWithoutDocuments = Value<int?>(v),
            ImportNames = ["bez dokumenata", "bez ličnih dokumenata", "lica bez dokumenata", "stanovnici bez dokumenata", "broj lica bez dokumenata",
                "pravno nevidljiva lica", "pravno nevidljivi", "without documents", "residents without documents", "undocumented", "legally invisible"],
        },
        new("dwelling_count", AttributeType.WholeNumber, Group.Housing, Published)
        {
            Label = L("Stambeni objekti", "Стамбени објекти", "Dwellings"),
            Description = L("Broj stambenih objekata u naselju.", "Број стамбених објеката у насељу.", "The number of residential buildings in the settlement."),
            Min = 0, Max = 50_000,
            Get = s => s.DwellingCount,
            Set = (s, v) => s.DwellingCount = Value<int?>(v),
            ImportNames = ["stambeni objekti", "broj stambenih objekata", "broj objekata", "objekti", "broj kuća", "kuće", "broj stanova", "dwellings", "number of dwellings", "houses", "buildings"],
        },
        new("main_building_material", AttributeType.Enum, Group.Housing, Outputs.Layer | Published)
        {
            Label = L("Pretežni građevinski materijal", "Претежни грађевински материјал", "Main building material"),
            Description = L("Od čega je izgrađena većina stambenih objekata.", "Од чега је изграђена већина стамбених објеката.", "What most dwellings are built of."),
            List = Lists.BuildingMaterial,
            Change = ChangeOrder.WorstToBest(["makeshift"], ["mixed"], ["brick_block"]),
            Get = s => s.MainBuildingMaterial,
            Set = (s, v) => s.MainBuildingMaterial = Value<BuildingMaterial>(v),
            ImportNames = ["pretežni građevinski materijal", "građevinski materijal", "materijal", "materijal gradnje", "osnovni materijal", "main building material", "building material", "material"],
        },
        new("substandard_share_pct", AttributeType.Number, Group.Housing, Everywhere | Outputs.Theme)
        {
            Label = L("Podstandardni ili improvizovani objekti", "Подстандардни или импровизовани објекти", "Substandard or makeshift dwellings"),
            Description = L("Udeo podstandardnih ili improvizovanih stambenih objekata, u procentima.", "Удео подстандардних или импровизованих стамбених објеката, у процентима.", "The share of dwellings that are substandard or makeshift, in per cent."),
            Unit = "%",
            Min = 0, Max = 100,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.SubstandardSharePct,
            Set = (s, v) => s.SubstandardSharePct = Value<decimal?>(v),
            ImportNames = ["podstandardni ili improvizovani objekti", "udeo podstandardnih", "udeo podstandardnih objekata", "procenat podstandardnih", "udeo nehigijenskih", "udeo nehigijenskih objekata", "procenat nehigijenskih", "nehigijenski objekti", "substandard or makeshift dwellings", "substandard share", "substandard share pct", "substandard pct", "substandard"],
        },
        new("overcrowding", AttributeType.Enum, Group.Housing, Published)
        {
            Label = L("Prenaseljenost", "Пренасељеност", "Overcrowding"),
            Description = L("Da li su stambeni objekti prenaseljeni.", "Да ли су стамбени објекти пренасељени.", "Whether dwellings are overcrowded."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["yes"], ["no"]),
            Get = s => s.Overcrowding,
            Set = (s, v) => s.Overcrowding = Value<YesNo>(v),
            ImportNames = ["prenaseljenost", "prenaseljeno", "overcrowding", "overcrowded"],
        },
        new("legal_status", AttributeType.Enum, Group.Legal, Everywhere | Outputs.Theme)
        {
            Sensitivity = Clearance.SignedIn,
            Label = L("Legalizacija zemljišta i objekata", "Легализација земљишта и објеката", "Legalisation of land and dwellings"),
            Description = L("U kojoj meri su zemljište i objekti legalizovani.", "У којој мери су земљиште и објекти легализовани.", "How far the land and the dwellings are legalised."),
            List = Lists.LegalStatus,
            Change = ChangeOrder.WorstToBest(["not_legalised"], ["in_process"], ["legalised"]),
            Get = s => s.LegalStatus,
            Set = (s, v) => s.LegalStatus = Value<LegalStatus>(v),
            ImportNames = ["legalizacija zemljišta i objekata", "pravni status", "legalizacija", "status legalizacije", "stepen legalizacije", "legalizovanost", "legalisation of land and dwellings", "legal status", "legalisation", "legalization"],
        },
        new("planning_document", AttributeType.Enum, Group.Legal, Published)
        {
            Label = L("Obuhvaćeno planskim dokumentom", "Обухваћено планским документом", "Covered by a planning document"),
            Description = L("Da li je naselje obuhvaćeno prostornim ili urbanističkim planom.", "Да ли је насеље обухваћено просторним или урбанистичким планом.", "Whether a spatial or urban plan covers the settlement."),
            List = Lists.PlanningDocument,
            Change = ChangeOrder.WorstToBest(["no"], ["in_preparation"], ["yes"]),
            Get = s => s.PlanningDocument,
            Set = (s, v) => s.PlanningDocument = Value<PlanningDocument>(v),
            ImportNames = ["obuhvaćeno planskim dokumentom", "planski dokument", "planska dokumentacija", "urbanistički plan", "plan", "covered by a planning document", "planning document", "planning"],
        },
        new("water_supply", AttributeType.Enum, Group.Infrastructure, Everywhere | Outputs.Theme)
        {
            Label = L("Snabdevanje vodom", "Снабдевање водом", "Water supply"),
            Description = L("Kako se naselje snabdeva vodom.", "Како се насеље снабдева водом.", "How the settlement gets its water."),
            List = Lists.WaterSupply,
            Change = ChangeOrder.WorstToBest(["none"], ["wells"], ["network"]),
            Get = s => s.WaterSupply,
            Set = (s, v) => s.WaterSupply = Value<WaterSupply>(v),
            ImportNames = ["snabdevanje vodom", "snabdijevanje vodom", "vodosnabdevanje", "vodosnabdijevanje", "voda", "vodovod", "water supply", "water"],
        },
        new("sewerage", AttributeType.Enum, Group.Infrastructure, Everywhere | Outputs.Theme)
        {
            Label = L("Kanalizacija", "Канализација", "Sewerage"),
            Description = L("Kako se odvode otpadne vode iz naselja.", "Како се одводе отпадне воде из насеља.", "How waste water leaves the settlement."),
            List = Lists.Sewerage,
            Change = ChangeOrder.WorstToBest(["none"], ["septic"], ["network"]),
            Get = s => s.Sewerage,
            Set = (s, v) => s.Sewerage = Value<Sewerage>(v),
            ImportNames = ["kanalizacija", "odvod otpadnih voda", "sewerage", "sewage", "sewer", "sanitation"],
        },
        new("electricity", AttributeType.Enum, Group.Infrastructure, Everywhere | Outputs.Theme)
        {
            Sensitivity = Clearance.SignedIn,
            Label = L("Struja", "Струја", "Electricity"),
            Description = L("Da li su i kako objekti priključeni na električnu mrežu.", "Да ли су и како објекти прикључени на електричну мрежу.", "Whether and how dwellings are connected to the power grid."),
            List = Lists.Electricity,
            Change = ChangeOrder.WorstToBest(["none"], ["illegal", "partial"], ["legal"]),
            Get = s => s.Electricity,
            Set = (s, v) => s.Electricity = Value<Electricity>(v),
            ImportNames = ["struja", "električna energija", "elektrifikacija", "elektro mreža", "electricity", "power", "electric power"],
        },
        new("heating", AttributeType.Enum, Group.Infrastructure, Outputs.Layer | Published)
        {
            Label = L("Grejanje", "Грејање", "Heating"),
            Description = L("Kako se greje većina stambenih objekata.", "Како се греје већина стамбених објеката.", "How most dwellings are heated."),
            List = Lists.Heating,
            Change = ChangeOrder.Unordered,
            Get = s => s.Heating,
            Set = (s, v) => s.Heating = Value<Heating>(v),
            ImportNames = ["grejanje", "grijanje", "način grejanja", "heating"],
        },
        new("paved_access_road", AttributeType.Enum, Group.Infrastructure, Published)
        {
            Label = L("Asfaltiran prilazni put", "Асфалтиран прилазни пут", "Paved access road"),
            Description = L("Da li do naselja vodi asfaltiran put.", "Да ли до насеља води асфалтиран пут.", "Whether a paved road leads to the settlement."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["no"], ["yes"]),
            Get = s => s.PavedAccessRoad,
            Set = (s, v) => s.PavedAccessRoad = Value<YesNo>(v),
            ImportNames = ["asfaltiran prilazni put", "asfaltiran pristupni put", "asfaltni put", "prilazni put", "pristupni put", "asfalt", "paved access road", "access road", "paved road"],
        },
        new("street_network", AttributeType.Enum, Group.Infrastructure, Published)
        {
            Label = L("Ulična mreža", "Улична мрежа", "Street network"),
            Description = L("Da li naselje ima uličnu mrežu.", "Да ли насеље има уличну мрежу.", "Whether the settlement has a network of streets."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["no"], ["yes"]),
            Get = s => s.StreetNetwork,
            Set = (s, v) => s.StreetNetwork = Value<YesNo>(v),
            ImportNames = ["ulična mreža", "mreža ulica", "ulice", "street network", "streets"],
        },
        new("waste_collection", AttributeType.Enum, Group.Infrastructure, Published)
        {
            Label = L("Odvoženje otpada", "Одвожење отпада", "Waste collection"),
            Description = L("Da li se otpad odvozi iz naselja.", "Да ли се отпад одвози из насеља.", "Whether waste is collected from the settlement."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["no"], ["yes"]),
            Get = s => s.WasteCollection,
            Set = (s, v) => s.WasteCollection = Value<YesNo>(v),
            ImportNames = ["odvoženje otpada", "odvoz otpada", "odvoz smeća", "odnošenje smeća", "iznošenje smeća", "smeće", "waste collection", "waste", "garbage collection"],
        },
        new("street_lighting", AttributeType.Enum, Group.Infrastructure, Published)
        {
            Label = L("Javna rasveta", "Јавна расвета", "Street lighting"),
            Description = L("Da li naselje ima javnu rasvetu.", "Да ли насеље има јавну расвету.", "Whether the streets of the settlement are lit."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["no"], ["yes"]),
            Get = s => s.StreetLighting,
            Set = (s, v) => s.StreetLighting = Value<YesNo>(v),
            ImportNames = ["javna rasveta", "ulična rasveta", "rasveta", "javno osvetljenje", "osvetljenje", "street lighting", "public lighting", "lighting"],
        },
        new("distance_to_seat_m", AttributeType.WholeNumber, Group.Access, Published)
        {
            Label = L("Sedište opštine", "Седиште општине", "Municipality seat"),
            Description = L("Udaljenost naselja od sedišta opštine, u metrima.", "Удаљеност насеља од седишта општине, у метрима.", "Distance from the settlement to the seat of the municipality, in metres."),
            Unit = "m",
            Min = 0, Max = MaxDistanceM,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.DistanceToSeatM,
            Set = (s, v) => s.DistanceToSeatM = Value<int?>(v),
            ImportNames = ["sedište opštine", "udaljenost od sedišta opštine", "udaljenost od sedišta", "udaljenost od centra", "udaljenost od centra opštine", "udaljenost od opštine", "municipality seat", "distance to seat", "distance to municipality seat", "distance to centre", "distance to center"],
        },
        new("distance_to_primary_school_m", AttributeType.WholeNumber, Group.Access, Everywhere | Outputs.Theme)
        {
            Label = L("Osnovna škola", "Основна школа", "Primary school"),
            Description = L("Udaljenost do najbliže osnovne škole, u metrima.", "Удаљеност до најближе основне школе, у метрима.", "Distance to the nearest primary school, in metres."),
            Unit = "m",
            Min = 0, Max = MaxDistanceM,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.DistanceToPrimarySchoolM,
            Set = (s, v) => s.DistanceToPrimarySchoolM = Value<int?>(v),
            ImportNames = ["osnovna škola", "udaljenost od škole", "udaljenost od osnovne škole", "primary school", "distance to school", "distance to primary school"],
        },
        new("distance_to_preschool_m", AttributeType.WholeNumber, Group.Access, Published)
        {
            Label = L("Predškolska ustanova", "Предшколска установа", "Pre-school"),
            Description = L("Udaljenost do najbliže predškolske ustanove, u metrima.", "Удаљеност до најближе предшколске установе, у метрима.", "Distance to the nearest pre-school, in metres."),
            Unit = "m",
            Min = 0, Max = MaxDistanceM,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.DistanceToPreschoolM,
            Set = (s, v) => s.DistanceToPreschoolM = Value<int?>(v),
            ImportNames = ["predškolska ustanova", "vrtić", "udaljenost od vrtića", "udaljenost od predškolske ustanove", "pre-school", "kindergarten", "distance to preschool", "distance to kindergarten"],
        },
        new("distance_to_health_centre_m", AttributeType.WholeNumber, Group.Access, Everywhere | Outputs.Theme)
        {
            Label = L("Dom zdravlja", "Дом здравља", "Health centre"),
            Description = L("Udaljenost do najbližeg doma zdravlja ili ambulante, u metrima.", "Удаљеност до најближег дома здравља или амбуланте, у метрима.", "Distance to the nearest health centre or clinic, in metres."),
            Unit = "m",
            Min = 0, Max = MaxDistanceM,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.DistanceToHealthCentreM,
            Set = (s, v) => s.DistanceToHealthCentreM = Value<int?>(v),
            ImportNames = ["dom zdravlja", "ambulanta", "udaljenost od doma zdravlja", "udaljenost od ambulante", "health centre", "health center", "distance to health centre", "distance to health center"],
        },
        new("distance_to_social_work_centre_m", AttributeType.WholeNumber, Group.Access, Published)
        {
            Label = L("Centar za socijalni rad", "Центар за социјални рад", "Social work centre"),
            Description = L("Udaljenost do centra za socijalni rad, u metrima.", "Удаљеност до центра за социјални рад, у метрима.", "Distance to the centre for social work, in metres."),
            Unit = "m",
            Min = 0, Max = MaxDistanceM,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.DistanceToSocialWorkCentreM,
            Set = (s, v) => s.DistanceToSocialWorkCentreM = Value<int?>(v),
            ImportNames = ["centar za socijalni rad", "csr", "udaljenost od csr", "udaljenost od centra za socijalni rad", "social work centre", "social work center", "distance to social work centre", "distance to social work center"],
        },
        new("distance_to_transport_stop_m", AttributeType.WholeNumber, Group.Access, Published)
        {
            Label = L("Stanica javnog prevoza", "Станица јавног превоза", "Public transport stop"),
            Description = L("Udaljenost do najbliže stanice javnog prevoza, u metrima.", "Удаљеност до најближе станице јавног превоза, у метрима.", "Distance to the nearest public transport stop, in metres."),
            Unit = "m",
            Min = 0, Max = MaxDistanceM,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.DistanceToTransportStopM,
            Set = (s, v) => s.DistanceToTransportStopM = Value<int?>(v),
            ImportNames = ["stanica javnog prevoza", "stajalište", "autobuska stanica", "javni prevoz", "udaljenost od stanice", "udaljenost od stajališta", "udaljenost od stanice javnog prevoza", "public transport stop", "bus stop", "transport stop", "distance to transport stop", "distance to bus stop"],
        },
        new("distance_to_pharmacy_m", AttributeType.WholeNumber, Group.Access, Published)
        {
            Label = L("Apoteka", "Апотека", "Pharmacy"),
            Description = L("Udaljenost do najbliže apoteke, u metrima.", "Удаљеност до најближе апотеке, у метрима.", "Distance to the nearest pharmacy, in metres."),
            Unit = "m",
            Min = 0, Max = MaxDistanceM,
            Change = ChangeOrder.LowerIsBetter,
            Get = s => s.DistanceToPharmacyM,
            Set = (s, v) => s.DistanceToPharmacyM = Value<int?>(v),
            ImportNames = ["apoteka", "udaljenost od apoteke", "pharmacy", "distance to pharmacy"],
        },
        new("flood_zone", AttributeType.Enum, Group.Risks, Outputs.Layer | Published)
        {
            Label = L("Plavno područje", "Плавно подручје", "Flood zone"),
            Description = L("Da li se naselje nalazi na plavnom području.", "Да ли се насеље налази на плавном подручју.", "Whether the settlement lies in an area that floods."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["yes"], ["no"]),
            Get = s => s.FloodZone,
            Set = (s, v) => s.FloodZone = Value<YesNo>(v),
            ImportNames = ["plavno područje", "poplavna zona", "poplave", "plavljenje", "flood zone", "flood risk", "flooding"],
        },
        new("hazard_nearby", AttributeType.Enum, Group.Risks, Outputs.Layer | Published)
        {
            Label = L("Deponija ili industrijska opasnost u blizini", "Депонија или индустријска опасност у близини", "Landfill or industrial hazard nearby"),
            Description = L("Da li je u blizini naselja deponija ili industrijska opasnost.", "Да ли је у близини насеља депонија или индустријска опасност.", "Whether a landfill or an industrial hazard is close to the settlement."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["yes"], ["no"]),
            Get = s => s.HazardNearby,
            Set = (s, v) => s.HazardNearby = Value<YesNo>(v),
            ImportNames = ["deponija ili industrijska opasnost u blizini", "deponija", "deponija u blizini", "industrijska opasnost", "opasnost", "zagađenje", "landfill or industrial hazard nearby", "hazard", "hazard nearby", "landfill"],
        },
        new("eviction_threat", AttributeType.Enum, Group.Risks, Outputs.Layer | Published)
        {
            Sensitivity = Clearance.Administrators,
            Label = L("Pretnja iseljenjem", "Претња исељењем", "Eviction threat"),
            Description = L("Da li stanovnicima preti iseljenje.", "Да ли становницима прети исељење.", "Whether the residents are threatened with eviction."),
            List = Lists.YesNo,
            Change = ChangeOrder.WorstToBest(["yes"], ["no"]),
            Get = s => s.EvictionThreat,
            Set = (s, v) => s.EvictionThreat = Value<YesNo>(v),
            ImportNames = ["pretnja iseljenjem", "pretnja iseljenja", "iseljenje", "prinudno iseljenje", "eviction threat", "eviction", "eviction risk"],
        },
        new("source", AttributeType.Text, Group.Provenance, Outputs.Layer | Published)
        {
            Label = L("Izvor", "Извор", "Source"),
            Description = L("Odakle potiču podaci o naselju.", "Одакле потичу подаци о насељу.", "Where the data about the settlement come from."),
            Required = true,
            Get = s => s.Source,
            Set = (s, v) => s.Source = Value<string>(v),
            ImportNames = ["izvor", "izvor podataka", "source", "data source"],
        },
        new("data_collected_on", AttributeType.Date, Group.Provenance, Published)
        {
            Label = L("Datum prikupljanja", "Датум прикупљања", "Data collected on"),
            Description = L("Dan prikupljanja podataka: atributi opisuju naselje kakvo je bilo tog dana.", "Дан прикупљања података: атрибути описују насеље какво је било тог дана.", "The day the data were collected: the attributes describe the settlement as of that day."),
            Get = s => s.DataCollectedOn,
            Set = (s, v) => s.DataCollectedOn = Value<DateOnly?>(v),
            ImportNames = ["datum prikupljanja", "datum prikupljanja podataka", "datum", "datum istraživanja", "datum ankete", "data collected on", "collected on", "date collected", "survey date", "date"],
        },
        new("area_m2", AttributeType.Number, Group.Identity, Published)
        {
            Label = L("Površina", "Површина", "Area"),
            Description = L("Površina obuhvata u kvadratnim metrima, izračunata iz geometrije.", "Површина обухвата у квадратним метрима, израчуната из геометрије.", "The area of the outline in square metres, computed from the geometry."),
            Unit = "m²",
            Sql = "round(s.area_m2::numeric, 1)",
            FilterSql = "s.area_m2",
            Get = s => Math.Round(s.AreaM2, 1),
        },
        new("centroid_lon", AttributeType.Number, Group.Identity, Outputs.None)
        {
            Label = L("Geografska dužina središta", "Географска дужина средишта", "Centre longitude"),
            Description = L("Geografska dužina središta obuhvata (WGS 84).", "Географска дужина средишта обухвата (WGS 84).", "The longitude of the centre of the outline (WGS 84)."),
            Get = s => s.Centroid is null ? null : Math.Round(s.Centroid.X, 6),
        },
        new("centroid_lat", AttributeType.Number, Group.Identity, Outputs.None)
        {
            Label = L("Geografska širina središta", "Географска ширина средишта", "Centre latitude"),
            Description = L("Geografska širina središta obuhvata (WGS 84).", "Географска ширина средишта обухвата (WGS 84).", "The latitude of the centre of the outline (WGS 84)."),
            Get = s => s.Centroid is null ? null : Math.Round(s.Centroid.Y, 6),
        },
        new("updated_at", AttributeType.DateTime, Group.Provenance, Outputs.Export | Outputs.Details)
        {
            Label = L("Poslednja izmena", "Последња измена", "Last updated"),
            Description = L("Kada je naselje poslednji put izmenjeno.", "Када је насеље последњи пут измењено.", "When the settlement was last changed."),
            Get = s => s.UpdatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        },
        new("updated_by", AttributeType.Text, Group.Provenance, Outputs.Export | Outputs.Details)
        {
            Sensitivity = Clearance.SignedIn,
            Label = L("Izmenio", "Изменио", "Updated by"),
            Description = L("Ko je poslednji izmenio naselje.", "Ко је последњи изменио насеље.", "Who last changed the settlement."),
            Get = s => s.UpdatedBy,
        },
        new("version", AttributeType.WholeNumber, Group.Provenance, Outputs.None)
        {
            Restrictable = false,
            Label = L("Verzija", "Верзија", "Version"),
            Description = L("Verzija zapisa, radi bezbednih istovremenih izmena.", "Верзија записа, ради безбедних истовремених измена.", "The version of the record, for safe concurrent editing."),
            Get = s => s.Version,
        },
    ];

    private static readonly Dictionary<string, AttributeDefinition> ByName = Attributes.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public static AttributeDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The attributes that appear in <paramref name="output"/> for a viewer who sees everything, in schema order.</summary>
    public static IEnumerable<AttributeDefinition> In(Outputs output) => Attributes.Where(a => a.In(output) && !a.GeneralisedViewOnly);

    private static Label L(string latn, string cyrl, string en) => new(latn, cyrl, en);

    private static Municipality Place(Settlement s) => s.Municipality ?? throw new InvalidOperationException("Load the settlement with its municipality.");

    /// <summary>A value as <c>SettlementFields.TryRead</c> normalised it (enum text, "yyyy-MM-dd"), typed for the entity.</summary>
    private static T Value<T>(object? value)
    {
        if (typeof(T).IsEnum)
        {
            return (T)EnumText.Parse(typeof(T), (string)value!);
        }
        if (typeof(T) == typeof(DateOnly?))
        {
            return (T)(object?)(value is string day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null)!;
        }
        return (T)value!;
    }
}
