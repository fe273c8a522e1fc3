// Print: the current map as one A4 sheet, landscape or portrait, through the browser's own print
// (and its "Save as PDF"): the map with its legend and scale bar, the view in words, the date, the
// demo notice and the sources. print.css lays the sheet out; this module writes the sheet's texts
// from the same state the page shows (the view, filters.js's place names, the schema's labels,
// coverage.js's overlay names) and fits the map to the sheet before printing, back after.
// Why the browser's print and no image library: it prints the map's SVG and tile canvases as they
// are drawn, keeps the Content-Security-Policy (no inline styles, no data: URLs, no third-party
// code) and gives every user a PDF; a PNG library (leaflet-image is unmaintained since 2016,
// html-to-image re-renders the page through SVG foreignObject) would add none of that.
import { $, el } from './dom.js';
import { store } from './store.js';
import { map } from './map.js';
import { LIST_FILTERS, PLACE_FILTERS } from './state.js';
import { placeOptions } from './filters.js';
import { overlayName } from './coverage.js';
import { idle, tilesLoading } from './settlement-layer.js';
import { labeller } from './schema.js';
import { asOfText, today } from './as-of.js';

/** The sheets offered: print.css has a layout (and an @page size) for each. */
export const ORIENTATIONS = ['landscape', 'portrait'];

const root = document.documentElement;
let control = null;
let before = null; // the map's view on screen while it is fitted to the sheet (null: on screen)

/** The settings the map shows, in words of the page's language: one line each. */
export function viewInWords() {
  const i18n = store.get('i18n');
  const { t, number } = i18n;
  const view = store.get('view');
  const label = labeller(store.get('config'), i18n.lang);
  const lines = [];
  const past = asOfText();
  if (past) lines.push(past);
  if (view.layers.settlements) lines.push(t('theme.settlements') + ': ' + label.field(view.theme));
  if (view.layers.municipalities && view.choropleth !== 'none') lines.push(t('theme.municipalities') + ': ' + t('choropleth.' + view.choropleth));

  const filters = view.filters;
  const words = [];
  const places = placeOptions();
  for (const name of PLACE_FILTERS) {
    if (!filters[name]) continue;
    const place = places[name === 'district' ? 'districts' : 'municipalities'].find((p) => p.code === filters[name]);
    words.push(t('filter.' + name) + ': ' + (place ? place.label : filters[name]));
  }
  for (const [name, list] of Object.entries(LIST_FILTERS)) {
    if (filters[name].length) words.push(label.field(name) + ': ' + filters[name].map((v) => label.value(list, v)).join(', '));
  }
  const min = filters.min_inhabitants;
  const max = filters.max_inhabitants;
  if (min !== null || max !== null) {
    words.push(t('filter.population') + ': ' + [min !== null ? t('filter.min') + ' ' + number(min) : '', max !== null ? t('filter.max') + ' ' + number(max) : ''].filter(Boolean).join(' '));
  }
  lines.push(t('section.filters') + ': ' + (words.length ? words.join('; ') : t('print.no_filters')));

  if (view.overlays.length) {
    lines.push(t('layer.overlays') + ': ' + view.overlays.map(overlayName).join('; ') + ' (' + t('coverage.as_of') + ' ' + (view.asOf || today()) + ')');
  }
  return lines;
}

/** The sheet's texts: title, date, the view in words, the sources (the panel's, which the sheet hides). */
function renderSheet() {
  const i18n = store.get('i18n');
  const date = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long' }).format(new Date());
  $('print-title').textContent = i18n.t('app.title') + ' — ' + i18n.t('app.subtitle');
  $('print-date').textContent = i18n.t('print.date', { date });
  $('print-view').replaceChildren(...viewInWords().map((line) => el('li', {}, line)));
  $('print-sources').replaceChildren(...[...$('sources').childNodes].map((node) => node.cloneNode(true)));
}

/** The map fitted to the sheet: print.css gives the map the sheet's size, Leaflet measures it and shows the same area. */
function enterSheet() {
  if (before) return;
  before = { bounds: map.getBounds(), center: map.getCenter(), zoom: map.getZoom() };
  renderSheet();
  root.classList.add('printing');
  fitSheet();
}

/**
 * The map measured again and the screen's area fitted in above the legend (print.css makes it a
 * strip along the bottom), as closely as the zoom allows (whole zooms only for vector tiles).
 */
function fitSheet() {
  map.invalidateSize({ animate: false });
  const legend = document.querySelector('#map .legend');
  const below = legend && !legend.hidden ? legend.offsetHeight : 0;
  const snap = map.options.zoomSnap;
  if (snap < 1) map.options.zoomSnap = 0.1;
  map.fitBounds(before.bounds, { animate: false, paddingTopLeft: [8, 8], paddingBottomRight: [8, below + 16] });
  map.options.zoomSnap = snap;
}

function leaveSheet() {
  if (!before) return;
  const { center, zoom } = before;
  before = null;
  root.classList.remove('printing');
  map.invalidateSize({ animate: false });
  map.setView(center, zoom, { animate: false });
}

function setOrientation(orientation) {
  root.dataset.printOrientation = ORIENTATIONS.includes(orientation) ? orientation : ORIENTATIONS[0];
  if (before) fitSheet();
}

/**
 * The control's button: the sheet first, the settlements drawn (vector tiles are drawn in a worker,
 * after the map has moved: waited for up to 5 s), then the browser's print dialog. Ctrl+P cannot
 * wait: it prints what the tiles have drawn by then.
 */
async function printMap() {
  enterSheet();
  await idle();
  for (let waited = 0; tilesLoading() && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  window.print(); // afterprint brings the map back
}

function renderControl() {
  const { t } = store.get('i18n');
  const select = el('select', { id: 'print-orientation', 'aria-label': t('print.paper') });
  select.append(...ORIENTATIONS.map((o) => el('option', { value: o }, t('print.' + o))));
  select.value = root.dataset.printOrientation;
  select.addEventListener('change', () => setOrientation(select.value));
  const button = el('button', { type: 'button', id: 'print-map' }, t('print.print'));
  button.addEventListener('click', printMap);
  control.getContainer().replaceChildren(select, button);
}

export function createPrintControl() {
  setOrientation(root.dataset.printOrientation);
  control = L.control({ position: 'topright' });
  control.onAdd = () => el('div', { className: 'print-control leaflet-bar', role: 'group' });
  control.addTo(map);
  L.DomEvent.disableClickPropagation(control.getContainer());
  store.subscribe('i18n', renderControl);
  renderControl();
  // Ctrl+P prints the sheet too; print media emulated by a test (or a preview) gets it as well.
  window.addEventListener('beforeprint', enterSheet);
  window.addEventListener('afterprint', leaveSheet);
  window.matchMedia('print').addEventListener('change', (event) => (event.matches ? enterSheet() : leaveSheet()));
}
