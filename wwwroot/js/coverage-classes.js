// The coverage overlays' classes and colours: the gap classes by estimated Roma population, and
// presence counts for the legend. Pure functions, no DOM.

// Okabe and Ito's colour-blind-safe set for the kinds, four more apart from them for the
// programmes (tests/web/palettes.test.js: ΔE2000 >= 10 between any two, also under simulated
// deuteranopia, protanopia and tritanopia). Each kind's outline also has its own dash (KIND_DASHES).
export const KIND_COLOURS = {
  coordinator: '#0072b2', health_mediator: '#d55e00', pedagogical_assistant: '#009e73', mobile_team: '#cc79a7',
  local_action_plan: '#e69f00', inter_ethnic_council: '#56b4e9',
};
export const PROGRAMME_COLOURS = ['#f0e442', '#000000', '#00f78c', '#4b0a6f'];

/** A municipality without the kind (or without a gap): the legend's swatch, the map leaves it uncovered. */
export const ABSENT_COLOUR = '#ffffff';
/** A gap whose estimated inhabitants the viewer does not see: grey, not a class of the population scale. */
export const UNKNOWN_GAP_COLOUR = '#bdbdbd';
/** The outline of the gap's municipalities. */
export const GAP_OUTLINE = '#67000d';

/** Gap classes by estimated Roma population of the uncovered municipality. */
export const GAP_CLASSES = [
  { key: 'g0', from: 1, to: 500, colour: '#fcbba1' },
  { key: 'g1', from: 500, to: 2000, colour: '#fb6a4a' },
  { key: 'g2', from: 2000, to: 5000, colour: '#cb181d' },
  { key: 'g3', from: 5000, to: null, colour: '#67000d' },
];

export function gapClass(inhabitants) {
  let found = null;
  for (const c of GAP_CLASSES) if (inhabitants >= c.from) found = c;
  return found;
}

/**
 * The one base of every coverage count (the legend's, the figures', the tables'; the server's CoverageSql.Place):
 * the municipalities with at least one settlement. Only they are drawn by the overlays and counted.
 */
export function inBase(feature) {
  return feature.properties.settlement_count > 0;
}

/** Municipalities of the base where a kind is present and where it is absent. */
export function presence(features, kindKey) {
  let present = 0;
  let absent = 0;
  for (const f of features) {
    if (!inBase(f)) continue;
    if (kindKey in (f.properties.coverage || {})) present += 1; else absent += 1;
  }
  return { present, absent };
}

/**
 * The gap legend's counts over the base: each gap class, "unknown" for a gap whose estimated inhabitants the
 * viewer does not see (none, or hidden), and "none" for a municipality of the base without a gap.
 */
export function gapCounts(features) {
  const counts = { none: 0, unknown: 0 };
  for (const c of GAP_CLASSES) counts[c.key] = 0;
  for (const f of features) {
    if (!inBase(f)) continue;
    const c = f.properties.gap ? gapClass(f.properties.gap_inhabitants) : null;
    counts[c ? c.key : f.properties.gap ? 'unknown' : 'none'] += 1;
  }
  return counts;
}

// Outline dashes: overlays shown together differ in the line's pattern too, not only in colour.
const KIND_DASHES = ['4 3', '10 4', '1 4', '10 3 2 3', '6 6', '2 2'];

/** The dash pattern of a kind's outline (programmes take the remaining ones in turn). */
export function kindDash(index) {
  return KIND_DASHES[index % KIND_DASHES.length];
}

export function kindColour(kind, index) {
  return KIND_COLOURS[kind.key] || PROGRAMME_COLOURS[index % PROGRAMME_COLOURS.length];
}

/** A programme's name (a kind of /api/coverage/figures with name_en, name_sr_latn, name_sr_cyrl) in a language: never its code. */
export function programmeName(kind, lang) {
  if (lang === 'en') return kind.name_en || kind.name_sr_latn;
  if (lang === 'sr-Cyrl') return kind.name_sr_cyrl || kind.name_sr_latn;
  return kind.name_sr_latn || kind.name_en;
}
