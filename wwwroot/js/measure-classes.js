// The measures layer's classes (measures-layer.js): a colour for each measure status and each priority area, the
// labels from /api/measures/lists. Pure: no DOM, so tests import it as it is (tests/web/palettes.test.js holds both
// palettes to the same ΔE2000 as the themes under simulated colour-vision deficiencies).

/** A measure's status: planned light, under way orange, done dark blue, dropped grey. */
export const STATUS_COLOURS = { planned: '#56b4e9', in_progress: '#e69f00', done: '#08306b', dropped: '#bdbdbd' };

/** The priority areas of a local action plan (Okabe-Ito's colours, safe under the usual colour-vision deficiencies). */
export const AREA_COLOURS = {
  housing: '#0072b2', education: '#e69f00', employment: '#009e73', health: '#cc79a7', social_protection: '#f0e442', access_to_rights: '#000000',
};

/** The closed list a colouring reads (/api/measures/lists names it) and its property in a layer feature. */
const COLOURINGS = {
  status: { list: 'measure_status', property: 'status', colours: STATUS_COLOURS },
  priority_area: { list: 'priority_area', property: 'priority_area', colours: AREA_COLOURS },
};

const OTHER_COLOUR = '#7f7f7f';

/**
 * The legend's classes of a colouring ('status' or 'priority_area'): one per value of its list in the list's order,
 * { key, colour, label } with the label in `lang` from the vocabulary (/api/measures/lists).
 */
export function measureClasses(colouring, vocabulary, lang) {
  const spec = COLOURINGS[colouring];
  const values = (vocabulary && vocabulary.lists[spec.list]) || Object.keys(spec.colours).map((value) => ({ value, label: {} }));
  return values.map((v) => ({ key: v.value, colour: spec.colours[v.value] || OTHER_COLOUR, label: v.label[lang] || v.value }));
}

/** The value a feature's properties have under a colouring (its class key). */
export function measureClassOf(colouring, properties) {
  return properties[COLOURINGS[colouring].property];
}

/** The fill colour of a measure point. */
export function measureColour(colouring, properties) {
  return COLOURINGS[colouring].colours[measureClassOf(colouring, properties)] || OTHER_COLOUR;
}

/** Points per class key, every class of `classes` present. */
export function countMeasureClasses(colouring, classes, featuresProperties) {
  const counts = Object.fromEntries(classes.map((c) => [c.key, 0]));
  for (const p of featuresProperties) {
    const key = measureClassOf(colouring, p);
    if (key in counts) counts[key] += 1;
  }
  return counts;
}
