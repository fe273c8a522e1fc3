import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { conflictingFields, lastChangeOf, memoryStore, newChange, resolveConflict, sync } from '../../wwwroot/js/sync-queue.js';

// A server of one settlement behind a stub of fetch: versions, field values, the keys it has applied, and a switch
// that cuts the connection after the server applied a change (the answer lost) or before it reached it.
let server;
let calls;
const realFetch = globalThis.fetch;

function reply(status, body, etag) {
  const headers = { 'Content-Type': 'application/json' };
  if (etag) headers.ETag = etag;
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
}

beforeEach(() => {
  calls = [];
  server = { version: 1, deleted: false, properties: { name_latn: 'Bara', water_supply: 'wells', households: 40 }, keys: new Map(), audit: 0, cutBefore: new Set(), cutAfter: new Set(), nextId: 100 };
  globalThis.fetch = async (url, init) => {
    const key = init.headers['Idempotency-Key'];
    calls.push({ url, method: init.method, ifMatch: init.headers['If-Match'], key });
    if (server.cutBefore.has(calls.length)) throw new TypeError('Failed to fetch');
    const etag = () => `"${server.version}"`;
    const feature = () => ({ type: 'Feature', id: 7, properties: { ...server.properties } });
    let answer;
    if (key && server.keys.has(key)) {
      answer = server.keys.get(key);
    } else if (init.method === 'POST') {
      const id = server.nextId++;
      server.audit += 1;
      answer = { status: 201, body: { type: 'Feature', id, properties: JSON.parse(init.body).properties }, etag: '"1"' };
      if (key) server.keys.set(key, { ...answer, status: 200 });
    } else if (server.deleted) {
      answer = { status: 412, body: { title: 'The settlement was deleted meanwhile.' } };
    } else if (init.headers['If-Match'] !== etag()) {
      answer = { status: 412, body: { title: 'stale', current: feature() }, etag: etag() };
    } else if (init.method === 'DELETE') {
      server.deleted = true;
      server.audit += 1;
      answer = { status: 204 };
      if (key) server.keys.set(key, answer);
    } else {
      Object.assign(server.properties, JSON.parse(init.body).properties);
      server.version += 1;
      server.audit += 1;
      answer = { status: 200, body: feature(), etag: etag() };
      if (key) server.keys.set(key, answer);
    }
    if (server.cutAfter.has(calls.length)) throw new TypeError('Failed to fetch');
    return reply(answer.status, answer.body, answer.etag);
  };
});
afterEach(() => { globalThis.fetch = realFetch; });

const edit = (properties, base = { ...server.properties }, etag = '"1"') =>
  newChange({ kind: 'update', settlementId: 7, baseEtag: etag, baseProperties: base, properties });

test('a queued edit is sent with its base version and its own key, and leaves the queue once saved', async () => {
  const store = memoryStore();
  const change = edit({ water_supply: 'network' });
  await store.put(change);
  const outcome = await sync(store);
  assert.deepEqual(outcome, { sent: 1, conflicts: 0, refused: 0, stoppedBy: null });
  assert.equal(calls[0].ifMatch, '"1"');
  assert.equal(calls[0].key, change.key);
  assert.match(change.key, /^[0-9a-f-]{36}$/);
  assert.deepEqual(await store.all(), []);
  assert.equal(server.properties.water_supply, 'network');
});

test('an answer lost after the server saved: the change is sent again with its key and saved once', async () => {
  const store = memoryStore();
  await store.put(edit({ water_supply: 'network' }));
  server.cutAfter.add(1);
  assert.equal((await sync(store)).stoppedBy, 'offline');
  assert.equal((await store.all()).length, 1, 'kept while its answer is unknown');
  const again = await sync(store);
  assert.equal(again.sent, 1);
  assert.equal(again.conflicts, 0, 'its own first copy is no conflict');
  assert.equal(server.audit, 1);
  assert.deepEqual(await store.all(), []);
});

test('a colleague changed another field: no conflict, both kept, mine goes again on their version', async () => {
  const store = memoryStore();
  await store.put(edit({ water_supply: 'network' }));
  server.properties.households = 45; // theirs, meanwhile
  server.version = 2;
  const outcome = await sync(store);
  assert.deepEqual(outcome, { sent: 1, conflicts: 0, refused: 0, stoppedBy: null });
  assert.deepEqual(calls.map((c) => c.ifMatch), ['"1"', '"2"']);
  assert.deepEqual(server.properties, { name_latn: 'Bara', water_supply: 'network', households: 45 });
});

test('a colleague changed the same field: a conflict field by field, nothing overwritten either way, until decided', async () => {
  const store = memoryStore();
  await store.put(edit({ water_supply: 'network', households: 42 }));
  server.properties.water_supply = 'none'; // theirs
  server.version = 2;
  const outcome = await sync(store);
  assert.equal(outcome.conflicts, 1);
  assert.equal(server.properties.water_supply, 'none');
  const [waiting] = await store.all();
  assert.equal(waiting.state, 'conflict');
  assert.deepEqual(waiting.conflict.fields, [{ field: 'water_supply', base: 'wells', mine: 'network', theirs: 'none' }]);
  // Not sent again until decided.
  assert.equal((await sync(store)).sent, 0);

  assert.equal(await resolveConflict(store, waiting, { water_supply: 'mine' }), true);
  assert.equal((await sync(store)).sent, 1);
  assert.deepEqual(server.properties, { name_latn: 'Bara', water_supply: 'network', households: 42 });
  assert.equal(calls.at(-1).ifMatch, '"2"', 'the merge goes on their version: a new version after theirs');
});

test('keeping theirs for every conflicting field drops what is left of nothing', async () => {
  const store = memoryStore();
  await store.put(edit({ water_supply: 'network' }));
  server.properties.water_supply = 'none';
  server.version = 2;
  await sync(store);
  const [waiting] = await store.all();
  assert.equal(await resolveConflict(store, waiting, { water_supply: 'theirs' }), false);
  assert.deepEqual(await store.all(), []);
  assert.equal(server.properties.water_supply, 'none');
});

test('edited here, deleted on the server: a conflict, kept', async () => {
  const store = memoryStore();
  await store.put(edit({ water_supply: 'network' }));
  server.deleted = true;
  const outcome = await sync(store);
  assert.equal(outcome.conflicts, 1);
  const [waiting] = await store.all();
  assert.equal(waiting.conflict.deleted, true);
});

test('fifty changes go in the order they were made, each once; a cut halfway keeps the rest', async () => {
  const store = memoryStore();
  const changes = [];
  for (let i = 0; i < 50; i += 1) {
    const change = newChange({ kind: 'create', properties: { name_latn: `Naselje ${i}` }, geometry: { type: 'Polygon', coordinates: [] } });
    changes.push(change);
    await store.put(change);
  }
  server.cutBefore.add(26);
  const progress = [];
  const first = await sync(store, { onProgress: (done, total) => progress.push([done, total]) });
  assert.deepEqual(first, { sent: 25, conflicts: 0, refused: 0, stoppedBy: 'offline' });
  assert.deepEqual(progress.at(-1), [25, 50]);
  assert.equal((await store.all()).length, 25);
  const second = await sync(store);
  assert.equal(second.sent, 25);
  assert.equal(server.audit, 50, 'one saved change each');
  assert.deepEqual(calls.filter((c) => c.method === 'POST').map((c) => c.key).filter((k, i, all) => all.indexOf(k) === i), changes.map((c) => c.key));
});

test('a session expired offline stops the sync and keeps the queue', async () => {
  const store = memoryStore();
  await store.put(edit({ water_supply: 'network' }));
  globalThis.fetch = async () => reply(401, { title: 'Sign in' });
  assert.equal((await sync(store)).stoppedBy, 'signed_out');
  assert.equal((await store.all()).length, 1);
});

test('a change the server refuses (a bad value) is kept with the refusal, never dropped', async () => {
  const store = memoryStore();
  await store.put(edit({ households: -1 }));
  globalThis.fetch = async () => reply(400, { title: 'invalid', errors: { households: ['must be 0 or more'] } });
  assert.equal((await sync(store)).refused, 1);
  const [kept] = await store.all();
  assert.equal(kept.state, 'refused');
  assert.deepEqual(kept.refusal.errors, { households: ['must be 0 or more'] });
});

test('conflicting fields are those set here that the server changed to something else', () => {
  const change = edit({ a: 1, b: 2, c: 3 }, { a: 0, b: 0, c: 0 });
  assert.deepEqual(conflictingFields(change, { a: 0, b: 9, c: 3 }), ['b']);
});

test('who last changed a field comes from the newest history entry that names it', () => {
  const history = [
    { changed_by: 'coord-nis', changed_at: '2026-12-04T10:00:00Z', changes: { households: {} } },
    { changed_by: 'admin', changed_at: '2026-12-03T10:00:00Z', changes: { water_supply: {} } },
  ];
  assert.deepEqual(lastChangeOf(history, 'water_supply'), { changed_by: 'admin', changed_at: '2026-12-03T10:00:00Z' });
  assert.equal(lastChangeOf(history, 'name_latn'), null);
});

test('an outline reshaped here and there is a conflict; reshaped there while only attributes changed here is not', () => {
  const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
  const mine = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [1, 1], [0, 0]]] };
  const theirs = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [1, 1], [0, 0]]] };
  const reshape = newChange({ kind: 'update', settlementId: 7, baseEtag: '"1"', baseProperties: { a: 1 }, baseGeometry: square, geometry: mine });
  assert.deepEqual(conflictingFields(reshape, { a: 1 }, theirs), ['geometry']);
  assert.deepEqual(conflictingFields(reshape, { a: 2 }, square), []);
  assert.deepEqual(conflictingFields(reshape, { a: 1 }, mine), [], 'the same outline is no conflict');
  const attributes = newChange({ kind: 'update', settlementId: 7, baseEtag: '"1"', baseProperties: { a: 1 }, baseGeometry: square, properties: { a: 5 } });
  assert.deepEqual(conflictingFields(attributes, { a: 1 }, theirs), []);
});
