import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../wwwroot/js/i18n.js';
import { districtName, provenanceText, repairReason } from '../../wwwroot/js/data-text.js';

test('provenance the service writes is worded in the page\'s language; other sources stay as written', () => {
  const cases = {
    en: ['demo: synthetic estimate', 'demo data', 'entered on the map by coord-nis', 'imported from naselja.csv'],
    'sr-Latn': ['demo: sintetička procena', 'demo podaci', 'uneto na mapi, korisnik coord-nis', 'uvezeno iz datoteke naselja.csv'],
    'sr-Cyrl': ['демо: синтетичка процена', 'демо подаци', 'унето на мапи, корисник coord-nis', 'увезено из датотеке naselja.csv'],
  };
  for (const [lang, expected] of Object.entries(cases)) {
    const { t } = translator(lang);
    assert.deepEqual(['demo: synthetic estimate', 'demo', 'entered by coord-nis', 'import: naselja.csv'].map((v) => provenanceText(v, t)), expected, lang);
    assert.equal(provenanceText('Popis 2011, RZS', t), 'Popis 2011, RZS', lang);
    assert.notEqual(provenanceText('demo-loader', t), 'demo-loader', lang);
    assert.equal(provenanceText('coord-nis', t), 'coord-nis', lang);
  }
  // The demo's seeded history is dated by synthetic surveys (DemoHistory.SurveyActor).
  assert.equal(provenanceText('demo-survey-2019', translator('en').t), 'synthetic demo survey of 2019');
  assert.equal(provenanceText('demo-survey-2019', translator('sr-Latn').t), 'sintetičko demo istraživanje iz 2019.');
  assert.equal(provenanceText('demo-survey-2019', translator('sr-Cyrl').t), 'синтетичко демо истраживање из 2019.');
});

test('an outline\'s repair reason is worded for people, with where it is, and without ST_ names', () => {
  assert.equal(repairReason('Self-intersection[21.9 43.31]', translator('en')), 'The outline crosses itself, near 43.31, 21.9');
  assert.equal(repairReason('Ring Self-intersection[21.9 43.31]', translator('sr-Latn')), 'Prsten obrisa dodiruje sam sebe, kod tačke 43,31, 21,9');
  assert.equal(repairReason('Too few points in geometry component[21.9 43.31]', translator('sr-Cyrl')), 'Премало тачака да би обрис обухватио површину, код тачке 43,31, 21,9');
  assert.equal(repairReason('Something new', translator('en')), 'The outline was not valid (Something new)');
});

test('a district has one name per language: the same in the filters, coverage, report and details, English included', () => {
  const p = { district_name_latn: 'Nišavski okrug', district_name_cyrl: 'Нишавски округ', district_name_en: 'Nišava' };
  assert.equal(districtName(p, translator('en')), 'Nišavski okrug');
  assert.equal(districtName(p, translator('sr-Latn')), 'Nišavski okrug');
  assert.equal(districtName(p, translator('sr-Cyrl')), 'Нишавски округ');
});
