// "Where am I" (issue 25): the device's position on the map, for a coordinator in the field, and the position a new
// settlement is drawn from (editing.js). Leaflet's map.locate asks the browser's Geolocation API; one reading per
// click rather than a watch, which would keep the GPS on and drain a field phone's battery.
import { el } from './dom.js';
import { map } from './map.js';
import { store } from './store.js';
import { setStatus } from './status.js';

// A reading is waited for at most this long; one younger than MAX_AGE is used again (a field worker clicking twice).
const TIMEOUT_MS = 20_000;
const MAX_AGE_MS = 10_000;
const ZOOM = 17;

let button = null;
let shown = null; // the position drawn: an accuracy circle and a dot
let pending = null;

/**
 * The device's position: { latlng, accuracy } (metres), the map moved to it and drawn. Rejects with the
 * Geolocation error (code 1 denied, 2 unavailable, 3 timeout) after saying it on the status line.
 */
export function locate() {
  if (pending) return pending;
  if (!('geolocation' in navigator)) {
    setStatus('locate.unsupported', null, true);
    return Promise.reject(new Error('unsupported'));
  }
  setStatus('locate.locating');
  pending = new Promise((resolve, reject) => {
    const found = (event) => { map.off('locationerror', failed); draw(event); resolve({ latlng: event.latlng, accuracy: event.accuracy }); };
    const failed = (event) => {
      map.off('locationfound', found);
      setStatus(event.code === 1 ? 'locate.denied' : 'locate.unavailable', null, true);
      reject(event);
    };
    map.once('locationfound', found);
    map.once('locationerror', failed);
    map.locate({ setView: true, maxZoom: ZOOM, timeout: TIMEOUT_MS, maximumAge: MAX_AGE_MS, enableHighAccuracy: true });
  }).finally(() => { pending = null; });
  return pending;
}

function draw({ latlng, accuracy }) {
  if (shown) map.removeLayer(shown);
  shown = L.layerGroup([
    L.circle(latlng, { radius: accuracy, interactive: false, color: '#0b6bcb', weight: 1, fillOpacity: 0.1 }),
    L.circleMarker(latlng, { radius: 6, interactive: false, color: '#fff', weight: 2, fillColor: '#0b6bcb', fillOpacity: 1 }),
  ]).addTo(map);
  setStatus('locate.found', { meters: Math.round(accuracy) });
}

function render() {
  const { t } = store.get('i18n');
  button.title = t('locate.title');
  button.lastChild.textContent = t('locate.button');
}

/** The "Where am I" control under the zoom buttons. */
export function wireLocate() {
  const control = L.control({ position: 'topleft' });
  control.onAdd = () => {
    const box = el('div', { className: 'leaflet-bar leaflet-control-locate' });
    button = el('button', { type: 'button', id: 'locate-me' });
    button.append(el('span', { 'aria-hidden': 'true' }, '◎'), el('span', { className: 'visually-hidden' }));
    button.addEventListener('click', () => { locate().catch(() => {}); }); // the status line says what failed
    box.appendChild(button);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
  store.subscribe('i18n', render);
  if (store.get('i18n')) render();
}
