// Thematic styling: which attribute colours the settlements, how its values fall into classes,
// and the municipality choropleths aggregated from the settlements shown. Pure functions, no DOM.

const UNKNOWN_COLOUR = '#9e9e9e';

// Classes of a closed list: one per value, in the list's order, coloured from good (blue) to bad
// (red), never red against green: tests/web/palettes.test.js holds every palette of this file and
// of coverage-classes.js to a ΔE2000 of 10 under simulated deuteranopia, protanopia and tritanopia.
const CATEGORICAL = {
  water_supply: { list: 'water_supply', colours: { network: '#2c7bb6', wells: '#fdae61', none: '#d7191c' } },
  sewerage: { list: 'sewerage', colours: { network: '#2c7bb6', septic: '#fdae61', none: '#d7191c' } },
  electricity: { list: 'electricity', colours: { legal: '#2c7bb6', partial: '#abd9e9', illegal: '#fdae61', none: '#d7191c' } },
  legal_status: { list: 'legal_status', colours: { legalised: '#2c7bb6', in_process: '#fdae61', not_legalised: '#d7191c' } },
};

// Classes of a number: fixed breaks (comparable between places and over time, unlike quantiles).
// A class holds values from its `from` (inclusive) up to the next class's `from`. Ordered classes
// are ramps of one lightness order (light = near / few, dark = far / many), so their order reads
// without hue: under a colour-vision deficiency and on a black-and-white print alike.
const DISTANCE_COLOURS = ['#ffffd4', '#fed98e', '#fe9929', '#cc4c02', '#662506'];
const NUMERIC = {
  substandard_share_pct: { unit: 'pct', breaks: [0, 25, 50, 75], colours: ['#fee5d9', '#fcae91', '#fb6a4a', '#cb181d'], max: 100 },
  estimated_inhabitants: { unit: 'people', integer: true, breaks: [0, 100, 300, 1000], colours: ['#edf8fb', '#b3cde3', '#8c96c6', '#88419d'] },
  distance_to_primary_school_m: { unit: 'm', breaks: [0, 500, 1000, 2000, 5000], colours: DISTANCE_COLOURS },
  distance_to_health_centre_m: { unit: 'm', breaks: [0, 500, 1000, 2000, 5000], colours: DISTANCE_COLOURS },
};

export const SETTLEMENT_THEMES = [
  'water_supply', 'sewerage', 'electricity', 'legal_status',
  'substandard_share_pct', 'estimated_inhabitants', 'distance_to_primary_school_m', 'distance_to_health_centre_m',
];

export const DEFAULT_THEME = 'water_supply';

/** The themes on attributes the viewer sees: /api/config lists only those (an old config without attributes: all). */
export function visibleThemes(config) {
  const names = config && config.attributes ? new Set(config.attributes.map((a) => a.name)) : null;
  return names ? SETTLEMENT_THEMES.filter((name) => names.has(name)) : SETTLEMENT_THEMES;
}

/**
 * The classes of a settlement theme, ending with the "unknown" class: each has a key and a colour,
 * and either {list, value} (a closed-list value) or {range, unit}. closedLists comes from /api/config.
 */
export function themeClasses(theme, closedLists) {
  const categorical = CATEGORICAL[theme];
  if (categorical) {
    const values = (closedLists && closedLists[categorical.list]) || Object.keys(categorical.colours);
    return values.filter((v) => v !== 'unknown').map((value) => ({
      key: value, colour: categorical.colours[value] || UNKNOWN_COLOUR, list: categorical.list, value,
    })).concat([{ key: 'unknown', colour: UNKNOWN_COLOUR, unknown: true }]);
  }
  const numeric = NUMERIC[theme];
  if (!numeric) throw new Error('Unknown theme ' + theme);
  return rangeClasses(numeric).concat([{ key: 'unknown', colour: UNKNOWN_COLOUR, unknown: true }]);
}

/** The class key of one settlement's properties under a theme. */
export function classify(theme, properties) {
  const value = properties[theme];
  if (CATEGORICAL[theme]) {
    return value && value !== 'unknown' && CATEGORICAL[theme].colours[value] ? value : 'unknown';
  }
  const numeric = NUMERIC[theme];
  if (value === null || value === undefined || Number.isNaN(Number(value))) return 'unknown';
  let index = 0;
  for (let i = 0; i < numeric.breaks.length; i += 1) if (Number(value) >= numeric.breaks[i]) index = i;
  return 'c' + index;
}

/** The fill colour of one settlement: its class's colour among `classes` (themeClasses of the theme). */
export function classColour(classes, theme, properties) {
  const key = classify(theme, properties);
  const found = classes.find((c) => c.key === key);
  return found ? found.colour : UNKNOWN_COLOUR;
}

/** Counts of settlements per class key, every class present (zero where empty). */
export function countByClass(theme, classes, featuresProperties) {
  const counts = Object.fromEntries(classes.map((c) => [c.key, 0]));
  for (const p of featuresProperties) counts[classify(theme, p)] += 1;
  return counts;
}

// ---- Municipality choropleths, aggregated from the settlements shown ----

// measure_coverage is not aggregated from the settlements shown: its figures are the server's (measures-layer.js).
export const CHOROPLETHS = ['none', 'settlement_count', 'estimated_inhabitants', 'share_without_water', 'measure_coverage'];

const NO_SETTLEMENTS_COLOUR = '#ffffff';
const CHOROPLETH_CLASSES = {
  settlement_count: { unit: 'count', integer: true, breaks: [1, 3, 6, 11], colours: ['#fee6ce', '#fdae6b', '#f16913', '#a63603'] },
  estimated_inhabitants: { unit: 'people', integer: true, breaks: [0, 500, 2000, 5000], colours: ['#cbc9e2', '#9e9ac8', '#6a51a3', '#3f007d'] },
  share_without_water: { unit: 'pct', integer: true, breaks: [0, 1, 26, 51, 76], colours: ['#a6cee3', '#fdd0a2', '#fc8d59', '#d7301f', '#7f0000'], max: 100 },
  // The share of a municipality's settlements a measure that is not dropped names: light (none) to dark (all).
  measure_coverage: { unit: 'pct', integer: true, breaks: [0, 1, 26, 51, 76], colours: ['#fdd49e', '#c6dbef', '#6baed6', '#2171b5', '#08306b'], max: 100 },
};

/**
 * Per municipality code: { settlements, inhabitants, withoutWater, shareWithoutWater }.
 * "Without water network" means water_supply is wells or none; an unknown supply counts in the
 * denominator but not as lacking, so the share is a lower bound.
 */
export function aggregateByMunicipality(featuresProperties) {
  const byCode = new Map();
  for (const p of featuresProperties) {
    let a = byCode.get(p.municipality_code);
    if (!a) { a = { settlements: 0, inhabitants: 0, withoutWater: 0 }; byCode.set(p.municipality_code, a); }
    a.settlements += 1;
    a.inhabitants += p.estimated_inhabitants || 0;
    if (p.water_supply === 'wells' || p.water_supply === 'none') a.withoutWater += 1;
  }
  return withShares(byCode);
}

/** The same aggregates from the server's summary rows (the map at scale has no features to count). */
export function aggregatesFromSummary(municipalities) {
  return withShares(new Map(municipalities.map((m) => [m.code, { settlements: m.settlements, inhabitants: m.estimated_inhabitants, withoutWater: m.without_water }])));
}

/**
 * The measure_coverage aggregates from GET /api/measures/coverage: per municipality code { settlements, withMeasure,
 * measureShare (a whole percent), measures (by status) }.
 */
export function aggregatesFromMeasureCoverage(municipalities) {
  return new Map(municipalities.map((m) => [m.code, {
    settlements: m.settlements, withMeasure: m.settlements_with_measure, measures: m.measures,
    measureShare: m.settlements === 0 ? null : Math.round((100 * m.settlements_with_measure) / m.settlements),
  }]));
}

function withShares(byCode) {
  // without_water is absent where the viewer does not see water_supply: no share there.
  for (const a of byCode.values()) a.shareWithoutWater = a.withoutWater === undefined || a.withoutWater === null ? null : Math.round((100 * a.withoutWater) / a.settlements);
  return byCode;
}

/** The class breaks of a numeric theme (null for a closed list): the server counts classes with them. */
export function themeBreaks(theme) {
  return NUMERIC[theme] ? NUMERIC[theme].breaks : null;
}

/** The classes of a choropleth; the first is "no settlements shown". */
export function choroplethClasses(choropleth) {
  const spec = CHOROPLETH_CLASSES[choropleth];
  if (!spec) return [];
  return [{ key: 'empty', colour: NO_SETTLEMENTS_COLOUR, empty: true }].concat(rangeClasses(spec));
}

function rangeClasses(spec) {
  return spec.breaks.map((from, i) => {
    const last = i + 1 === spec.breaks.length;
    return { key: 'c' + i, colour: spec.colours[i], unit: spec.unit, range: rangeOf(from, last ? null : spec.breaks[i + 1], last ? spec.max : undefined, spec.integer) };
  });
}

/**
 * How a class's range reads: { kind: 'single'|'between'|'below'|'at_least', a, b }. `to` is
 * exclusive, `max` an inclusive ceiling of the last class; whole numbers read "3–5", measures
 * "500–1000".
 */
export function rangeOf(from, to, max, integer) {
  if (to === null) {
    if (max === undefined || max === null) return { kind: 'at_least', a: from };
    return max === from ? { kind: 'single', a: from } : { kind: 'between', a: from, b: max };
  }
  if (integer) return to - 1 === from ? { kind: 'single', a: from } : { kind: 'between', a: from, b: to - 1 };
  return from === 0 ? { kind: 'below', b: to } : { kind: 'between', a: from, b: to };
}

/** The class key of a municipality's aggregate (undefined aggregate: no settlements shown). */
export function classifyMunicipality(choropleth, aggregate) {
  const spec = CHOROPLETH_CLASSES[choropleth];
  if (!aggregate || aggregate.settlements === 0) return 'empty';
  const value = {
    settlement_count: aggregate.settlements, estimated_inhabitants: aggregate.inhabitants, share_without_water: aggregate.shareWithoutWater, measure_coverage: aggregate.measureShare,
  }[choropleth];
  if (value === null) return 'empty';
  let index = 0;
  for (let i = 0; i < spec.breaks.length; i += 1) if (value >= spec.breaks[i]) index = i;
  return 'c' + index;
}
