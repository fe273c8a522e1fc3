import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributesByGroup, closedLists, detailsGroups, editableAttributes, editableGroups, formatAttribute, labelIn, labeller,
  missingSchemaLabels, pairScripts, unitText,
} from '../../wwwroot/js/schema.js';
import { LANGUAGES, translator } from '../../wwwroot/js/i18n.js';
import { config } from './schema-config.js';

const names = (groups) => groups.map(({ group, attributes }) => [group, attributes.map((a) => a.name)]);
const attribute = (name) => config.attributes.find((a) => a.name === name);

test('the details panel has the attributes whose outputs include details, by group in the groups\' order', () => {
  assert.deepEqual(names(detailsGroups(config)), [
    ['identity', ['name_latn', 'code', 'decade_founded', 'area_m2']],
    ['population', ['estimated_inhabitants', 'population_year']],
    ['housing', ['substandard_share_pct']],
    ['infrastructure', ['water_supply']],
    ['access', ['distance_to_seat_m']],
    ['risks', ['flood_zone']],
    ['provenance', ['data_collected_on', 'updated_at']],
  ], 'id and version are not details; the legal group has none and is left out');
});

test('the edit form has the editable attributes only, by group', () => {
  assert.deepEqual(names(editableGroups(config)), [
    ['identity', ['name_latn', 'decade_founded']],
    ['population', ['estimated_inhabitants', 'population_year']],
    ['housing', ['substandard_share_pct']],
    ['infrastructure', ['water_supply']],
    ['access', ['distance_to_seat_m']],
    ['risks', ['flood_zone']],
    ['provenance', ['data_collected_on']],
  ]);
  assert.deepEqual(editableAttributes(config).map((a) => a.name),
    ['name_latn', 'decade_founded', 'estimated_inhabitants', 'population_year', 'substandard_share_pct', 'water_supply', 'distance_to_seat_m', 'flood_zone', 'data_collected_on']);
});

test('an attribute of a group the groups list does not name comes after the named groups', () => {
  const extra = { ...config, attributes: [...config.attributes, { name: 'x', type: 'text', group: 'other', outputs: ['details'] }] };
  assert.deepEqual(attributesByGroup(extra, (a) => a.name === 'x' || a.name === 'code').map((g) => g.group), ['identity', 'other']);
});

test('labels of fields, list values and groups in each language, with fallbacks', () => {
  const expected = {
    'sr-Latn': ['Snabdevanje vodom', 'bunari', 'Rizici', 'v'],
    'sr-Cyrl': ['Снабдевање водом', 'бунари', 'Ризици', 'в'],
    en: ['Water supply', 'wells', 'Risks', 'w'],
  };
  for (const [lang, [field, value, group, description]] of Object.entries(expected)) {
    const label = labeller(config, lang);
    assert.equal(label.field('water_supply'), field, lang);
    assert.equal(label.value('water_supply', 'wells'), value, lang);
    assert.equal(label.valueOf('water_supply', 'wells'), value, lang);
    assert.equal(label.group('risks'), group, lang);
    assert.equal(label.description('water_supply'), description, lang);
  }
  const label = labeller(config, 'en');
  assert.equal(label.field('no_such_field'), 'no_such_field');
  assert.equal(label.value('water_supply', 'piped'), 'piped');
  assert.equal(label.valueOf('code', 'BG-01'), 'BG-01', 'a value without a list is itself');
  assert.equal(label.group('nowhere'), 'nowhere');
  assert.equal(labelIn({ en: 'Area' }, 'sr-Cyrl'), 'Area', 'English when the language is missing');
  assert.equal(labelIn(null, 'en'), '');
});

test('closed lists come from the schema\'s lists, in order', () => {
  assert.deepEqual(closedLists(config), { water_supply: ['unknown', 'network', 'wells', 'none'], yes_no: ['unknown', 'yes', 'no'] });
});

test('values are formatted by type and unit in each language', () => {
  const en = translator('en');
  const cyrl = translator('sr-Cyrl');
  const format = (name, value, i18n = en) => formatAttribute(config, attribute(name), value, i18n);
  assert.equal(format('water_supply', 'none'), 'no water supply');
  assert.equal(format('water_supply', 'none', cyrl), 'без воде');
  assert.equal(format('estimated_inhabitants', 12500), '12,500');
  assert.equal(format('population_year', 2021), '2021', 'a year is not grouped');
  assert.equal(format('decade_founded', 1970), '1970s');
  assert.equal(format('distance_to_seat_m', 1500), '1,500 m');
  assert.equal(format('substandard_share_pct', 12.5), '12.5 %');
  assert.equal(format('substandard_share_pct', 12.5, cyrl), '12,5 %');
  assert.equal(format('area_m2', 12345.6), '12,346 m²', 'areas to whole square metres');
  assert.equal(format('data_collected_on', '2024-03-05'), '5 Mar 2024');
  assert.match(format('updated_at', '2024-03-05T10:00:00Z'), /2024/);
  assert.equal(format('code', 'BG-01'), 'BG-01');
  for (const empty of [null, undefined, '']) assert.equal(format('estimated_inhabitants', empty), '—');
});

test('units in form captions', () => {
  const { t } = translator('en');
  assert.equal(unitText('%', t), '%');
  assert.equal(unitText('m', t), 'm');
  assert.equal(unitText('m²', t), 'm²');
  assert.equal(unitText(null, t), '');
  assert.equal(unitText('ha', t), 'ha');
});

test('the fixture has every label in every language; a missing one is named', () => {
  assert.deepEqual(missingSchemaLabels(config, LANGUAGES), []);
  const broken = structuredClone(config);
  delete broken.attributes[1].label['sr-Cyrl'];
  broken.lists.yes_no[1].label.en = ' ';
  delete broken.groups[0].label.en;
  assert.deepEqual(missingSchemaLabels(broken, LANGUAGES), ['sr-Cyrl: name_latn', 'en: yes_no.yes', 'en: group.identity']);
});

test('a name in both scripts with one label is one row of the details; with two labels, two rows', () => {
  const attributes = ['name_latn', 'name_cyrl', 'municipality_name_latn', 'municipality_name_cyrl', 'code', 'district_name_latn'].map((name) => ({ name }));
  const labels = { name_latn: 'Name (Latin)', name_cyrl: 'Name (Cyrillic)', municipality_name_latn: 'Municipality', municipality_name_cyrl: 'Municipality', code: 'Code', district_name_latn: 'District' };
  const rows = pairScripts(attributes, (name) => labels[name]).map((row) => row.map((a) => a.name).join('+'));
  assert.deepEqual(rows, ['name_latn', 'name_cyrl', 'municipality_name_latn+municipality_name_cyrl', 'code', 'district_name_latn']);
});
