import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedProperties, parseFieldValue } from '../../wwwroot/js/edit-values.js';

const fields = [
  { name: 'water_supply', kind: 'enum' },
  { name: 'estimated_inhabitants', kind: 'whole_number' },
  { name: 'substandard_share_pct', kind: 'number' },
  { name: 'population_source', kind: 'text' },
];

test('form text becomes the JSON value of its kind', () => {
  assert.equal(parseFieldValue('whole_number', ' 120 '), 120);
  assert.equal(parseFieldValue('number', '12,5'), 12.5, 'a decimal comma is read too');
  assert.equal(parseFieldValue('number', ''), null, 'an emptied number clears the value');
  assert.equal(parseFieldValue('whole_number', 'abc'), 'abc', 'not a number: sent as text so the server names the mistake');
  assert.equal(parseFieldValue('text', '  Bara '), 'Bara');
  assert.equal(parseFieldValue('text', '   '), null);
  assert.equal(parseFieldValue('enum', 'wells'), 'wells');
});

test('only fields that differ from the settlement are sent', () => {
  const current = { water_supply: 'wells', estimated_inhabitants: 120, substandard_share_pct: 12.5, population_source: null };
  const form = { water_supply: 'none', estimated_inhabitants: 120, substandard_share_pct: 12.5, population_source: null };
  assert.deepEqual(changedProperties(fields, current, form), { water_supply: 'none' });
  assert.deepEqual(changedProperties(fields, current, { ...current }), {});
  assert.deepEqual(changedProperties(fields, current, { population_source: 'survey 2024' }), { population_source: 'survey 2024' });
  assert.deepEqual(changedProperties(fields, current, { estimated_inhabitants: null }), { estimated_inhabitants: null }, 'clearing is a change');
});
