// Measures on the map (issue 26, item 3): the unplanned filter and the measures layer in the view and the permalink,
// the measure coverage choropleth's classes, the measures layer's classes. Pure modules, no DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeView, defaultView, emptyFilters, encodeView, filtersToQuery, unplannedTarget } from '../../wwwroot/js/state.js';
import { aggregatesFromMeasureCoverage, choroplethClasses, classifyMunicipality, CHOROPLETHS } from '../../wwwroot/js/themes.js';
import { countMeasureClasses, measureClasses, measureColour, STATUS_COLOURS } from '../../wwwroot/js/measure-classes.js';
import { closedLists } from './closed-lists.js';

test('the unplanned filter goes to the API query as attribute:target', () => {
  const filters = { ...emptyFilters(), municipality: 'nis', unplanned: 'water_supply:network' };
  assert.equal(filtersToQuery(filters).toString(), 'municipality=nis&unplanned=water_supply%3Anetwork');
  assert.equal(filtersToQuery(emptyFilters()).toString(), '');
});

test('the unplanned filter and the measures layer survive the permalink', () => {
  const view = { ...defaultView(), measures: 'priority_area', choropleth: 'measure_coverage', filters: { ...emptyFilters(), unplanned: 'sewerage:network' } };
  const hash = encodeView(view);
  assert.equal(hash, 'choropleth=measure_coverage&unplanned=sewerage:network&measures=priority_area');
  const decoded = decodeView(hash, closedLists);
  assert.deepEqual(decoded.dropped, []);
  assert.equal(decoded.view.filters.unplanned, 'sewerage:network');
  assert.equal(decoded.view.measures, 'priority_area');
  assert.equal(decoded.view.choropleth, 'measure_coverage');
  assert.equal(decodeView('', closedLists).view.measures, null);
});

test('a malformed unplanned filter or measures colouring in a link is dropped and listed', () => {
  for (const bad of ['water_supply', 'water_supply:nope', 'water_supply:unknown', 'heating:district', 'water_supply:network:x', 'estimated_inhabitants:0']) {
    const decoded = decodeView('unplanned=' + bad, closedLists);
    assert.equal(decoded.view.filters.unplanned, null, bad);
    assert.deepEqual(decoded.dropped, ['unplanned=' + bad]);
  }
  assert.deepEqual(decodeView('measures=budget', closedLists).dropped, ['measures=budget']);
});

test('unplannedTarget reads a coded attribute and a known value of its list', () => {
  assert.deepEqual(unplannedTarget('water_supply:network', closedLists), { attribute: 'water_supply', target: 'network' });
  assert.deepEqual(unplannedTarget('flood_zone:no', closedLists), { attribute: 'flood_zone', target: 'no' });
  assert.equal(unplannedTarget('flood_zone:network', closedLists), null);
  assert.equal(unplannedTarget(null, closedLists), null);
});

test('the measure coverage choropleth classes a municipality by the share of its settlements a measure names', () => {
  assert.ok(CHOROPLETHS.includes('measure_coverage'));
  const aggregates = aggregatesFromMeasureCoverage([
    { code: 'nis', settlements: 8, settlements_with_measure: 3, measures: { planned: 2, in_progress: 1, done: 1, dropped: 0 } },
    { code: 'none', settlements: 5, settlements_with_measure: 0, measures: { planned: 0, in_progress: 0, done: 0, dropped: 1 } },
    { code: 'all', settlements: 2, settlements_with_measure: 2, measures: { planned: 2, in_progress: 0, done: 0, dropped: 0 } },
    { code: 'empty', settlements: 0, settlements_with_measure: 0, measures: { planned: 0, in_progress: 0, done: 0, dropped: 0 } },
  ]);
  assert.equal(aggregates.get('nis').measureShare, 38);
  assert.equal(classifyMunicipality('measure_coverage', aggregates.get('nis')), 'c2'); // 26–50 %
  assert.equal(classifyMunicipality('measure_coverage', aggregates.get('none')), 'c0'); // 0 %
  assert.equal(classifyMunicipality('measure_coverage', aggregates.get('all')), 'c4'); // 76–100 %
  assert.equal(classifyMunicipality('measure_coverage', aggregates.get('empty')), 'empty');
  assert.equal(classifyMunicipality('measure_coverage', undefined), 'empty');
  assert.deepEqual(choroplethClasses('measure_coverage').map((c) => c.key), ['empty', 'c0', 'c1', 'c2', 'c3', 'c4']);
});

test('the measures layer colours by status or priority area, labelled from the measures lists', () => {
  const vocabulary = {
    lists: {
      measure_status: [{ value: 'planned', label: { en: 'planned', 'sr-Latn': 'planirano' } }, { value: 'done', label: { en: 'done', 'sr-Latn': 'završeno' } }],
      priority_area: [{ value: 'housing', label: { en: 'housing', 'sr-Latn': 'stanovanje' } }],
    },
  };
  const classes = measureClasses('status', vocabulary, 'sr-Latn');
  assert.deepEqual(classes.map((c) => [c.key, c.label]), [['planned', 'planirano'], ['done', 'završeno']]);
  assert.equal(classes[1].colour, STATUS_COLOURS.done);
  assert.equal(measureColour('status', { status: 'done', priority_area: 'housing' }), STATUS_COLOURS.done);
  assert.notEqual(measureColour('priority_area', { status: 'done', priority_area: 'housing' }), STATUS_COLOURS.done);
  assert.deepEqual(countMeasureClasses('status', classes, [{ status: 'done' }, { status: 'done' }, { status: 'planned' }]), { planned: 1, done: 2 });
  assert.deepEqual(measureClasses('priority_area', vocabulary, 'en').map((c) => c.label), ['housing']);
});
