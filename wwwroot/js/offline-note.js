// The note that the base map cannot be reached: one short line in the map's top-right corner that the
// reader can dismiss (remembered for the browser session); the settlements are drawn without it anyway.
import { $, el } from './dom.js';
import { store } from './store.js';
import { map } from './map.js';

const DISMISSED_KEY = 'settlementmap.offlineNoteDismissed';

let control = null;

function dismissed() {
  try { return sessionStorage.getItem(DISMISSED_KEY) === '1'; } catch { return false; }
}

function dismiss() {
  try { sessionStorage.setItem(DISMISSED_KEY, '1'); } catch { /* storage off: dismissed for this page only */ }
  control.remove();
  control = null;
  $('map').focus(); // the button that had the focus is gone
}

function render() {
  const show = store.get('baseUnreachable') && !dismissed();
  if (!show) {
    if (control) { control.remove(); control = null; }
    return;
  }
  const { t } = store.get('i18n');
  if (!control) {
    control = L.control({ position: 'topright' });
    control.onAdd = () => {
      const box = el('div', { id: 'offline-note', className: 'offline-note', role: 'status' });
      box.append(el('span', { className: 'offline-text' }), el('button', { type: 'button', className: 'icon-button offline-dismiss' }, '×'));
      box.lastChild.addEventListener('click', dismiss);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }
  const box = control.getContainer();
  box.firstChild.textContent = t('offline.note');
  box.lastChild.setAttribute('aria-label', t('offline.dismiss'));
  box.lastChild.title = t('offline.dismiss');
}

export function wireOfflineNote() {
  for (const key of ['baseUnreachable', 'i18n']) store.subscribe(key, render);
}
