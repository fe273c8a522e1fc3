// The change between two dates in the page (change-classes.js): the classes the legend and the map
// draw, their counts, the list's order, the permalink's compare value and the colours by rank.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHANGE_CLASSES, changeClass, changeCounts, changesQuery, decodeCompare, encodeCompare, isDay, rankColour, sortChanges,
} from '../../wwwroot/js/change-classes.js';
import { decodeView, defaultView, encodeView } from '../../wwwroot/js/state.js';

test('every class the server gives has a colour and its own outline, "unchanged" drawn plain', () => {
  const keys = CHANGE_CLASSES.map((c) => c.key);
  assert.deepEqual(keys, ['improved', 'worsened', 'changed', 'new', 'gone', 'unchanged', 'hidden']);
  const outlines = new Set(CHANGE_CLASSES.map((c) => `${c.dash}/${c.weight}`));
  assert.equal(outlines.size, CHANGE_CLASSES.length, 'each class is told apart by its outline too');
  assert.equal(changeClass('something-else').key, 'unchanged');
});

test('counts have every class, zero where none', () => {
  const counts = changeCounts([{ change: 'improved' }, { change: 'improved' }, { change: 'gone' }]);
  assert.deepEqual(counts, { improved: 2, worsened: 0, changed: 0, new: 0, gone: 1, unchanged: 0, hidden: 0 });
});

test('the list sorts by name in the locale, by municipality, and by class in the legend\'s order, ties stable', () => {
  const rows = [
    { id: 3, name: 'Čair', municipality: 'Niš', change: 'gone' },
    { id: 1, name: 'Zabran', municipality: 'Kragujevac', change: 'improved' },
    { id: 2, name: 'Cerak', municipality: 'Niš', change: 'improved' },
  ];
  const collator = new Intl.Collator('sr-Latn');
  assert.deepEqual(sortChanges(rows, 'name', true, collator).map((r) => r.id), [2, 3, 1]);
  assert.deepEqual(sortChanges(rows, 'name', false, collator).map((r) => r.id), [1, 3, 2]);
  assert.deepEqual(sortChanges(rows, 'municipality', true, collator).map((r) => r.id), [1, 2, 3]);
  assert.deepEqual(sortChanges(rows, 'change', true, collator).map((r) => r.id), [2, 1, 3]);
  assert.throws(() => sortChanges(rows, 'nope', true, collator));
});

test('a comparison travels in the permalink as compare=A,B,attribute, and only a valid one is read', () => {
  const compare = { from: '2019-01-01', to: '2026-12-03', attribute: 'water_supply' };
  assert.equal(encodeCompare(compare), '2019-01-01,2026-12-03,water_supply');
  assert.deepEqual(decodeCompare('2019-01-01,2026-12-03,water_supply'), compare);
  for (const bad of ['2019-01-01,2026-12-03', '2026-12-03,2019-01-01,water_supply', '2019-02-30,2026-12-03,water_supply', '2019-01-01,2026-12-03,Water Supply', '']) {
    assert.equal(decodeCompare(bad), null, bad);
  }
  const hash = encodeView({ ...defaultView(), compare });
  assert.equal(hash, 'compare=2019-01-01,2026-12-03,water_supply');
  assert.deepEqual(decodeView('#' + hash, {}).view.compare, compare);
  assert.deepEqual(decodeView('#compare=2019-01-01,x', {}).dropped, ['compare=2019-01-01,x']);
  assert.equal(isDay('2024-02-29'), true);
  assert.equal(isDay('2023-02-29'), false);
});

test('the API query carries the dates, the attribute, the place filters and the CSV\'s language', () => {
  const compare = { from: '2019-01-01', to: '2020-01-01', attribute: 'sewerage' };
  assert.equal(changesQuery(compare, { municipality: 'nis', water_supply: ['none'] }), 'attribute=sewerage&from=2019-01-01&to=2020-01-01&municipality=nis');
  assert.equal(changesQuery(compare, {}, { format: 'csv', lang: 'sr-Cyrl' }), 'attribute=sewerage&from=2019-01-01&to=2020-01-01&format=csv&lang=sr-Cyrl');
});

test('values are coloured by rank: worst red, best blue, no rank grey', () => {
  const ranks = [['none'], ['wells'], ['network']];
  assert.equal(rankColour(ranks, 'none'), '#d7191c');
  assert.equal(rankColour(ranks, 'wells'), '#fdae61');
  assert.equal(rankColour(ranks, 'network'), '#2c7bb6');
  assert.equal(rankColour(ranks, 'unknown'), '#9e9e9e');
  assert.equal(rankColour([['yes'], ['no']], 'no'), '#2c7bb6');
  assert.equal(rankColour([['a'], ['b'], ['c'], ['d']], 'c'), '#fdae61');
});
