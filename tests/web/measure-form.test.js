import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../wwwroot/js/i18n.js';
import { changedMeanwhile, measureBody, measureChanges, measureValues, valueText, versionTag } from '../../wwwroot/js/measure-form.js';

// A measure as GET /api/measures/{id} serves it to its municipality's coordinator.
const served = {
  id: 12, action_plan_id: 3, municipality_code: 'NIS', priority_area: 'housing', title_latn: 'Proširenje vodovodne mreže',
  title_cyrl: 'Проширење водоводне мреже', title_en: null, settlement_codes: ['NIS-002', 'NIS-001'], settlements: [],
  target_attribute: 'water_supply', target_value: 'public_network', responsible_body: 'JKP Naissus', funding_source: 'programme',
  programme_code: 'ROMACTED', donor_name: null, budget: { currency: 'RSD', amount: 1200000, spent: null }, status: 'in_progress',
  started_on: '2026-03-01', done_on: null, dropped_on: null, indicators: [{ name: 'Priključena domaćinstva', unit: null, target: 40, achieved: 12 }],
  version: '4711',
};

test('a new measure\'s form values become the create body: texts trimmed, numbers, the programme only with its source, only the status\'s days', () => {
  const values = {
    ...measureValues(null), action_plan_id: '3', priority_area: 'housing', title_latn: '  Proširenje vodovodne mreže ', title_cyrl: '', title_en: 'Water network extension',
    settlement_codes: ['NIS-002', 'NIS-001'], funding_source: 'programme', programme_code: 'ROMACTED', donor_name: 'left over from donor',
    currency: 'RSD', amount: '1200000,5', spent: '', status: 'planned', started_on: '2026-01-01',
    indicators: [{ name: 'Domaćinstva', unit: '', target: '40', achieved: '' }, { name: '', unit: '', target: '', achieved: '' }],
  };
  const body = measureBody(values);
  assert.equal(body.action_plan_id, 3);
  assert.equal(body.title_latn, 'Proširenje vodovodne mreže');
  assert.equal(body.title_cyrl, null, 'an empty Cyrillic title is left to the server, which transliterates');
  assert.deepEqual(body.settlement_codes, ['NIS-001', 'NIS-002']);
  assert.equal(body.programme_code, 'ROMACTED');
  assert.equal(body.donor_name, null, 'no donor with a programme');
  assert.equal(body.started_on, null, 'a planned measure has no start day');
  assert.deepEqual(body.budget, { currency: 'RSD', amount: 1200000.5, spent: null });
  assert.deepEqual(body.indicators, [{ name: 'Domaćinstva', unit: null, target: 40, achieved: null }], 'an empty indicator row is not sent');
  assert.equal(body.target_attribute, null);
  assert.equal(body.target_value, null);

  const done = measureBody({ ...values, status: 'done', started_on: '2026-02-01', done_on: '2026-10-15', dropped_on: '2026-03-03' });
  assert.deepEqual([done.started_on, done.done_on, done.dropped_on], ['2026-02-01', '2026-10-15', null]);
  assert.equal(measureBody({ ...values, amount: 'abc' }).budget.amount, 'abc', 'a typed non-number goes as text: the server names the field');
  assert.equal(measureBody({ ...values, currency: '', amount: '' }).budget, null, 'no amounts: no budget');
  assert.equal('budget' in measureBody(values, { budgets: false }), false, 'a viewer not shown budgets sends none');
  assert.equal(measureBody({ ...values, target_attribute: 'estimated_inhabitants', target_value: '120' }, { targetKind: 'whole_number' }).target_value, 120);
});

test('an edit sends only what changed from the measure as read; an unchanged form sends nothing', () => {
  const base = measureBody(measureValues(served));
  assert.deepEqual(measureChanges(measureBody(measureValues(served)), base), {});
  const values = measureValues(served);
  values.status = 'done';
  values.done_on = '2026-11-02';
  values.indicators[0].achieved = '40';
  values.settlement_codes = ['NIS-001'];
  assert.deepEqual(measureChanges(measureBody(values), base), {
    status: 'done', done_on: '2026-11-02', settlement_codes: ['NIS-001'],
    indicators: [{ name: 'Priključena domaćinstva', unit: null, target: 40, achieved: 40 }],
  });
  const retargeted = measureValues(served);
  retargeted.target_attribute = 'electricity';
  const changes = measureChanges(measureBody(retargeted), base);
  assert.deepEqual(Object.keys(changes).sort(), ['target_attribute', 'target_value'], 'another attribute sends its value with it');
});

test('a measure read without its budget (a viewer below the budgets\' level) never sends one', () => {
  const { budget, ...hidden } = served;
  const options = { budgets: 'budget' in hidden };
  assert.equal(budget.currency, 'RSD');
  const values = measureValues(hidden);
  values.title_en = 'Water network extension';
  assert.deepEqual(measureChanges(measureBody(values, options), measureBody(measureValues(hidden), options)), { title_en: 'Water network extension' });
});

test('after a change made meanwhile, the fields it changed are named, and saving again sends only the person\'s own changes', () => {
  const read = measureBody(measureValues(served));
  const current = measureBody(measureValues({ ...served, responsible_body: 'Grad Niš', status: 'done', done_on: '2026-11-01', version: '4712' }));
  assert.deepEqual(changedMeanwhile(read, current), ['responsible_body', 'status', 'done_on']);
  const mine = measureValues(served);
  mine.title_en = 'Water network extension';
  assert.deepEqual(measureChanges(measureBody(mine), read), { title_en: 'Water network extension' },
    'saving again sends the person\'s own change only: the values changed meanwhile stay');
  assert.equal(versionTag(served), '"4711"');
});

test('values read in the page\'s language: list labels, programme names, amounts, a dash for none', () => {
  const label = (latn, en) => ({ 'sr-Latn': latn, 'sr-Cyrl': latn, en });
  const vocabulary = {
    lists: { measure_status: [{ value: 'done', label: label('završeno', 'done') }] },
    programmes: [{ value: 'ROMACTED', label: label('ROMACTED program', 'ROMACTED programme') }],
    attributes: [{ name: 'water_supply', label: label('Vodosnabdevanje', 'Water supply') }],
  };
  const i18n = translator('sr-Latn');
  assert.equal(valueText('status', 'done', vocabulary, i18n), 'završeno');
  assert.equal(valueText('programme_code', 'ROMACTED', vocabulary, i18n), 'ROMACTED program');
  assert.equal(valueText('target_attribute', 'water_supply', vocabulary, translator('en')), 'Water supply');
  assert.equal(valueText('done_on', null, vocabulary, i18n), '—');
  assert.equal(valueText('done_on', '2026-12-04', vocabulary, translator('en')), '4 December 2026');
  assert.equal(valueText('settlement_codes', ['NIS-001', 'NIS-002'], vocabulary, i18n), 'NIS-001, NIS-002');
  assert.match(valueText('budget', { currency: 'RSD', amount: 1200000, spent: null }, vocabulary, i18n), /^1\.200\.000 \/ — RSD$/);
});
