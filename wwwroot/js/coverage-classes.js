// The coverage overlays' classes and colours: the gap classes by estimated Roma population, and
// presence counts for the legend. Pure functions, no DOM.

const KIND_COLOURS = {
  coordinator: '#1b9e77', health_mediator: '#d95f02', pedagogical_assistant: '#7570b3', mobile_team: '#e7298a',
  local_action_plan: '#66a61e', inter_ethnic_council: '#a6761d',
};
const PROGRAMME_COLOURS = ['#e6ab02', '#1f78b4', '#b15928', '#6a3d9a'];

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

export function kindColour(kind, index) {
  return KIND_COLOURS[kind.key] || PROGRAMME_COLOURS[index % PROGRAMME_COLOURS.length];
}

/** A programme's name (a kind of /api/coverage/figures with name_en, name_sr_latn, name_sr_cyrl) in a language: never its code. */
export function programmeName(kind, lang) {
  if (lang === 'en') return kind.name_en || kind.name_sr_latn;
  if (lang === 'sr-Cyrl') return kind.name_sr_cyrl || kind.name_sr_latn;
  return kind.name_sr_latn || kind.name_en;
}
