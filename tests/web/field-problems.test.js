import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../wwwroot/js/i18n.js';
import { checkValue, problemMessages, wordRefusal } from '../../wwwroot/js/field-problems.js';
import { config } from './schema-config.js';

// The problem the API answers to a substandard share of 150 (EditingApi → SettlementEdit.Problem).
const share150 = {
  status: 400,
  errors: { substandard_share_pct: ['substandard_share_pct must be from 0 to 100 %; got 150.'] },
  error_codes: { substandard_share_pct: [{ code: 'range', params: { min: 0, max: 100, unit: '%', got: 150 } }] },
};

test('a range refusal is worded with the field\'s label and the unit in each language', () => {
  assert.deepEqual(problemMessages(share150, config, translator('en')),
    { substandard_share_pct: ['Substandard dwellings must be from 0 to 100\u00a0%; got 150 %.'] });
  assert.deepEqual(problemMessages(share150, config, translator('sr-Latn')),
    { substandard_share_pct: ['Vrednost polja „Podstandardni objekti“ mora biti od 0 do 100\u00a0%; uneto je 150 %.'] });
  assert.deepEqual(problemMessages(share150, config, translator('sr-Cyrl')),
    { substandard_share_pct: ['Вредност поља „Подстандардни објекти“ мора бити од 0 до 100\u00a0%; унето је 150 %.'] });
});

test('numbers follow the page\'s locale; years are written as they are', () => {
  const big = { code: 'range', params: { min: 0, max: 100000, unit: null, got: 250000 } };
  assert.equal(wordRefusal('estimated_inhabitants', big, config, translator('en')),
    'Estimated inhabitants must be from 0 to 100,000; got 250,000.');
  assert.equal(wordRefusal('estimated_inhabitants', big, config, translator('sr-Latn')),
    'Vrednost polja „Procenjen broj stanovnika“ mora biti od 0 do 100.000; uneto je 250.000.');
  const year = { code: 'future_year', params: { got: 2031 } };
  assert.equal(wordRefusal('population_year', year, config, translator('sr-Cyrl')), 'Вредност поља „Година процене“ не може бити у будућности; унето је 2031.');
});

test('list values, the other field of a cross-field rule, texts and fields outside the schema are named in the page\'s language', () => {
  const list = { code: 'not_in_list', params: { list: 'water_supply', allowed: ['unknown', 'network'], got: 'river' } };
  assert.equal(wordRefusal('water_supply', list, config, translator('en')), 'Water supply must be one of: unknown, water network; got “river”.');
  assert.equal(wordRefusal('water_supply', list, config, translator('sr-Latn')), 'Vrednost polja „Snabdevanje vodom“ mora biti jedno od: nepoznato, vodovod; uneto je „river“.');
  const exceeds = { code: 'exceeds_field', params: { got: 20, other: 'estimated_inhabitants', other_value: 10 } };
  assert.match(wordRefusal('substandard_share_pct', exceeds, config, translator('sr-Cyrl')), /већа од вредности поља „Процењен број становника“ \(10\)/);
  assert.equal(wordRefusal('geometry', { code: 'no_area', params: {} }, config, translator('en')), 'The outline encloses no area.');
  const outside = { code: 'outside_municipality', params: { municipality: 'Niš', margin_m: 50 } };
  assert.equal(wordRefusal('geometry', outside, config, translator('sr-Latn')), 'Granica nije unutar opštine Niš (dozvoljeno je odstupanje od oko 50 m).');
});

test('an unknown code, or a problem without codes, keeps the server\'s English message', () => {
  const unknown = { errors: { name_latn: ['name_latn is odd.'] }, error_codes: { name_latn: [{ code: 'something_new', params: {} }] } };
  assert.deepEqual(problemMessages(unknown, config, translator('sr-Cyrl')), { name_latn: ['name_latn is odd.'] });
  assert.deepEqual(problemMessages({ errors: { x: ['X is wrong.'] } }, config, translator('en')), { x: ['X is wrong.'] });
  assert.equal(wordRefusal('x', { code: 'something_new', params: {} }, config, translator('en')), null);
});

test('the form\'s own check builds the server\'s codes, so the wording is the same', () => {
  const share = config.attributes.find((a) => a.name === 'substandard_share_pct');
  const inhabitants = config.attributes.find((a) => a.name === 'estimated_inhabitants');
  assert.deepEqual(checkValue(share, 150), share150.error_codes.substandard_share_pct[0]);
  assert.equal(checkValue(share, 99.5), null);
  assert.equal(checkValue(share, null), null, 'empty is for the server to judge (required or not)');
  assert.equal(checkValue(inhabitants, 1.5).code, 'not_integer');
  assert.equal(checkValue(inhabitants, 'abc').code, 'not_integer');
  assert.equal(wordRefusal('substandard_share_pct', checkValue(share, 150), config, translator('en')),
    problemMessages(share150, config, translator('en')).substandard_share_pct[0]);
});

test('a change\'s date refusals name the field and write their dates in the page\'s locale', () => {
  const before = { code: 'before_current_version', params: { since: '2021-03-15T00:00:00Z' } };
  assert.match(wordRefusal('valid_from', before, config, translator('en')), /^Observed on cannot be before 15 Mar 2021, when the settlement’s current version began/);
  assert.match(wordRefusal('valid_from', before, config, translator('sr-Latn')), /^Vrednost polja „Stanje utvrđeno dana“ ne može biti pre 15\. 3\. 2021\., kada/);
  const early = { code: 'change_too_early', params: { earliest: '1900-01-01' } };
  assert.equal(wordRefusal('describes', early, config, translator('en')), 'Date the data describes cannot be before 1 Jan 1900.');
  assert.equal(wordRefusal('describes', early, config, translator('sr-Latn')), 'Vrednost polja „Datum na koji se podaci odnose“ ne može biti pre 1. 1. 1900.');
  const timed = { code: 'before_current_version', params: { since: '2021-03-15T08:30:00Z' } };
  assert.match(wordRefusal('valid_from', timed, config, translator('en')), /15 Mar 2021, 08:30 UTC/);
  assert.equal(wordRefusal('valid_from', { code: 'future_date', params: {} }, config, translator('en')), 'Observed on cannot be in the future.');
});
