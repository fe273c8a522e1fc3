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

/** Municipalities where a kind is present and where it is absent (counted over all municipalities). */
export function presence(features, kindKey) {
  let present = 0;
  for (const f of features) if (kindKey in (f.properties.coverage || {})) present += 1;
  return { present, absent: features.length - present };
}

export function kindColour(kind, index) {
  return KIND_COLOURS[kind.key] || PROGRAMME_COLOURS[index % PROGRAMME_COLOURS.length];
}

