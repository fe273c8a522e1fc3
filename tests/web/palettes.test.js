// Every palette the map draws classes in stays distinguishable for readers with a colour-vision
// deficiency: the smallest CIEDE2000 difference between two classes of a palette, under culori's
// simulations of deuteranopia, protanopia and tritanopia (full severity, Machado et al. 2009 for
// the first two, Brettel/Viénot for the third) and in normal vision, must reach MIN_DELTA_E.
// The palettes are read from the modules the page draws with (themes.js, coverage-classes.js, change-classes.js,
// freshness-classes.js),
// never copied here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differenceCiede2000, filterDeficiencyDeuter, filterDeficiencyProt, filterDeficiencyTrit } from 'culori';
import { CHOROPLETHS, SETTLEMENT_THEMES, choroplethClasses, themeClasses } from '../../wwwroot/js/themes.js';
import { ABSENT_COLOUR, GAP_CLASSES, UNKNOWN_GAP_COLOUR, KIND_COLOURS, PROGRAMME_COLOURS } from '../../wwwroot/js/coverage-classes.js';
import { CHANGE_CLASSES } from '../../wwwroot/js/change-classes.js';
import { FRESHNESS_CLASSES } from '../../wwwroot/js/freshness-classes.js';
import { AREA_COLOURS, STATUS_COLOURS } from '../../wwwroot/js/measure-classes.js';
import { closedLists } from './closed-lists.js';

/**
 * ΔE2000 of 1 is a just-noticeable difference side by side; map classes are small areas, half
 * transparent, seen apart from their legend, so they need far more. 10 is about where two swatches
 * no longer need the legend to tell apart; the pair testers confused (electricity's "partly" and
 * "illegal" under deuteranopia) is below it, the water and sewerage palettes that held are above it.
 */
export const MIN_DELTA_E = 10;

const deltaE = differenceCiede2000();
const VISIONS = {
  normal: (c) => c,
  deuteranopia: filterDeficiencyDeuter(1),
  protanopia: filterDeficiencyProt(1),
  tritanopia: filterDeficiencyTrit(1),
};

/** The palettes as drawn: each theme with its "unknown", each choropleth with its "no settlements", the overlays with "absent". */
function palettes() {
  const all = {};
  for (const theme of SETTLEMENT_THEMES) all['theme ' + theme] = themeClasses(theme, closedLists).map((c) => c.colour);
  for (const name of CHOROPLETHS.filter((n) => n !== 'none')) all['choropleth ' + name] = choroplethClasses(name).map((c) => c.colour);
  // Several overlays are shown at once: every kind and programme against the others and against "absent".
  all['coverage kinds'] = [...Object.values(KIND_COLOURS), ...PROGRAMME_COLOURS, ABSENT_COLOUR];
  all['coverage gap'] = [...GAP_CLASSES.map((c) => c.colour), UNKNOWN_GAP_COLOUR, ABSENT_COLOUR];
  // The change between two dates: its classes are drawn side by side on one map.
  all['change classes'] = CHANGE_CLASSES.map((c) => c.colour);
  // Data freshness: its classes and "no date to show".
  all['data freshness'] = FRESHNESS_CLASSES.map((c) => c.colour);
  // The measures layer's points, by status or by priority area (one at a time).
  all['measure status'] = Object.values(STATUS_COLOURS);
  all['measure priority area'] = Object.values(AREA_COLOURS);
  return all;
}

/** The closest pair of a palette in one vision: { delta, a, b }. */
function closestPair(colours, simulate) {
  let closest = { delta: Infinity };
  for (let i = 0; i < colours.length; i += 1) {
    for (let j = i + 1; j < colours.length; j += 1) {
      const delta = deltaE(simulate(colours[i]), simulate(colours[j]));
      if (delta < closest.delta) closest = { delta, a: colours[i], b: colours[j] };
    }
  }
  return closest;
}

test('the palettes are read from the page\'s modules: every theme, choropleth and overlay', () => {
  const names = Object.keys(palettes());
  // Overlays: coverage kinds, coverage gap, change classes, data freshness, measures by status and by area.
  assert.equal(names.length, SETTLEMENT_THEMES.length + CHOROPLETHS.length - 1 + 6);
  for (const colours of Object.values(palettes())) {
    assert.ok(colours.length >= 2);
    for (const c of colours) assert.match(c, /^#[0-9a-f]{6}$/i);
  }
});

test(`every palette keeps its classes at least ΔE2000 ${MIN_DELTA_E} apart in normal vision and under simulated deuteranopia, protanopia and tritanopia`, () => {
  const failures = [];
  const table = [];
  for (const [name, colours] of Object.entries(palettes())) {
    const row = [name.padEnd(46)];
    for (const [vision, simulate] of Object.entries(VISIONS)) {
      const closest = closestPair(colours, simulate);
      row.push(vision + ' ' + closest.delta.toFixed(1));
      if (closest.delta < MIN_DELTA_E) failures.push(`${name}, ${vision}: ${closest.a} and ${closest.b} differ by ΔE ${closest.delta.toFixed(1)}`);
    }
    table.push(row.join('  '));
  }
  // The figures, for the record (node --test prints diagnostics).
  console.log(table.join('\n'));
  assert.deepEqual(failures, []);
});
