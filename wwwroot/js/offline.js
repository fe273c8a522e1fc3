// Installable and offline (issue 25, item 1): registers the service worker (../sw.js), and lets a signed-in
// coordinator take their municipalities offline: /api/config, who is signed in (without the antiforgery
// token), the municipality outlines, their settlements (the layer and each one's details) and the vector
// tiles of zooms 12–17 that hold them, all as the API answers this viewer (so nothing the viewer may not
// see). They go into the Cache Storage under the URLs the page asks for, where the worker finds them offline.
import { $ } from './dom.js';
import { failureText, getBytes } from './api.js';
import { summaryQuery } from './settlement-layer.js';
import { geometryBounds, tilesFor } from './offline-tiles.js';
import { store } from './store.js';

// The same names as sw.js: the copy's cache, and its description (whose, what, when, how large).
const PACKAGE = 'settlementmap-offline';
const COPY_DESCRIPTION = 'offline-copy.json';

/** The stated size limit of a copy; the test hook lowers it to see the refusal. */
export const limits = { bytes: 50 * 1024 * 1024 };

const PARALLEL = 4;
const SAMPLE_TILES = 12;

const t = (key, params) => store.get('i18n').t(key, params);
const absolute = (path) => new URL(path, document.baseURI).href;

/** The last copy taken in this page: { bytes, tiles, settlements, seconds } (the browser test reports them). */
export let lastTaken = null;

// ------------------------------------------------------------ downloading

const wait = (seconds) => new Promise((resolve) => { setTimeout(resolve, seconds * 1000); });

/** One GET as { url, body (ArrayBuffer), type, etag }; a rate limit's 429 (or a 503) is waited out a few times. */
async function download(path) {
  for (let attempt = 0; ; attempt += 1) {
    const result = await getBytes(path);
    if ((result.status === 429 || result.status === 503) && attempt < 5) {
      await wait(result.retryAfter || 1);
      continue;
    }
    if (!result.ok) throw new Error(path + ': ' + failureText({ ...result, json: null }));
    return { url: absolute(path), body: result.body, type: result.type, etag: result.etag };
  }
}

const json = (item) => JSON.parse(new TextDecoder().decode(item.body));

function stored(url, body, type, etag) {
  const headers = { 'Content-Type': type || 'application/json' };
  if (etag) headers.ETag = etag;
  return [url, new Response(body, { headers })];
}

/** Downloads paths PARALLEL at a time, calling onEach(item) as each arrives. */
async function downloadAll(paths, onEach) {
  let next = 0;
  const runner = async () => {
    while (next < paths.length) {
      const path = paths[next];
      next += 1;
      await onEach(await download(path));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, paths.length) }, runner));
}

class TooLarge extends Error {
  constructor(estimate) { super('too large'); this.estimate = estimate; }
}

const megabytes = (bytes) => (bytes / (1024 * 1024)).toFixed(2);

/** Takes the signed-in coordinator's municipalities offline, reporting progress in whole percent. */
async function takeOffline(user, onProgress) {
  const started = performance.now();
  const codes = user.municipalities;
  const entries = [];
  let bytes = 0;
  const keep = (url, body, type, etag) => { bytes += body.byteLength; entries.push(stored(url, body, type, etag)); };

  // At scale (more settlements than config.tile_threshold) the page starts from the summary of the settlements
  // shown, unfiltered, with the legend's classes of the theme of the moment: that one is kept, under its own URL.
  const [config, me, outlines, summary, ...layers] = await Promise.all([
    download('api/config'), download('api/auth/me'), download('api/layers/municipalities?zoom=9'),
    download('api/layers/settlements/summary?' + summaryQuery('')),
    ...codes.map((code) => download('api/layers/settlements?' + new URLSearchParams({ municipality: code }).toString())),
  ]);
  keep(config.url, config.body, config.type, config.etag);
  keep(summary.url, summary.body, summary.type, summary.etag);
  // The antiforgery token belongs to the session, not to the copy: offline there is nothing to send it with.
  const who = { ...json(me), csrf_token: '' };
  keep(me.url, new TextEncoder().encode(JSON.stringify(who)).buffer, me.type, null);
  keep(outlines.url, outlines.body, outlines.type, outlines.etag);
  // The page's unfiltered layer (api/layers/settlements): the municipalities' settlements together.
  const features = layers.flatMap((layer) => json(layer).features);
  const layerBody = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features })).buffer;
  keep(absolute('api/layers/settlements'), layerBody, layers[0]?.type ?? 'application/geo+json', null);

  const tiles = tilesFor(features.map((f) => geometryBounds(f.geometry)));
  const step = Math.max(1, Math.floor(tiles.length / SAMPLE_TILES));
  const sample = tiles.filter((_, i) => i % step === 0).slice(0, SAMPLE_TILES);
  const rest = tiles.filter((tile) => !sample.includes(tile));
  let sampleBytes = 0;
  await downloadAll(sample.map((tile) => 'tiles/settlements/' + tile + '.mvt'), async (item) => {
    sampleBytes += item.body.byteLength;
    keep(item.url, item.body, item.type, item.etag);
  });
  // Before anything is stored: what is in hand, each settlement's details (about its share of the layer) and the tiles at the sample's mean.
  const estimate = bytes + layerBody.byteLength + rest.length * (sample.length ? sampleBytes / sample.length : 0);
  if (estimate > limits.bytes) throw new TooLarge(estimate);

  const paths = [...features.map((f) => 'api/settlements/' + encodeURIComponent(f.properties.id)), ...rest.map((tile) => 'tiles/settlements/' + tile + '.mvt')];
  let done = 0;
  onProgress(0);
  await downloadAll(paths, async (item) => {
    keep(item.url, item.body, item.type, item.etag);
    done += 1;
    onProgress(Math.floor((100 * done) / paths.length));
  });

  await caches.delete(PACKAGE);
  const cache = await caches.open(PACKAGE);
  await Promise.all(entries.map(([url, response]) => cache.put(url, response)));
  const names = json(outlines).features.filter((f) => codes.includes(f.properties.code))
    .map((f) => ({ code: f.properties.code, name_latn: f.properties.name_latn, name_cyrl: f.properties.name_cyrl }));
  const description = { user_name: user.user_name, municipalities: names, taken_at: new Date().toISOString(), bytes, tiles: tiles.length };
  await cache.put(absolute(COPY_DESCRIPTION), new Response(JSON.stringify(description), { headers: { 'Content-Type': 'application/json' } }));
  lastTaken = { bytes, tiles: tiles.length, settlements: features.length, seconds: (performance.now() - started) / 1000 };
  return description;
}

// ------------------------------------------------------------ the panel's section

/** The copy's description, or null when there is none (or the browser keeps no caches). */
async function description() {
  if (!('caches' in window)) return null;
  const answer = await caches.match(absolute(COPY_DESCRIPTION), { cacheName: PACKAGE });
  return answer ? answer.json() : null;
}

async function removeCopy() {
  await caches.delete(PACKAGE);
}

/** "2026-12-04 03:10" in the device's time. */
function takenText(iso) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
}

let busy = false;

function placeNames(list) {
  const { name } = store.get('i18n');
  return list.map((m) => name(m.name_latn, m.name_cyrl)).join(', ');
}

async function render() {
  const section = $('offline-copy');
  const user = store.get('user');
  const copy = await description();
  // A copy is its taker's: once the server (or the copy, offline) says who is signed in, another viewer, or none after signing out, never sees it.
  if (copy && user && (!user.signed_in || user.user_name !== copy.user_name)) {
    await removeCopy();
    return render();
  }
  // A coordinator's own municipalities; an administrator's are the whole country, far past the limit: none.
  const editor = Boolean(user && user.signed_in && user.role !== 'administrator' && user.municipalities && user.municipalities.length && 'caches' in window);
  section.hidden = !editor;
  if (!editor) return undefined;
  $('offline-copy-title').textContent = t('offline.title');
  const mine = (store.get('municipalities')?.features ?? []).filter((f) => user.municipalities.includes(f.properties.code)).map((f) => f.properties);
  const take = $('offline-take');
  take.textContent = t('offline.take', { names: placeNames(mine) });
  take.disabled = busy;
  $('offline-remove').textContent = t('offline.remove');
  $('offline-remove').hidden = !copy || busy;
  $('offline-taken').hidden = !copy;
  $('offline-taken').textContent = copy ? t('offline.taken', { names: placeNames(copy.municipalities), date: takenText(copy.taken_at) }) : '';
  $('offline-progress').setAttribute('aria-label', t('offline.progress'));
  return undefined;
}

function showProgress(percent) {
  const bar = $('offline-progress');
  bar.hidden = percent === null;
  if (percent !== null) {
    bar.value = percent;
    bar.setAttribute('aria-valuenow', String(percent));
  }
}

// The section's last message as a key and its parameters, so a change of language says it again.
let note = null;

function say(key, params, error) {
  note = key ? { key, params, error: Boolean(error) } : null;
  const message = $('offline-message');
  message.textContent = note ? t(note.key, note.params) : '';
  message.classList.toggle('error', Boolean(note && note.error));
}

async function onTake() {
  if (busy) return;
  busy = true;
  say(null);
  await render();
  try {
    showProgress(0);
    await takeOffline(store.get('user'), showProgress);
    say('offline.done', { size: megabytes(lastTaken.bytes), tiles: lastTaken.tiles });
  } catch (error) {
    if (error instanceof TooLarge) say('offline.too_large', { size: megabytes(error.estimate), limit: megabytes(limits.bytes) }, true);
    else say('offline.failed', { message: error.message }, true);
  } finally {
    busy = false;
    showProgress(null);
    await render();
  }
}

async function onRemove() {
  await removeCopy();
  say('offline.removed');
  await render();
  $('offline-take').focus(); // the button that had the focus is gone
}

/** Registers the worker (scope: the page's folder) and wires the section; it shows once the user is known. */
export function wireOffline() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js').catch(() => { /* no worker (e.g. plain HTTP on another host): the page works online */ });
  }
  $('offline-take').addEventListener('click', onTake);
  $('offline-remove').addEventListener('click', onRemove);
  for (const key of ['user', 'i18n', 'municipalities']) store.subscribe(key, () => { render(); });
  store.subscribe('i18n', () => { if (note) say(note.key, note.params, note.error); });
}
