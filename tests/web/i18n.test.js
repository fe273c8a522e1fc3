import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DICTIONARIES, KEEP_LATIN, LANGUAGES, toCyrillic, initialLanguage, translator } from '../../wwwroot/js/i18n.js';

const placeholders = (text) => (text.match(/\{[^}]*\}/g) || []).sort();

test('the three dictionaries have exactly the same keys', () => {
  const english = Object.keys(DICTIONARIES.en).sort();
  for (const lang of ['sr-Latn', 'sr-Cyrl']) assert.deepEqual(Object.keys(DICTIONARIES[lang]).sort(), english, lang);
  assert.deepEqual(Object.keys(DICTIONARIES).sort(), [...LANGUAGES].sort());
});

test('each key has the same {placeholders} in every language', () => {
  for (const [key, text] of Object.entries(DICTIONARIES.en)) {
    for (const lang of ['sr-Latn', 'sr-Cyrl']) {
      assert.deepEqual(placeholders(DICTIONARIES[lang][key]), placeholders(text), `${lang} ${key}`);
    }
  }
});

test('sr-Cyrl texts have no Latin letters outside placeholders, package names, licences and format names', () => {
  const kept = KEEP_LATIN;
  for (const [key, text] of Object.entries(DICTIONARIES['sr-Cyrl'])) {
    if (key.startsWith('lang.')) continue;
    assert.doesNotMatch(text.replace(kept, ''), /\p{Script=Latin}/u, key);
  }
});

test('language names are shown in their own script in every language', () => {
  for (const lang of LANGUAGES) {
    assert.equal(DICTIONARIES[lang]['lang.sr-Latn'], 'Srpski (latinica)', lang);
    assert.equal(DICTIONARIES[lang]['lang.sr-Cyrl'], 'Српски (ћирилица)', lang);
  }
});

test('toCyrillic transliterates letters and digraphs', () => {
  const pairs = {
    Kragujevac: 'Крагујевац', Čukarica: 'Чукарица', Inđija: 'Инђија', Ljubljana: 'Љубљана',
    Njegoš: 'Његош', Džep: 'Џеп', LJUBAV: 'ЉУБАВ',
  };
  for (const [latin, cyrillic] of Object.entries(pairs)) assert.equal(toCyrillic(latin), cyrillic, latin);
});

test('toCyrillic leaves digits and punctuation untouched', () => {
  assert.equal(toCyrillic('12, 3.5 — (7%)!?'), '12, 3.5 — (7%)!?');
  assert.equal(toCyrillic('Niš 2024.'), 'Ниш 2024.');
});

test('toCyrillic keeps acronyms and Roman numerals in Latin letters, as Serbian Cyrillic texts do', () => {
  const pairs = {
    'Livade II': 'Ливаде II', 'Stara mahala XIV': 'Стара махала XIV', 'Bara IX-a': 'Бара IX-а',
    'ROMACTED – Promovisanje': 'ROMACTED – Промовисање', 'UNDP / UNHCR / UNV': 'UNDP / UNHCR / UNV', 'XML i WMS': 'XML и WMS',
    // Domestic acronyms, words in capitals, single letters and a name written in lower case are transliterated.
    'JKP Niš': 'ЈКП Ниш', LJUBAV: 'ЉУБАВ', 'I tako': 'И тако', 'Mala V': 'Мала В', Romacted: 'Ромацтед',
  };
  for (const [latin, cyrillic] of Object.entries(pairs)) assert.equal(toCyrillic(latin), cyrillic, latin);
});

test('initialLanguage prefers a valid remembered language', () => {
  assert.equal(initialLanguage('en', ['sr-RS']), 'en');
  assert.equal(initialLanguage('sr-Latn', ['en-US']), 'sr-Latn');
  assert.equal(initialLanguage('fr', ['sr-RS']), 'sr-Cyrl');
  assert.equal(initialLanguage('', ['sr-Latn-RS']), 'sr-Latn');
});

test('initialLanguage reads the browser languages in order', () => {
  const cases = [
    [['sr-Latn-RS'], 'sr-Latn'], [['sr'], 'sr-Cyrl'], [['sr-RS'], 'sr-Cyrl'],
    [['de-DE', 'en-US'], 'en'], [['de-DE', 'sr'], 'sr-Cyrl'], [[], 'en'], [undefined, 'en'],
  ];
  for (const [browser, expected] of cases) assert.equal(initialLanguage(null, browser), expected, String(browser));
});

test('t substitutes parameters and leaves unknown placeholders as written', () => {
  const { t } = translator('en');
  assert.equal(t('count.shown', { n: 3, total: 10 }), '3 of 10 settlements shown');
  assert.equal(t('count.shown', { n: 3 }), '3 of {total} settlements shown');
  assert.equal(t('count.shown'), '{n} of {total} settlements shown');
});

test('t substitutes Latin parameters unchanged in sr-Cyrl', () => {
  assert.equal(translator('sr-Cyrl').t('layer.base', { name: 'OpenStreetMap' }), 'Подлога (OpenStreetMap)');
});

test('t falls back to the key for an unknown key', () => {
  for (const lang of LANGUAGES) assert.equal(translator(lang).t('no.such.key'), 'no.such.key', lang);
});

test('name picks the script of the page', () => {
  assert.equal(translator('sr-Cyrl').name('Niš', 'Ниш'), 'Ниш');
  assert.equal(translator('en').name('Niš', 'Ниш'), 'Niš');
  assert.equal(translator('sr-Latn').name('Niš', 'Ниш'), 'Niš');
  assert.equal(translator('sr-Cyrl').name('Niš', null), 'Niš');
});
