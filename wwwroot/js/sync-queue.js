// The changes a coordinator makes without a network (issue 25), and their sync. Each change waits with the
// version it was based on (the ETag and the values it read) and a key of its own (Idempotency-Key, made once):
// - sent again after its answer was lost, the server answers it instead of applying it twice;
// - a change whose base is stale is never overwritten and never overwrites. Only the fields it sets that someone
//   else changed meanwhile, to something else, are a conflict for the coordinator to decide, field by field: a
//   colleague's change to another field is no reason to stop, and is kept (the change goes again on the new version).
//   Deleted on the server and edited here (or the other way round) is a conflict too.
// The queue is kept in IndexedDB (idbStore) so it survives a reload and a closed tab; the logic takes any store.

import { send } from './api.js';

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A store of changes in the order they were made: all(), put(change), remove(key). In memory: for tests. */
export function memoryStore() {
  const changes = new Map();
  return {
    async all() { return [...changes.values()].sort((a, b) => a.seq - b.seq); },
    async put(change) { changes.set(change.key, structuredClone(change)); },
    async remove(key) { changes.delete(key); },
  };
}

/**
 * The queue in IndexedDB (database "settlementmap-offline", store "changes" keyed by the change's key): three
 * operations, so the browser's own API rather than a wrapper library.
 */
export function idbStore(indexedDb = globalThis.indexedDB) {
  const opened = new Promise((resolve, reject) => {
    const request = indexedDb.open('settlementmap-offline', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('changes', { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const run = (mode, work) => opened.then((db) => new Promise((resolve, reject) => {
    const transaction = db.transaction('changes', mode);
    const result = work(transaction.objectStore('changes'));
    transaction.oncomplete = () => resolve(result.result);
    transaction.onerror = () => reject(transaction.error);
  }));
  return {
    async all() { return (await run('readonly', (s) => s.getAll())).sort((a, b) => a.seq - b.seq); },
    put: (change) => run('readwrite', (s) => s.put(change)),
    remove: (key) => run('readwrite', (s) => s.delete(key)),
  };
}

let lastSeq = 0;

/**
 * A change to queue. kind: 'update' (properties and/or geometry of settlementId, read at baseEtag with
 * baseProperties), 'create' (a new settlement) or 'delete'. after: the key of a change of the same settlement made
 * on this device before it, on the same version; this one is sent on the version that one saves. key: the
 * Idempotency-Key a first try (online) already carried, if any.
 */
export function newChange({ kind, key = globalThis.crypto.randomUUID(), settlementId = null, baseEtag = null, baseProperties = {}, baseGeometry = null, after = null, properties = {}, geometry = null, validFrom = null, now = Date.now() }) {
  lastSeq = Math.max(lastSeq + 1, now * 1000);
  return {
    key, seq: lastSeq, kind, settlementId,
    base: { etag: baseEtag, properties: baseProperties, geometry: baseGeometry, ...(after ? { after } : {}) }, properties, geometry, validFrom, state: 'waiting', conflict: null, refusal: null,
  };
}

/**
 * The fields this change sets that the server changed since the change's base, to another value than this change's;
 * 'geometry' when it reshapes an outline the server has reshaped otherwise.
 */
export function conflictingFields(change, serverProperties, serverGeometry = null) {
  const fields = Object.keys(change.properties).filter((field) =>
    !same(serverProperties[field], change.base.properties[field]) && !same(serverProperties[field], change.properties[field]));
  if (change.geometry && !same(serverGeometry, change.base.geometry) && !same(serverGeometry, change.geometry)) fields.push('geometry');
  return fields;
}

const valueOf = (feature, field) => (field === 'geometry' ? feature.geometry : feature.properties[field]);

/**
 * Who last changed a field, from a settlement's history (newest first): { changed_by, changed_at } or null. With no
 * field: who made the newest change; with field 'delete': who deleted it.
 */
export function lastChangeOf(history, field = null) {
  const entry = history.find((e) => (field === null ? true
    : field === 'delete' ? e.action === 'delete'
      : e.changes && Object.prototype.hasOwnProperty.call(e.changes, field)));
  return entry ? { changed_by: entry.changed_by, changed_at: entry.changed_at } : null;
}

function request(change) {
  const options = { key: change.key, etag: change.base.etag };
  if (change.kind === 'create') return send('POST', 'api/settlements', { type: 'Feature', properties: change.properties, geometry: change.geometry }, options);
  const url = `api/settlements/${change.settlementId}`;
  if (change.kind === 'delete') return send('DELETE', url, undefined, options);
  const body = { properties: change.properties };
  if (change.geometry) body.geometry = change.geometry;
  if (change.validFrom) body.valid_from = change.validFrom; // the day it was observed, as the form's "Observed on" says
  return send('PATCH', url, body, options);
}

/**
 * Sends the waiting changes in order. Resolves { sent, conflicts, refused, held, stoppedBy }: held counts the changes
 * left waiting behind an earlier change of the same settlement that is not saved yet; stoppedBy is 'offline'
 * (no answer: the rest wait), 'signed_out' (the session expired: sign in, the queue is kept) or null. Nothing is
 * dropped but what the server has saved.
 */
export async function sync(store, { onProgress = () => {} } = {}) {
  const all = await store.all();
  const waiting = all.filter((c) => c.state === 'waiting');
  const kept = new Set(all.map((c) => c.key));
  const saved = new Map(); // a change's key → the ETag of the version it saved: the base of the change made after it
  const outcome = { sent: 0, conflicts: 0, refused: 0, held: 0, stoppedBy: null };
  for (const [index, change] of waiting.entries()) {
    if (change.base.after) {
      if (saved.has(change.base.after)) {
        change.base.etag = saved.get(change.base.after);
        delete change.base.after;
        await store.put(change);
      } else if (kept.has(change.base.after)) {
        // The change it was made on top of is not saved yet (it waits for a decision): this one waits for it.
        outcome.held += 1;
        onProgress(index + 1, waiting.length);
        continue;
      } // else that change was dropped: this one goes on its base, and a 412 rebases it or shows the conflict
    }
    let result = await request(change);
    if (result.status === 412 && result.json && result.json.current && change.kind === 'update') {
      const current = result.json.current;
      const fields = conflictingFields(change, current.properties, current.geometry);
      if (fields.length === 0) {
        // Someone changed other fields: this change goes again on their version, and both are kept.
        change.base = { etag: result.etag, properties: current.properties, geometry: current.geometry };
        await store.put(change);
        result = await request(change);
      } else {
        change.state = 'conflict';
        change.conflict = {
          etag: result.etag,
          current: current.properties,
          currentGeometry: current.geometry,
          fields: fields.map((field) => ({
            field, base: field === 'geometry' ? change.base.geometry : change.base.properties[field],
            mine: field === 'geometry' ? change.geometry : change.properties[field], theirs: valueOf(current, field),
          })),
        };
        await store.put(change);
        outcome.conflicts += 1;
        onProgress(index + 1, waiting.length);
        continue;
      }
    }
    if (result.status === 0) { outcome.stoppedBy = 'offline'; break; }
    if (result.status === 401) { outcome.stoppedBy = 'signed_out'; break; }
    // A delete of a settlement someone else deleted meanwhile: what it asked for is done.
    const alreadyDeleted = change.kind === 'delete' && (result.status === 404 || result.status === 410 || (result.status === 412 && !result.json?.current));
    if (result.ok || alreadyDeleted) {
      await store.remove(change.key);
      kept.delete(change.key);
      if (result.etag) saved.set(change.key, result.etag);
      outcome.sent += 1;
    } else if (result.status === 412 || result.status === 404 || result.status === 410) {
      // Deleted on the server and changed here, or deleted here and changed there: the coordinator decides.
      change.state = 'conflict';
      const current = result.json && result.json.current;
      change.conflict = {
        deleted: !current, etag: result.etag, current: current ? current.properties : null, currentGeometry: current ? current.geometry : null, fields: [],
      };
      await store.put(change);
      outcome.conflicts += 1;
    } else {
      change.state = 'refused';
      change.refusal = result.json;
      await store.put(change);
      outcome.refused += 1;
    }
    onProgress(index + 1, waiting.length);
  }
  return outcome;
}

/**
 * The decision on a delete made here of a settlement changed on the server since: deleted anyway (on the version
 * now on the server, which the coordinator has seen) or kept (the delete is dropped).
 */
export async function resolveDelete(store, change, deleteAnyway) {
  if (!deleteAnyway) { await store.remove(change.key); return false; }
  change.base = { etag: change.conflict.etag, properties: change.conflict.current, geometry: change.conflict.currentGeometry };
  change.state = 'waiting';
  change.conflict = null;
  await store.put(change);
  return true;
}

/**
 * The coordinator's decision on a conflict, field by field ('mine' or 'theirs'): the fields kept as mine go
 * again on the server's current version (a new version; the history shows both), the others are dropped.
 * Resolves false when nothing of this change is left to send (it is removed).
 */
export async function resolveConflict(store, change, choices) {
  const kept = Object.fromEntries(Object.entries(change.properties).filter(([field]) =>
    choices[field] !== 'theirs' && !same(change.properties[field], change.conflict.current?.[field])));
  const geometry = change.geometry && choices.geometry !== 'theirs' && !same(change.geometry, change.conflict.currentGeometry) ? change.geometry : null;
  if (Object.keys(kept).length === 0 && !geometry) {
    await store.remove(change.key);
    return false;
  }
  change.base = { etag: change.conflict.etag, properties: change.conflict.current, geometry: change.conflict.currentGeometry };
  change.properties = kept;
  change.geometry = geometry;
  change.state = 'waiting';
  change.conflict = null;
  await store.put(change);
  return true;
}
