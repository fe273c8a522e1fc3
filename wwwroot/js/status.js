// The status line over the map: what is loading or failed (offline-note.js says when the base map cannot be reached).
import { $ } from './dom.js';
import { store } from './store.js';

/** Shows an i18n key (with parameters) on the status line; null clears it. */
export function setStatus(key, params, error) {
  store.set('status', { key, params: params ?? null, error: Boolean(error) });
}

function renderStatus() {
  const { key, params, error } = store.get('status');
  const node = $('status');
  node.textContent = key ? store.get('i18n').t(key, params) : '';
  node.classList.toggle('error', error);
}

export function wireStatus() {
  for (const key of ['status', 'i18n']) store.subscribe(key, renderStatus);
}
