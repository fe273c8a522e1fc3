// The planners' map: settlements and municipalities from the GeoJSON API, drawn by Leaflet
// without needing a base map; thematic styling with a counted legend, combined filters sent to
// the layer API, search in both scripts, a details panel, three languages and a permalink.
// This module starts the page and owns its language; each section is a module of its own around
// the store (store.js): legend.js, filters.js, settlement-layer.js, results.js, details.js,
// editing.js, search.js, permalink.js, coverage.js, freshness.js, status.js, panel.js, print.js, offline-note.js, offline.js, ogc-panel.js,
// change-view.js, as-of.js (the map as of a past day), indicators-chart.js (indicators over time).
// Text from the data is only ever set with textContent, never parsed as HTML.
import { LANGUAGES, noticeFor, pageTranslator, rememberLanguage, translator } from './i18n.js';
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { decodeView } from './state.js';
import { createMap, map } from './map.js';
import { createLegend } from './legend.js';
import { addBaseLayer, createLayers, drawnTileFeatures, idle, layers, loadSettlements, syncLayers, tilesLoading, usesTiles } from './settlement-layer.js';
import { wireFilters } from './filters.js';
import { renderSettlementsShown, wireResults } from './results.js';
import { wireDetails } from './details.js';
import { editingTimeChanged, startEditing } from './editing.js';
import { wireSearch } from './search.js';
import { applyView, wirePermalink } from './permalink.js';
import { load as loadCoverage, wireCoverage } from './coverage.js';
import { loadTotal, wireAsOf } from './as-of.js';
import { wireFreshness } from './freshness.js';
import { setStatus, wireStatus } from './status.js';
import { wirePanel } from './panel.js';
import { createPrintControl } from './print.js';
import { wireOfflineNote } from './offline-note.js';
import { lastTaken, limits as offlineLimits, wireOffline } from './offline.js';
import { wireOgcPanel } from './ogc-panel.js';
import { exposeTestHook } from './test-hook.js';
import { closedLists, missingSchemaLabels } from './schema.js';
import { wireOrientation } from './orientation.js';
import { wireLocate } from './locate.js';
import { wireListView } from './list-view.js';
import { changeShown, wireChangeView } from './change-view.js';
import { wireIndicatorsPanel } from './indicators-chart.js';
import { wireMeasuresLayer } from './measures-layer.js';

// ---------------------------------------------------------------- language

function setLanguage(lang) {
  rememberLanguage(lang);
  applyLanguage(translator(lang));
}

/** The page's own texts ([data-i18n] and friends), then the store's i18n: each section redraws its part. */
function applyLanguage(i18n) {
  const { t } = i18n;
  document.documentElement.lang = i18n.lang;
  document.title = t('app.title') + ' — SettlementMap';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  for (const node of document.querySelectorAll('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle);
  $('panel').setAttribute('aria-label', t('section.filters'));
  $('map').setAttribute('aria-label', t('app.title'));
  const language = $('language');
  language.replaceChildren(...LANGUAGES.map((lang) => el('option', { value: lang, lang }, t('lang.' + lang))));
  language.value = i18n.lang;
  renderNotice(i18n);
  renderSources(i18n);
  store.set('i18n', i18n);
}

function renderNotice(i18n) {
  const config = store.get('config');
  const text = noticeFor(config && config.data_notice, i18n.lang);
  $('data-notice').textContent = text;
}

function renderSources(i18n) {
  const links = {
    geonames: el('a', { href: 'https://www.geonames.org/' }, 'GeoNames'),
    ne: el('a', { href: 'https://www.naturalearthdata.com/' }, 'Natural Earth'),
  };
  const parts = i18n.t('sources').split(/\{(\w+)\}/);
  $('sources').replaceChildren(...parts.map((part, i) => (i % 2 === 1 ? links[part] : document.createTextNode(part))));
}

/** Attributes, closed-list values and groups of the schema without a label in one of the languages (expected: none). */
function missingLabels() {
  return missingSchemaLabels(store.get('config'), LANGUAGES);
}

// ---------------------------------------------------------------- start

async function start() {
  applyLanguage(pageTranslator());
  setStatus('status.loading');
  const config = await getJson('api/config');
  store.set('config', config);
  const decoded = decodeView(location.hash, closedLists(config));
  store.set('view', decoded.view);
  const municipalities = await getJson('api/layers/municipalities?zoom=9');
  store.set('municipalities', municipalities);
  store.set('total', municipalities.features.reduce((sum, f) => sum + f.properties.settlement_count, 0));
  layers.municipalities.addData(municipalities);
  wireOrientation();
  wireLocate();
  // Vector tiles exist for whole zoom levels only: at scale the map snaps to them.
  if (usesTiles()) map.options.zoomSnap = 1;
  addBaseLayer();
  createLegend();
  createPrintControl();
  applyLanguage(store.get('i18n'));
  wireSearch();
  $('language').addEventListener('change', (event) => setLanguage(event.target.value));
  map.on('zoomend', syncLayers);
  wirePermalink();
  await wireChangeView();
  await startEditing();
  await applyView(decoded.view, decoded.dropped);
  return hook.counts;
}

createMap();
createLayers();
wireStatus();
wireFilters();
wireResults();
wireDetails();
wireCoverage();
wireMeasuresLayer();
wireFreshness();
wirePanel();
wireListView();
wireOfflineNote();
wireOffline();
wireOgcPanel();
// Another day: what the map shows of the settlements and the coverage loads again; editing follows.
wireAsOf(async () => {
  editingTimeChanged();
  await Promise.all([loadSettlements(), loadCoverage(), loadTotal()]);
  renderSettlementsShown(); // the count's "of N" is that day's too
});
const indicators = wireIndicatorsPanel(store);

/**
 * The test hook (see test-hook.js): the one global, window.settlementMap, read by the browser tests
 * in tests/SettlementMap.Tests/Browser/. ready settles when the first view is drawn (to its counts).
 */
const hook = exposeTestHook({
  ready: null,
  /** Resolves when the latest settlement load has been drawn. */
  idle,
  /** A copy of the view (filters, theme, layers, selection, map position). */
  get view() { return JSON.parse(JSON.stringify(store.get('view'))); },
  get lang() { return store.get('i18n').lang; },
  get counts() {
    const municipalities = store.get('municipalities');
    return { settlements: store.get('settlements').length, total: store.get('total'), municipalities: municipalities ? municipalities.features.length : 0 };
  },
  /** Attributes, closed-list values and groups of the schema without a label in a language (expected: none). */
  missingLabels,
  /** What the vector tiles have drawn (a canvas has no elements to query): see settlement-layer.js's drawnTileFeatures. */
  drawnTileFeatures,
  /** Whether the vector tiles in view are still being fetched or drawn (a worker's requests escape "network idle"). */
  tilesLoading,
  /** The comparison of two dates drawn (change-view.js): its dates, counts per class, swipe and layers; null when none. */
  changeShown,
  /** Settles when the indicators section has loaded its latest series (indicators-chart.js). */
  get indicatorsLoaded() { return indicators.loading; },
  /** The last offline copy taken in this page: { bytes, tiles, settlements, seconds } (offline.js); null before. */
  get offlineTaken() { return lastTaken; },
  /** The offline copy's size limit in bytes (offline.js): a test lowers it to see the refusal. */
  get offlineLimit() { return offlineLimits.bytes; },
  set offlineLimit(bytes) { offlineLimits.bytes = bytes; },
});

hook.ready = start().catch((error) => {
  setStatus('status.failed', { message: error.message }, true);
  throw error;
});
