import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_THEME } from '../../wwwroot/js/themes.js';
import {
  emptyFilters, isFiltered, filtersToQuery, defaultView, encodeView, decodeView,
} from '../../wwwroot/js/state.js';

import { closedLists } from './closed-lists.js';

const filters = (changes) => ({ ...emptyFilters(), ...changes });
const view = (changes) => ({ ...defaultView(), ...changes });
const decode = (hash) => decodeView(hash, closedLists);

function fullView() {
  return view({
    map: { zoom: 12.5, lat: 43.32123, lon: 21.89567 },
    theme: 'distance_to_health_centre_m',
    choropleth: 'share_without_water',
    layers: { base: false, municipalities: true, settlements: true },
    filters: filters({ district: 'RS.SE.20', water_supply: ['wells', 'none'], flood_zone: ['yes'], min_inhabitants: 100, max_inhabitants: 2000 }),
    selected: 469,
  });
}

test('empty filters give no query and are not filtered', () => {
  assert.equal(filtersToQuery(emptyFilters()).toString(), '');
  assert.equal(isFiltered(emptyFilters()), false);
});

test('filled filters give the parameters in a fixed order', () => {
  const query = filtersToQuery(filters({
    max_inhabitants: 2000, min_inhabitants: 0, eviction_threat: ['no'], flood_zone: ['yes'], legal_status: ['in_process'],
    electricity: ['illegal'], sewerage: ['septic', 'none'], water_supply: ['wells'], municipality: '70092', district: 'RS.SE.20',
  }));
  assert.deepEqual([...query], [
    ['district', 'RS.SE.20'], ['municipality', '70092'], ['water_supply', 'wells'], ['sewerage', 'septic,none'],
    ['electricity', 'illegal'], ['legal_status', 'in_process'], ['flood_zone', 'yes'], ['eviction_threat', 'no'],
    ['min_inhabitants', '0'], ['max_inhabitants', '2000'],
  ]);
  assert.equal(isFiltered(filters({ hazard_nearby: ['yes'] })), true);
});

test('the default view encodes to an empty hash', () => {
  assert.equal(encodeView(defaultView()), '');
});

test('a full view survives encode and decode', () => {
  const v = fullView();
  assert.deepEqual(decode('#' + encodeView(v)), { view: v, dropped: [] });
});

test('the encoded hash keeps "/" and "," readable', () => {
  const hash = encodeView(fullView());
  assert.ok(hash.includes('map=12.5/43.32123/21.89567'), hash);
  assert.ok(hash.includes('water_supply=wells,none'), hash);
  assert.doesNotMatch(hash, /%2F|%2C/i);
});

test('decodeView drops and reports bad parts, keeping the default', () => {
  const cases = [
    'theme=nonsense', 'choropleth=x', 'hide=foo', 'min_inhabitants=-5', 'min_inhabitants=1e3',
    'selected=abc', 'map=99/0/0', 'map=1/2',
  ];
  for (const part of cases) {
    assert.deepEqual(decode('#' + part), { view: defaultView(), dropped: [part] }, part);
  }
});

test('decodeView keeps the known values of a list filter and drops the rest', () => {
  assert.deepEqual(decode('water_supply=wells,lake'), {
    view: view({ filters: filters({ water_supply: ['wells'] }) }),
    dropped: ['water_supply=lake'],
  });
});

test('an empty or missing hash gives the default view', () => {
  for (const hash of ['', '#', undefined]) assert.deepEqual(decode(hash), { view: defaultView(), dropped: [] }, String(hash));
});

test('a hostile hash does not throw and is passed through only as text', () => {
  const { view: v, dropped } = decode('#theme=<script>&municipality=%3Cimg%3E');
  assert.equal(v.theme, DEFAULT_THEME);
  assert.deepEqual(dropped, ['theme=<script>']);
  assert.equal(v.filters.municipality, '<img>');
});

test('a map with an empty part is dropped', () => {
  for (const part of ['map=1/2/', 'map=//']) assert.deepEqual(decode(part), { view: defaultView(), dropped: [part] }, part);
});
