// Whether the list of settlements follows the map view. By default it does not: the count, the list
// and the downloads are the settlements that match the filters, wherever the map is (a planner's
// answer must not change because the map was panned). "Only settlements in the map view" (the
// permalink's in_view=1) narrows all three to the view: the list and count here, the download links
// through areaQuery (the export's bbox is the same box the list was cut with).
import { $ } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { filtersToQuery } from './state.js';
import { map } from './map.js';
import { intersectsBox, viewBox } from './orientation-geometry.js';
import { usesTiles } from './settlement-layer.js';
import { renderSettlementsShown } from './results.js';
import { withAsOf } from './as-of.js';

/** The map view as the box of the list and the links, [west, south, east, north]. */
function currentBox() {
  const b = map.getBounds();
  return viewBox(b.getWest(), b.getSouth(), b.getEast(), b.getNorth());
}

/** Whether the list follows the view and the map has one yet (getBounds throws before the first setView; _loaded is Leaflet's flag for it). */
const inView = () => Boolean(store.get('view') && store.get('view').inView && map && map._loaded);

/** The export's query: the filters, the day the map shows (as_of), and the map view's bbox when the list follows the view. */
export function areaQuery() {
  const query = withAsOf(filtersToQuery(store.get('view').filters));
  if (inView()) query.set('bbox', currentBox().join(','));
  return query;
}

// At scale (vector tiles) the page has no list of the settlements: the server counts those in view.
let viewSummary = { query: null, summary: null };
let summaryController = null;

function requestViewSummary(query) {
  if (summaryController) summaryController.abort();
  const controller = new AbortController();
  summaryController = controller;
  getJson('api/layers/settlements/summary?' + query, { signal: controller.signal }).then((summary) => {
    viewSummary = { query, summary };
    renderSettlementsShown();
  }).catch(() => { /* aborted, or failed: the count keeps the filters' figures */ });
}

/**
 * What the count and the list show: the settlements (all those loaded, or those in the view), the
 * server's figures at scale (summary; null with GeoJSON), and whether they are the view's.
 */
export function listing() {
  const settlements = store.get('settlements');
  const summary = store.get('shownSummary');
  if (!inView()) return { settlements, summary, inView: false };
  const box = currentBox();
  if (!usesTiles()) return { settlements: settlements.filter((f) => intersectsBox(f.geometry, box)), summary: null, inView: true };
  const query = areaQuery().toString();
  if (viewSummary.query === query) return { settlements, summary: viewSummary.summary, inView: true };
  requestViewSummary(query);
  return { settlements, summary, inView: false };
}

/** The count line's first part: "12 of 586 settlements in the map view" or "586 of 586 settlements shown". */
export function countText(i18n, n, matched, inViewOnly) {
  return inViewOnly
    ? i18n.t('count.in_view', { n: i18n.number(n), matched: i18n.number(matched) })
    : i18n.t('count.shown', { n: i18n.number(n), total: i18n.number(store.get('total')) });
}

/** How many settlements match the filters, wherever they are (the "of" of the in-view count). */
export function matchedCount() {
  const summary = store.get('shownSummary');
  return summary ? summary.matched : store.get('settlements').length;
}

export function wireListView() {
  const toggle = $('results-in-view');
  toggle.addEventListener('change', () => {
    store.update('view', (v) => { v.inView = toggle.checked; });
    renderSettlementsShown();
  });
  store.subscribe('view', (view) => { if (view) toggle.checked = Boolean(view.inView); });
  map.on('moveend', () => { if (inView() && store.get('config')) renderSettlementsShown(); });
}
