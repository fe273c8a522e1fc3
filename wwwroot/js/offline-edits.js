// Edits made without a network (issue 25): a save that reaches no server goes into the queue kept on this device
// (sync-queue.js, IndexedDB), the panel says how many changes wait, and when the browser is online again they are
// sent. A change someone else made meanwhile to a field changed here is shown beside this one, with who made it, for
// the coordinator to choose field by field; nothing is overwritten unseen and nothing is dropped unsaid.

import { $, el } from './dom.js';
import { rememberUser, send } from './api.js';
import { store } from './store.js';
import { fieldLabel } from './field-problems.js';
import { labeller } from './schema.js';
import { idbStore, lastChangeOf, memoryStore, newChange, resolveConflict, resolveDelete, sync } from './sync-queue.js';

const t = (key, params) => store.get('i18n').t(key, params);

const queue = globalThis.indexedDB ? idbStore() : memoryStore();
let syncing = false;
let afterSync = async () => {};
let note = '';

/**
 * Queues an edit of the settlement shown (detail, read at etag) that found no network: attributes and/or an outline,
 * with the day it was observed (validFrom) when the form gave one.
 */
export async function queueEdit(detail, etag, properties, geometry = null, validFrom = null, key = undefined) {
  const change = newChange({ kind: 'update', key, settlementId: detail.id, properties, geometry, validFrom, ...await baseOf(detail, etag) });
  await queue.put(change);
  note = '';
  await render();
  // The details show the settlement as it will be (still at the version read): a next edit starts from there.
  return { ...detail, properties: { ...change.base.properties, ...properties }, geometry: geometry ?? change.base.geometry };
}

/** Queues the delete of the settlement shown (read at etag) that found no network. */
export async function queueDelete(detail, etag, key = undefined) {
  await queue.put(newChange({ kind: 'delete', key, settlementId: detail.id, ...await baseOf(detail, etag) }));
  note = '';
  await render();
}

/**
 * What a change of the settlement shown is based on: the version read (etag) or, when this device already holds a
 * change of it made on that version, that change's result: sent after it, on the version it saves (a second edit
 * of the same field here is no conflict with the first).
 */
async function baseOf(detail, etag) {
  const earlier = (await queue.all()).filter((c) => c.kind === 'update' && c.settlementId === detail.id && c.base.etag === etag).at(-1);
  if (!earlier) return { baseEtag: etag, baseProperties: detail.properties, baseGeometry: detail.geometry };
  return {
    baseEtag: etag, after: earlier.key,
    baseProperties: { ...earlier.base.properties, ...earlier.properties }, baseGeometry: earlier.geometry ?? earlier.base.geometry,
  };
}

/** Queues a new settlement drawn without a network. */
export async function queueCreate(properties, geometry, key = undefined) {
  await queue.put(newChange({ kind: 'create', key, properties, geometry }));
  note = '';
  await render();
}

/** Sends what waits, once the browser says it is online; then redraws (afterSync) and shows what is left. */
export async function syncNow() {
  // Asked again while sending (the browser came online meanwhile): once more when this round ends.
  if (syncing) { again = true; return; }
  syncing = true;
  again = false;
  try {
    if (!(await queue.all()).some((c) => c.state === 'waiting')) return;
    // A page loaded from the offline copy holds no antiforgery token (the copy's blanked one): get the session's now.
    const me = await send('GET', 'api/auth/me');
    // No answer, or the offline copy's (its token blanked: the worker answered while the network was not back yet).
    if (me.status === 0 || (me.json && me.json.signed_in && !me.json.csrf_token)) { stillOffline(); return; }
    if (!rememberUser(me.json) || !me.json.signed_in) {
      note = t('offline.signed_out');
      // The session ended meanwhile: the page offers sign-in (once: the user's change calls this again).
      if (store.get('user')?.signed_in) store.set('user', me.json ?? { signed_in: false });
      return;
    }
    const outcome = await sync(queue, { onProgress: (done, total) => { note = t('offline.sending', { done, total }); renderNote(); } });
    if (outcome.stoppedBy === 'signed_out') note = t('offline.signed_out');
    else if (outcome.stoppedBy === 'offline') stillOffline();
    else {
      note = [outcome.sent > 0 ? t('offline.sent', { count: outcome.sent }) : '', outcome.held > 0 ? t('offline.held', { count: outcome.held }) : ''].filter(Boolean).join(' ');
      retryIn = 0;
    }
    if (outcome.sent > 0) await afterSync();
  } finally {
    syncing = false;
    await render();
  }
  if (again) await syncNow();
}

let again = false;

// The browser may say "online" before a request gets through (or a server may be out of reach): tried again
// after 2 s, doubling to 1 min, while the browser says online.
let retryIn = 0;
let retryTimer = null;

function stillOffline() {
  note = t('offline.no_network');
  if (!navigator.onLine || retryTimer) return;
  retryIn = Math.min(Math.max(retryIn * 2, 2000), 60_000);
  retryTimer = setTimeout(() => { retryTimer = null; syncNow(); }, retryIn);
}

/** Wires the queue to the page: sent when the browser comes online, and at start when something waits. */
export async function startOfflineEdits(refresh) {
  afterSync = refresh;
  window.addEventListener('online', () => { syncNow(); });
  store.subscribe('i18n', () => { render(); });
  store.subscribe('user', () => { if (navigator.onLine) syncNow(); else render(); });
  // What waits from an earlier visit (a reload, a closed tab) goes as soon as the page is up.
  if (navigator.onLine && (await queue.all()).some((c) => c.state === 'waiting')) syncNow(); // not awaited: the page need not wait for it
  else await render();
}

function renderNote() {
  const node = $('offline-note-text');
  if (node) node.textContent = note;
}

async function render() {
  const section = $('offline-queue');
  if (!section || !store.get('i18n')) return;
  const changes = await queue.all();
  section.replaceChildren();
  section.hidden = changes.length === 0 && !note;
  const waiting = changes.filter((c) => c.state === 'waiting').length;
  if (waiting > 0) {
    section.appendChild(el('p', { id: 'offline-waiting' }, t('offline.waiting', { count: waiting })));
    const now = el('button', { type: 'button', id: 'offline-send' }, t('offline.send'));
    now.addEventListener('click', () => { syncNow(); });
    section.appendChild(now);
  }
  section.appendChild(el('p', { id: 'offline-note-text', className: 'hint' }, note));
  const decisions = changes.filter((c) => c.state !== 'waiting');
  for (const change of decisions) section.appendChild(await conflictNode(change));
  // A new decision to make is brought into view: the panel may be scrolled to the list.
  // Only the panel scrolls (the section is at its top): scrollIntoView would move the whole page.
  if (decisions.length > shownDecisions) $('panel').scrollTo({ top: 0 });
  shownDecisions = decisions.length;
}

let shownDecisions = 0;

/** A conflict or a refusal: the fields side by side with a choice each, or what the server said. */
async function conflictNode(change) {
  const box = el('fieldset', { className: 'offline-conflict', 'data-change': change.key });
  const base = change.base.properties;
  const name = store.get('i18n').name(base.name_latn, base.name_cyrl) || String(change.settlementId);
  const title = change.state === 'refused' ? 'offline.refused_title'
    : change.conflict.deleted ? 'offline.deleted_title'
      : change.kind === 'delete' ? 'offline.delete_conflict_title' : 'offline.conflict_title';
  box.appendChild(el('legend', {}, t(title, { name })));
  const config = store.get('config');
  if (change.state === 'refused') {
    box.appendChild(el('p', {}, (change.refusal && change.refusal.title) || ''));
    // Kept, and can go again (after a fix on the server, or a refusal that was the session's, not the change's).
    box.appendChild(retryButton(change));
  } else if (change.conflict.deleted) {
    // Only an administrator restores a deleted settlement: the change is kept here, with what it would set, until then.
    const who = changedBy(await historyOf(change), 'delete');
    box.appendChild(el('p', {}, who ? t('offline.deleted_by', who) : t('offline.deleted')));
    box.appendChild(changeList(change));
    box.appendChild(retryButton(change));
  } else if (change.kind === 'delete') {
    // Deleted here, changed there since: the coordinator sees who changed it and decides again.
    const who = changedBy(await historyOf(change), null);
    box.appendChild(el('p', {}, who ? t('offline.changed_since_delete_by', who) : t('offline.changed_since_delete')));
    for (const [className, text, anyway] of [['offline-delete-anyway', t('offline.delete_anyway'), true], ['offline-keep', t('offline.keep'), false]]) {
      const button = el('button', { type: 'button', className }, text);
      button.addEventListener('click', async () => { await resolveDelete(queue, change, anyway); note = ''; await syncNow(); await render(); });
      box.appendChild(button);
    }
    return box;
  } else {
    const history = await historyOf(change);
    const i18n = store.get('i18n');
    const labels = labeller(config, i18n.lang);
    const shown = (field, value) => {
      if (field === 'geometry') return t('offline.outline');
      return value === null || value === undefined || value === '' ? '—' : labels.valueOf(field, value);
    };
    for (const { field, mine, theirs } of change.conflict.fields) {
      const row = el('div', { className: 'offline-field', 'data-field': field });
      row.appendChild(el('p', { className: 'offline-field-name' }, field === 'geometry' ? t('offline.outline_field') : fieldLabel(field, config, store.get('i18n'))));
      const who = changedBy(history, field);
      row.appendChild(choice(change, field, 'mine', t('offline.mine', { value: shown(field, mine) })));
      row.appendChild(choice(change, field, 'theirs', who
        ? t('offline.theirs_by', { value: shown(field, theirs), ...who })
        : t('offline.theirs', { value: shown(field, theirs) })));
      box.appendChild(row);
    }
    const decide = el('button', { type: 'button', className: 'offline-decide' }, t('offline.decide'));
    decide.addEventListener('click', async () => {
      const choices = Object.fromEntries(change.conflict.fields.map(({ field }) =>
        [field, box.querySelector(`input[name="${CSS.escape(change.key + ':' + field)}"]:checked`)?.value ?? 'mine']));
      await resolveConflict(queue, change, choices);
      await syncNow();
    });
    box.appendChild(decide);
    return box;
  }
  const discard = el('button', { type: 'button', className: 'offline-discard' }, t('offline.discard'));
  discard.addEventListener('click', async () => { await queue.remove(change.key); note = ''; await render(); });
  box.appendChild(discard);
  return box;
}

/** The settlement's history, newest first ([] when it cannot be read: the conflict is shown without names). */
async function historyOf(change) {
  const history = await send('GET', `api/settlements/${change.settlementId}/history`);
  return history.ok && Array.isArray(history.json) ? history.json : [];
}

/** Who made the newest change (field null), deleted it ('delete') or changed a field: { user, date } in the page's language, or null. */
function changedBy(history, field) {
  const who = lastChangeOf(history, field);
  return who && { user: who.changed_by, date: new Date(who.changed_at).toLocaleString(store.get('i18n').locale) };
}

/** Sends a refused or undecidable change again as it is (after a fix on the server, or an administrator's restore). */
function retryButton(change) {
  const retry = el('button', { type: 'button', className: 'offline-retry' }, t('offline.retry'));
  retry.addEventListener('click', async () => {
    change.state = 'waiting';
    change.refusal = null;
    change.conflict = null;
    await queue.put(change);
    await syncNow();
  });
  return retry;
}

/** What a waiting change would set, field by field: kept in view so that nothing of it is lost unseen. */
function changeList(change) {
  const config = store.get('config');
  const i18n = store.get('i18n');
  const labels = labeller(config, i18n.lang);
  const list = el('ul', { className: 'offline-change-list' });
  for (const [field, value] of Object.entries(change.properties)) {
    list.appendChild(el('li', {}, `${fieldLabel(field, config, i18n)}: ${value === null || value === '' ? '—' : labels.valueOf(field, value)}`));
  }
  if (change.geometry) list.appendChild(el('li', {}, t('offline.outline_field')));
  return list;
}

function choice(change, field, value, text) {
  const label = el('label', { className: 'offline-choice' });
  label.appendChild(el('input', { type: 'radio', name: change.key + ':' + field, value, checked: value === 'mine' }));
  label.appendChild(document.createTextNode(' ' + text));
  return label;
}
