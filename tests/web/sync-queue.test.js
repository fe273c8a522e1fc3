import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { conflictingFields, lastChangeOf, memoryStore, newChange, resolveConflict, resolveDelete, sync } from '../../wwwroot/js/sync-queue.js';

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
  assert.deepEqual(outcome, { sent: 1, conflicts: 0, refused: 0, held: 0, stoppedBy: null });
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
  assert.deepEqual(outcome, { sent: 1, conflicts: 0, refused: 0, held: 0, stoppedBy: null });
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
  assert.deepEqual(first, { sent: 25, conflicts: 0, refused: 0, held: 0, stoppedBy: 'offline' });
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

const removal = (etag = '"1"') => newChange({ kind: 'delete', settlementId: 7, baseEtag: etag, baseProperties: { ...server.properties } });

test('a delete made here of a settlement changed there since waits for a decision; "delete anyway" deletes it once', async () => {
  const store = memoryStore();
  await store.put(removal());
  server.properties.households = 41; // a colleague's edit meanwhile
  server.version = 2;
  assert.equal((await sync(store)).conflicts, 1);
  assert.equal(server.deleted, false, 'nothing deleted unseen');
  const [waiting] = await store.all();
  assert.equal(waiting.state, 'conflict');
  assert.equal(waiting.conflict.deleted, false);
  assert.equal(waiting.conflict.current.households, 41);
  assert.equal(await resolveDelete(store, waiting, true), true);
  assert.equal((await sync(store)).sent, 1);
  assert.equal(server.deleted, true);
  assert.equal(calls.at(-1).ifMatch, '"2"', 'deleted on the version the coordinator saw');
  assert.equal(server.audit, 1);
  assert.deepEqual(await store.all(), []);
});

test('"keep the settlement" drops the delete and sends nothing', async () => {
  const store = memoryStore();
  await store.put(removal());
  server.version = 2;
  await sync(store);
  const [waiting] = await store.all();
  assert.equal(await resolveDelete(store, waiting, false), false);
  const sentBefore = calls.length;
  await sync(store);
  assert.equal(calls.length, sentBefore);
  assert.equal(server.deleted, false);
});

test('a delete of a settlement someone else deleted meanwhile is done, not a conflict', async () => {
  const store = memoryStore();
  await store.put(removal());
  server.deleted = true;
  assert.deepEqual(await sync(store), { sent: 1, conflicts: 0, refused: 0, held: 0, stoppedBy: null });
  assert.deepEqual(await store.all(), []);
});

test('an edit of a settlement deleted on the server is kept as a conflict with what it would set, and can go again', async () => {
  const store = memoryStore();
  await store.put(edit({ water_supply: 'network' }));
  server.deleted = true;
  assert.equal((await sync(store)).conflicts, 1);
  const [kept] = await store.all();
  assert.equal(kept.conflict.deleted, true);
  assert.deepEqual(kept.properties, { water_supply: 'network' });
});

test('an edit dated here ("observed on") is sent with its valid_from', async () => {
  const store = memoryStore();
  let body = null;
  const stub = globalThis.fetch;
  globalThis.fetch = async (url, init) => { body = JSON.parse(init.body); return stub(url, init); };
  await store.put(newChange({ kind: 'update', settlementId: 7, baseEtag: '"1"', baseProperties: { ...server.properties }, properties: { households: 44 }, validFrom: '2026-11-30' }));
  assert.equal((await sync(store)).sent, 1);
  assert.equal(body.valid_from, '2026-11-30');
});

test('who deleted a settlement, and who made the newest change, come from its history', () => {
  const history = [
    { action: 'delete', changed_by: 'admin', changed_at: '2026-12-04T11:00:00Z', changes: {} },
    { action: 'update', changed_by: 'coord-nis', changed_at: '2026-12-04T10:00:00Z', changes: { households: {} } },
  ];
  assert.equal(lastChangeOf(history, 'delete').changed_by, 'admin');
  assert.equal(lastChangeOf(history).changed_by, 'admin');
  assert.equal(lastChangeOf(history.slice(1), 'delete'), null);
});

test('two edits of one settlement made here on the same version go in order, the second on the version the first saved', async () => {
  const store = memoryStore();
  const first = edit({ water_supply: 'network' });
  await store.put(first);
  const second = newChange({
    kind: 'update', settlementId: 7, baseEtag: '"1"', after: first.key,
    baseProperties: { ...first.base.properties, ...first.properties }, properties: { water_supply: 'none' },
  });
  await store.put(second);
  assert.deepEqual(await sync(store), { sent: 2, conflicts: 0, refused: 0, held: 0, stoppedBy: null });
  assert.equal(server.properties.water_supply, 'none');
  assert.deepEqual(calls.map((c) => c.ifMatch), ['"1"', '"2"'], 'no round trip through a 412');
  assert.equal(server.audit, 2);
});

test('an edit made after one that waits for a decision waits too, and goes once that one is saved', async () => {
  const store = memoryStore();
  const first = edit({ water_supply: 'network' });
  await store.put(first);
  await store.put(newChange({
    kind: 'update', settlementId: 7, baseEtag: '"1"', after: first.key,
    baseProperties: { ...first.base.properties, ...first.properties }, properties: { households: 50 },
  }));
  server.properties.water_supply = 'tanker'; // a colleague's value for the same field
  server.version = 2;
  assert.deepEqual(await sync(store), { sent: 0, conflicts: 1, refused: 0, held: 1, stoppedBy: null });
  assert.equal(server.properties.households, 40, 'nothing sent on top of an undecided change');
  const [conflict] = (await store.all()).filter((c) => c.state === 'conflict');
  await resolveConflict(store, conflict, { water_supply: 'mine' });
  assert.deepEqual(await sync(store), { sent: 2, conflicts: 0, refused: 0, held: 0, stoppedBy: null });
  assert.deepEqual([server.properties.water_supply, server.properties.households], ['network', 50]);
  assert.equal(server.audit, 2);
});

test('a change queued after a first try whose answer was lost keeps that try\'s key: saved once', async () => {
  const store = memoryStore();
  const key = globalThis.crypto.randomUUID();
  // The first try, online, reached the server and saved; its answer never came back.
  server.cutAfter.add(1);
  await assert.rejects(fetch('api/settlements/7', { method: 'PATCH', headers: { 'If-Match': '"1"', 'Idempotency-Key': key }, body: JSON.stringify({ properties: { water_supply: 'network' } }) }));
  await store.put(newChange({ kind: 'update', key, settlementId: 7, baseEtag: '"1"', baseProperties: { water_supply: 'wells' }, properties: { water_supply: 'network' } }));
  assert.deepEqual(await sync(store), { sent: 1, conflicts: 0, refused: 0, held: 0, stoppedBy: null });
  assert.equal(server.audit, 1);
});
