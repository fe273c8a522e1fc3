import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SETTLEMENT_THEMES, themeClasses, classify, countByClass, aggregateByMunicipality, aggregatesFromSummary,
  choroplethClasses, classifyMunicipality, rangeOf, themeBreaks,
} from '../../wwwroot/js/themes.js';

import { closedLists } from './closed-lists.js';

const classOf = (theme, value) => classify(theme, { [theme]: value });
const checkCases = (theme, cases) => {
  for (const [value, key] of cases) assert.equal(classOf(theme, value), key, `${theme}=${value}`);
};
const municipality = (choropleth, aggregate) => classifyMunicipality(choropleth, { settlements: 1, inhabitants: 0, shareWithoutWater: 0, ...aggregate });

test('every settlement theme has unique class keys, #rrggbb colours and ends with "unknown"', () => {
  for (const theme of SETTLEMENT_THEMES) {
    const classes = themeClasses(theme, closedLists);
    const keys = classes.map((c) => c.key);
    assert.equal(keys.at(-1), 'unknown', theme);
    assert.equal(classes.at(-1).unknown, true, theme);
    assert.equal(new Set(keys).size, keys.length, theme);
    for (const c of classes) assert.match(c.colour, /^#[0-9a-f]{6}$/i, `${theme} ${c.key}`);
  }
});

test('categorical classes follow the closed list, without its "unknown"', () => {
  assert.deepEqual(themeClasses('water_supply', closedLists).map((c) => c.key), ['network', 'wells', 'none', 'unknown']);
  assert.throws(() => themeClasses('nonsense', closedLists));
});

test('estimated_inhabitants class boundaries', () => {
  checkCases('estimated_inhabitants', [[0, 'c0'], [99, 'c0'], [100, 'c1'], [299, 'c1'], [300, 'c2'], [1000, 'c3'], [null, 'unknown'], [undefined, 'unknown']]);
});

test('substandard_share_pct class boundaries', () => {
  checkCases('substandard_share_pct', [[24.9, 'c0'], [25, 'c1'], [100, 'c3']]);
});

test('distance_to_primary_school_m class boundaries', () => {
  checkCases('distance_to_primary_school_m', [[499, 'c0'], [500, 'c1'], [5000, 'c4']]);
});

test('categorical values: known ones are their own class, "unknown" and unexpected ones are unknown', () => {
  checkCases('water_supply', [['wells', 'wells'], ['unknown', 'unknown'], ['lake', 'unknown'], [null, 'unknown']]);
  checkCases('electricity', [['illegal', 'illegal'], ['network', 'unknown']]);
});

test('countByClass counts every input once and lists every class', () => {
  const inputs = [
    { water_supply: 'network', estimated_inhabitants: 50 },
    { water_supply: 'network', estimated_inhabitants: 5000 },
    { water_supply: 'lake', estimated_inhabitants: null },
    { estimated_inhabitants: 150 },
  ];
  for (const theme of SETTLEMENT_THEMES) {
    const classes = themeClasses(theme, closedLists);
    const counts = countByClass(theme, classes, inputs);
    assert.deepEqual(Object.keys(counts), classes.map((c) => c.key), theme);
    assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), inputs.length, theme);
  }
  const counts = countByClass('water_supply', themeClasses('water_supply', closedLists), inputs);
  assert.deepEqual(counts, { network: 2, wells: 0, none: 0, unknown: 2 });
});

test('aggregateByMunicipality sums settlements, inhabitants (missing as 0) and lack of water', () => {
  const aggregates = aggregateByMunicipality([
    { municipality_code: 'a', water_supply: 'network', estimated_inhabitants: 100 },
    { municipality_code: 'a', water_supply: 'wells', estimated_inhabitants: null },
    { municipality_code: 'a', water_supply: 'unknown', estimated_inhabitants: 50 },
    { municipality_code: 'b', water_supply: 'none' },
  ]);
  assert.deepEqual(Object.fromEntries(aggregates), {
    a: { settlements: 3, inhabitants: 150, withoutWater: 1, shareWithoutWater: 33 },
    b: { settlements: 1, inhabitants: 0, withoutWater: 1, shareWithoutWater: 100 },
  });
});

test('aggregatesFromSummary gives the server rows the shape aggregateByMunicipality gives features', () => {
  const features = [
    { municipality_code: 'a', water_supply: 'network', estimated_inhabitants: 100 },
    { municipality_code: 'a', water_supply: 'wells', estimated_inhabitants: 50 },
    { municipality_code: 'a', water_supply: 'none', estimated_inhabitants: null },
  ];
  const rows = [{ code: 'a', settlements: 3, estimated_inhabitants: 150, without_water: 2 }];
  assert.deepEqual(Object.fromEntries(aggregatesFromSummary(rows)), Object.fromEntries(aggregateByMunicipality(features)));
});

test('themeBreaks: the breaks of a numeric theme, which classify uses; none for a closed list', () => {
  assert.equal(themeBreaks('water_supply'), null);
  const breaks = themeBreaks('estimated_inhabitants');
  breaks.forEach((b, i) => assert.equal(classOf('estimated_inhabitants', b), 'c' + i));
});

test('classifyMunicipality: no settlements shown is "empty"', () => {
  assert.equal(classifyMunicipality('share_without_water', undefined), 'empty');
  assert.equal(classifyMunicipality('settlement_count', { settlements: 0, inhabitants: 0, shareWithoutWater: 0 }), 'empty');
});

test('classifyMunicipality: share_without_water boundaries', () => {
  for (const [share, key] of [[0, 'c0'], [1, 'c1'], [25, 'c1'], [26, 'c2'], [100, 'c4']]) {
    assert.equal(municipality('share_without_water', { shareWithoutWater: share }), key, `share ${share}`);
  }
});

test('classifyMunicipality: settlement_count boundaries', () => {
  for (const [count, key] of [[1, 'c0'], [2, 'c0'], [3, 'c1'], [11, 'c3']]) {
    assert.equal(municipality('settlement_count', { settlements: count }), key, `count ${count}`);
  }
});

test('rangeOf describes how a class range reads', () => {
  assert.deepEqual(rangeOf(1, 3, undefined, true), { kind: 'between', a: 1, b: 2 });
  assert.deepEqual(rangeOf(0, 1, undefined, true), { kind: 'single', a: 0 });
  assert.deepEqual(rangeOf(0, 500, undefined, false), { kind: 'below', b: 500 });
  assert.deepEqual(rangeOf(5000, null, undefined, false), { kind: 'at_least', a: 5000 });
  assert.deepEqual(rangeOf(76, null, 100, true), { kind: 'between', a: 76, b: 100 });
});

test('share_without_water legend reads 0, 1–25, 26–50, 51–75, 76–100', () => {
  const classes = choroplethClasses('share_without_water');
  assert.equal(classes[0].key, 'empty');
  assert.deepEqual(classes.slice(1).map((c) => c.range), [
    { kind: 'single', a: 0 },
    { kind: 'between', a: 1, b: 25 },
    { kind: 'between', a: 26, b: 50 },
    { kind: 'between', a: 51, b: 75 },
    { kind: 'between', a: 76, b: 100 },
  ]);
  assert.deepEqual(choroplethClasses('none'), []);
});
