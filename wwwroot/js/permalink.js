// The permalink: the view (state.js) in the URL hash, written whenever the store's view changes and
// read back when the hash changes; and the download links, which carry the same filters.
import { $ } from './dom.js';
import { store } from './store.js';
import { decodeView, encodeView } from './state.js';
import { map } from './map.js';
import { loadSettlements, syncLayers } from './settlement-layer.js';
import { renderFilterForm, renderLayerControls, renderThemeControls, zoomToPlace } from './filters.js';
import { load as loadCoverage } from './coverage.js';
import { select } from './details.js';
import { setStatus } from './status.js';
import { closedLists } from './schema.js';
import { areaQuery } from './list-view.js';
import { renderSettlementsShown } from './results.js';
import { fitCountry } from './orientation.js';
import { loadTotal, render as renderAsOf } from './as-of.js';
import { editingTimeChanged } from './editing.js';
import { loadMeasures } from './measures-layer.js';

let writtenHash = null; // the hash this page wrote last: its hashchange is not a link to follow

/** The download links carry the map's filters (the layer's parameters are the export's), and the view's box when the list follows it. */
function renderExportLinks() {
  const filters = areaQuery();
  const link = (format, extra) => {
    const query = new URLSearchParams(filters);
    query.set('format', format);
    for (const [key, value] of Object.entries(extra || {})) if (value) query.set(key, value);
    return 'api/export/settlements?' + query.toString();
  };
  $('export-geojson').href = link('geojson');
  // One CRS for every format that has a choice; the metadata then describes the same coordinates.
  for (const format of ['csv', 'gpkg', 'shapefile', 'metadata']) $('export-' + format).href = link(format, { crs: $('export-crs').value });
  // The same CSV headed by the attributes' names in the page's language, for spreadsheets.
  $('export-csv-labels').href = link('csv', { crs: $('export-crs').value, headers: 'labels', lang: store.get('i18n').lang });
}

export function writeHash() {
  const view = store.get('view');
  if (!view) return;
  renderExportLinks();
  const hash = encodeView(view);
  writtenHash = hash;
  const url = location.pathname + location.search + (hash ? '#' + hash : '');
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
}

function recordMapPosition() {
  const c = map.getCenter();
  store.update('view', (v) => { v.map = { zoom: map.getZoom(), lat: c.lat, lon: c.lng }; });
}

/** Shows a view (from a link): places it names that do not exist are dropped and listed. */
export async function applyView(view, dropped) {
  const features = store.get('municipalities').features;
  const known = new Set(features.map((f) => f.properties.code));
  const districts = new Set(features.map((f) => f.properties.district_code));
  if (view.filters.municipality && !known.has(view.filters.municipality)) { dropped.push('municipality=' + view.filters.municipality); view.filters.municipality = null; }
  if (view.filters.district && !districts.has(view.filters.district)) { dropped.push('district=' + view.filters.district); view.filters.district = null; }
  const zoomToSelection = !view.map; // a link without a position shows its selection
  if (!store.get('config').base_layer) view.layers.base = false;
  store.set('view', view);
  if (view.map) map.setView([view.map.lat, view.map.lon], view.map.zoom, { animate: false });
  else {
    fitCountry();
    zoomToPlace();
  }
  renderLayerControls();
  renderThemeControls();
  renderFilterForm();
  renderAsOf();
  editingTimeChanged();
  syncLayers();
  await Promise.all([loadSettlements(), loadCoverage(), loadTotal(), loadMeasures(true)]);
  renderSettlementsShown(); // the count's "of N" is the day's
  if (view.selected !== null) select(view.selected, { zoom: zoomToSelection });
  else { $('details').hidden = true; store.set('detail', null); }
  if (dropped.length) console.warn('Ignored in the link:', dropped.join(', '));
}

export function wirePermalink() {
  store.subscribe('view', writeHash);
  $('export-crs').addEventListener('change', renderExportLinks);
  store.subscribe('i18n', () => { if (store.get('view')) renderExportLinks(); }); // the headed CSV follows the language
  $('copy-link').addEventListener('click', async () => {
    writeHash();
    try { await navigator.clipboard.writeText(location.href); setStatus('link.copied'); } catch { window.prompt(store.get('i18n').t('link.copy'), location.href); }
    setTimeout(() => { if (store.get('status').key === 'link.copied') setStatus(null); }, 2500);
  });
  map.on('moveend', recordMapPosition);
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#/, '') === writtenHash) return;
    const decoded = decodeView(location.hash, closedLists(store.get('config')));
    applyView(decoded.view, decoded.dropped);
  });
}
