// The service worker: the app shell from the network when it answers, else from the last copy; the API
// and the tiles from the network, else from the offline copy a coordinator took (js/offline.js writes it).
// Our own few dozen lines rather than Workbox: the project has no build step to inject Workbox's precache
// manifest, the shell's list comes from the server (api/offline/shell, read from the files themselves),
// and nothing is loaded from elsewhere (the CSP's worker-src and script-src are 'self').

// A new version of this file (a new name here) replaces the old shell cache when it activates.
const SHELL = 'settlementmap-shell-v1';
// Written only by the page's "Take offline" (js/offline.js: the same name), read here.
const PACKAGE = 'settlementmap-offline';
// The copy's description (whose, which municipalities, when): present exactly when a copy is.
const COPY_DESCRIPTION = 'offline-copy.json';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const answer = await fetch('api/offline/shell', { cache: 'no-store' });
    const { files } = await answer.json();
    const cache = await caches.open(SHELL);
    await cache.addAll(files);
    // A page keeps the worker it started with; the new one takes the next load (no clients.claim()).
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('settlementmap-shell-') && name !== SHELL) await caches.delete(name);
    }
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Writes (and HEAD) go to the network untouched: nothing here ever stores or replays them.
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(/^\/(api|tiles|ogc)\//.test(url.pathname) ? data(request, url) : shell(request));
});

/** Network first; a shell file's fresh answer replaces its copy. Only files on the shell's list are stored: they are the same for everyone. */
async function shell(request) {
  const cache = await caches.open(SHELL);
  const key = new URL(request.url);
  key.search = ''; // the page's address keeps its view in the hash, never in the query: one copy of each file
  try {
    const response = await fetch(request);
    if (response.ok && await cache.match(key.href)) await cache.put(key.href, response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(key.href);
    if (copy) return copy;
    throw error;
  }
}

/**
 * Network only while there is one (signed-in answers are never stored here); offline, the offline copy.
 * The copy holds the unfiltered settlement layer and tiles: offline, the filters' queries get those.
 * A tile the copy lacks holds none of the coordinator's settlements: drawn empty rather than as an error.
 */
async function data(request, url) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(PACKAGE);
    const copy = await cache.match(request)
      || (url.pathname === '/api/layers/settlements' || url.pathname.startsWith('/tiles/') ? await cache.match(url.pathname, { ignoreSearch: true }) : undefined);
    if (copy) return copy;
    if (url.pathname.startsWith('/tiles/') && await cache.match(COPY_DESCRIPTION)) {
      return new Response(new ArrayBuffer(0), { headers: { 'Content-Type': 'application/vnd.mapbox-vector-tile' } });
    }
    throw error;
  }
}
