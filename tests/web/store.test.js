import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, store } from '../../wwwroot/js/store.js';

test('get reads what set wrote; an unknown key is refused rather than silently added', () => {
  const s = createStore({ lang: 'en', user: null });
  assert.equal(s.get('lang'), 'en');
  s.set('lang', 'sr-Cyrl');
  assert.equal(s.get('lang'), 'sr-Cyrl');
  assert.throws(() => s.set('langauge', 'en'), /Unknown store key langauge/);
  assert.throws(() => s.update('nope', () => 1), /Unknown store key nope/);
});

test('the initial object is copied: changing it later does not change the store', () => {
  const initial = { count: 1 };
  const s = createStore(initial);
  initial.count = 2;
  assert.equal(s.get('count'), 1);
});

test('subscribers of a key hear its changes only; "*" hears every change, with the value and the key', () => {
  const s = createStore({ lang: 'en', user: null });
  const heard = [];
  s.subscribe('lang', (value, key) => heard.push(['lang', key, value]));
  s.subscribe('*', (value, key) => heard.push(['*', key, value]));
  s.set('lang', 'sr-Latn');
  s.set('user', { signed_in: true });
  assert.deepEqual(heard, [['lang', 'lang', 'sr-Latn'], ['*', 'lang', 'sr-Latn'], ['*', 'user', { signed_in: true }]]);
});

test('update changes a value in place or replaces it, and notifies either way', () => {
  const s = createStore({ view: { layers: { base: true } }, n: 1 });
  const views = [];
  s.subscribe('view', (view) => views.push(JSON.stringify(view)));
  const before = s.get('view');
  s.update('view', (v) => { v.layers.base = false; });
  assert.equal(s.get('view'), before, 'changed in place: the same object');
  assert.deepEqual(views, ['{"layers":{"base":false}}']);
  s.update('n', (n) => n + 1);
  assert.equal(s.get('n'), 2);
});

test('set notifies even when the value is the same object', () => {
  const s = createStore({ view: { a: 1 } });
  let calls = 0;
  s.subscribe('view', () => { calls += 1; });
  s.set('view', s.get('view'));
  assert.equal(calls, 1);
});

test('unsubscribing stops the calls; other subscribers still hear', () => {
  const s = createStore({ status: null });
  const a = [];
  const b = [];
  const stopA = s.subscribe('status', (v) => a.push(v));
  s.subscribe('status', (v) => b.push(v));
  s.set('status', 'loading');
  stopA();
  s.set('status', 'done');
  assert.deepEqual(a, ['loading']);
  assert.deepEqual(b, ['loading', 'done']);
});

test('a subscriber that subscribes another while being called does not see it called in the same round', () => {
  const s = createStore({ x: 0 });
  const calls = [];
  s.subscribe('x', () => { calls.push('first'); s.subscribe('x', () => calls.push('late')); });
  s.set('x', 1);
  assert.deepEqual(calls, ['first']);
});

test("the map page's store starts with every key the sections read", () => {
  for (const key of ['i18n', 'config', 'view', 'municipalities', 'total', 'settlements', 'shownSummary', 'tileQuery', 'aggregates',
    'detail', 'detailETag', 'selectedInFilters', 'user', 'status', 'baseUnreachable']) {
    assert.doesNotThrow(() => store.update(key, () => undefined), key);
  }
  assert.deepEqual(store.get('status'), { key: null, params: null, error: false });
});
