import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../wwwroot/js/i18n.js';
import { store } from '../../wwwroot/js/store.js';
import { measureItem } from '../../wwwroot/js/measures.js';

// The least of a DOM that el() needs: elements with attributes, children and text.
function node(tag) {
  return { tag, attributes: {}, children: [], textContent: '', className: '',
    setAttribute(name, value) { this.attributes[name] = value; },
    appendChild(child) { this.children.push(child); return child; },
    append(...children) { this.children.push(...children); } };
}
const texts = (n) => [n.textContent, ...n.children.flatMap(texts)].filter(Boolean);
const label = (latn, en) => ({ 'sr-Latn': latn, 'sr-Cyrl': latn, en });
const vocabulary = { lists: {
  priority_area: [{ value: 'housing', label: label('stanovanje', 'housing') }],
  measure_status: [{ value: 'done', label: label('završeno', 'done') }],
  funding_source: [{ value: 'programme', label: label('program', 'programme') }],
} };
const measure = { id: 7, status: 'done', priority_area: 'housing', title_latn: 'Proširenje vodovodne mreže', title_cyrl: 'x', title_en: 'Water network extension',
  funding_source: 'programme', programme_code: 'ROMACTED', started_on: '2026-03-01', done_on: '2026-10-15', indicators: [] };

test('a measure reads in the page\'s language with its labels from the lists, its status with its day and its programme', () => {
  globalThis.document = { createElement: node };
  const i18n = translator('sr-Latn');
  store.set('i18n', i18n);
  const words = texts(measureItem(measure, vocabulary, i18n)).join(' | ');
  assert.match(words, /Proširenje vodovodne mreže/);
  assert.match(words, /stanovanje/);
  assert.match(words, /završeno \(.*2026.*\)/);
  assert.match(words, /program: ROMACTED/);
  assert.doesNotMatch(words, /Budžet/, 'no budget row when the API leaves the budget out');
  const withBudget = texts(measureItem({ ...measure, budget: { currency: 'RSD', amount: 1200000, spent: null } }, vocabulary, i18n)).join(' | ');
  assert.match(withBudget, /Budžet \| 1\.200\.000 RSD/);
  delete globalThis.document;
});

test('a programme is named in the page\'s language from the lists, never by its code', () => {
  globalThis.document = { createElement: node };
  const i18n = translator('en');
  store.set('i18n', i18n);
  const named = { ...vocabulary, programmes: [{ value: 'ROMACTED', label: { 'sr-Latn': 'ROMACTED program', 'sr-Cyrl': 'ROMACTED програм', en: 'ROMACTED programme' } }] };
  const words = texts(measureItem({ ...measure, programme_code: 'ROMACTED' }, named, i18n)).join(' | ');
  assert.match(words, /programme: ROMACTED programme/);
  delete globalThis.document;
});

test('an indicator kept in Latin script reads in Cyrillic on the Cyrillic page', () => {
  globalThis.document = { createElement: node };
  const i18n = translator('sr-Cyrl');
  store.set('i18n', i18n);
  const words = texts(measureItem({ ...measure, indicators: [{ name: 'Obuhvaćena domaćinstva', unit: 'domaćinstva', target: 10, achieved: 4 }] }, vocabulary, i18n)).join(' | ');
  assert.match(words, /Обухваћена домаћинства/);
  assert.doesNotMatch(words, /Obuhvaćena/);
  delete globalThis.document;
});
