// The map's layers: the base map, the municipalities (choropleth and tooltips) and the settlements,
// drawn as one GeoJSON layer (outlines from city zoom on, markers below it) or, above
// config.tile_threshold settlements, as vector tiles with the same filters, styles and click-to-select.
import { el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { filtersToQuery } from './state.js';
import { aggregateByMunicipality, aggregatesFromSummary, choroplethClasses, classifyMunicipality, themeBreaks } from './themes.js';
import { MARKER_MAX_ZOOM, map } from './map.js';
import { renderLegend, settlementColour } from './legend.js';
import { setStatus } from './status.js';
import { checkSelectionInFilters, select } from './details.js';
import { markSelectedResult, renderSettlementsShown } from './results.js';
import { SettlementTileLayer } from './tile-layer.js';
import { closedLists } from './schema.js';
import { withAsOf } from './as-of.js';
import { choroplethAggregates, coverageText } from './measures-layer.js';

export const layers = {
  base: null,
  municipalities: null,
  settlements: null,
  markers: null,
  tiles: null, // a SettlementTileLayer when the map draws vector tiles (more settlements than config.tile_threshold)
};

/** Settlement id → { polygon, marker } of the GeoJSON layer (empty when the map draws tiles). */
export const byId = new Map();

let loading = null; // the latest load, settled when drawn (failures swallowed)
let loadController = null;

export function createLayers() {
  layers.municipalities = L.geoJSON(null, { style: municipalityStyle, onEachFeature: bindMunicipality });
  layers.settlements = L.geoJSON(null, { style: settlementStyle, onEachFeature: bindSettlement, pointToLayer: generalisedLayer });
  layers.markers = L.layerGroup();
  store.subscribe('i18n', () => { if (store.get('config')) renderMunicipalityTooltips(); });
}

/** At scale the settlements come as vector tiles. */
export function usesTiles() {
  return store.get('total') > store.get('config').tile_threshold;
}

/** Resolves when the latest settlement load has been drawn. */
export const idle = () => loading || Promise.resolve();

// ------------------------------------------------------------ styles

function settlementStyle(feature) {
  const view = store.get('view');
  const selected = view && feature.properties.id === view.selected;
  return {
    color: selected ? '#000' : '#1d2733', weight: selected ? 3 : 1, fillOpacity: 0.85,
    fillColor: settlementColour(feature.properties), className: 'settlement',
  };
}

function markerStyle(properties) {
  const selected = properties.id === store.get('view').selected;
  return {
    radius: selected ? 7 : 4, color: selected ? '#000' : '#1d2733', weight: selected ? 3 : 1, fillOpacity: 0.9,
    fillColor: settlementColour(properties), className: 'settlement-point',
  };
}

function municipalityStyle(feature) {
  const view = store.get('view');
  const choropleth = view ? view.choropleth : 'none';
  if (choropleth === 'none') {
    return { color: '#55606b', weight: 1, fill: true, fillColor: '#ffffff', fillOpacity: 0.35, className: 'municipality' };
  }
  const key = classifyMunicipality(choropleth, choroplethAggregates(choropleth).get(feature.properties.code));
  const found = choroplethClasses(choropleth).find((c) => c.key === key);
  return { color: '#55606b', weight: 1, fill: true, fillColor: found.colour, fillOpacity: 0.7, className: 'municipality' };
}

/** Colours everything again after the theme, the choropleth, the selection or the settlements changed. */
export function restyle() {
  layers.settlements.setStyle(settlementStyle);
  for (const entry of byId.values()) entry.marker.setStyle(markerStyle(entry.polygon.feature.properties));
  const selected = byId.get(store.get('view').selected);
  if (selected) { selected.polygon.bringToFront(); selected.marker.bringToFront(); }
  layers.municipalities.setStyle(municipalityStyle);
  markSelectedResult();
  renderLegend();
}

/** Settlements stay on top of the coverage colours. */
export function bringSettlementsToFront() {
  if (map.hasLayer(layers.settlements)) layers.settlements.bringToFront();
  if (map.hasLayer(layers.markers)) layers.markers.eachLayer((m) => m.bringToFront());
}

/** The selected settlement drawn as such in the tiles (null: none). */
export function setTileSelection(id) {
  if (layers.tiles) layers.tiles.setSelected(id);
}

// ------------------------------------------------------------ municipalities

// Leaflet parses a string tooltip as HTML: every tooltip gets a Node with the text in it.
function bindMunicipality(feature, layer) {
  layer.bindTooltip(() => el('span', {}, municipalityTooltip(feature.properties)), { sticky: true });
}

function municipalityTooltip(p) {
  const { t, name, number } = store.get('i18n');
  const choropleth = store.get('view').choropleth;
  let text = name(p.name_latn, p.name_cyrl);
  if (choropleth === 'measure_coverage') {
    text += ' — ' + t('choropleth.' + choropleth) + ': ' + coverageText(p.code);
  } else if (choropleth !== 'none') {
    const a = store.get('aggregates').get(p.code);
    const value = !a ? t('choropleth.no_settlements')
      : choropleth === 'settlement_count' ? number(a.settlements)
        : choropleth === 'estimated_inhabitants' ? number(a.inhabitants)
          : t('unit.pct', { value: number(a.shareWithoutWater) });
    text += ' — ' + t('choropleth.' + choropleth) + ': ' + value;
  }
  return text;
}

function renderMunicipalityTooltips() {
  // Tooltip content is a function of the language and the choropleth: rebinding refreshes it.
  layers.municipalities.eachLayer((layer) => { layer.unbindTooltip(); bindMunicipality(layer.feature, layer); });
}

// ------------------------------------------------------------ settlements (GeoJSON)

/**
 * A click on a settlement in the map selects it, except while an outline is being drawn: each
 * vertex is a click, and a settlement under it would open its details over the new one's form.
 */
function selectFromMap(id) {
  if (map.pm && map.pm.globalDrawModeEnabled()) return;
  select(id);
}

function bindSettlement(feature, layer) {
  layer.on('click', () => selectFromMap(feature.properties.id));
  layer.bindTooltip(() => el('span', {}, store.get('i18n').name(feature.properties.name_latn, feature.properties.name_cyrl)), { sticky: true });
}

/**
 * A settlement the public view generalises comes as a Point (its displaced location, not its centre)
 * with estimated_inhabitants_below: drawn as a marker with a dashed ring of the stated radius, so the
 * map does not claim more precision than it has.
 */
function generalisedLayer(feature, latlng) {
  const marker = L.circleMarker(latlng, { radius: 5 });
  const radius = generalisationRadius();
  if (!radius) return marker;
  const ring = L.circle(latlng, { radius, dashArray: '4 4', fill: false, interactive: false, className: 'settlement-generalised' });
  return L.featureGroup([ring, marker]);
}

/** The radius (m) within which a generalised settlement lies, from /api/config (absent: none stated). */
export function generalisationRadius() {
  const generalisation = store.get('config').generalisation;
  return generalisation && generalisation.enabled ? generalisation.radius_m : null;
}

/** The bounds of a settlement Feature; of a Point (a generalised settlement), a box `metres` (at least 1) around it. */
export function featureBounds(feature, metres) {
  const g = feature.geometry;
  return g.type === 'Point' ? L.latLng(g.coordinates[1], g.coordinates[0]).toBounds(2 * Math.max(metres, 1)) : L.geoJSON(feature).getBounds();
}

/** The settlement's drawn layer's bounds: a generalised one's ring. */
export function settlementBounds(layer) {
  return layer.feature.geometry.type === 'Point' ? featureBounds(layer.feature, generalisationRadius() || 0) : layer.getBounds();
}

function drawSettlements(collection) {
  layers.settlements.clearLayers();
  layers.markers.clearLayers();
  byId.clear();
  layers.settlements.addData(collection);
  layers.settlements.eachLayer((polygon) => {
    const p = polygon.feature.properties;
    const marker = L.circleMarker(settlementBounds(polygon).getCenter(), markerStyle(p));
    marker.on('click', () => selectFromMap(p.id));
    marker.bindTooltip(() => el('span', {}, store.get('i18n').name(p.name_latn, p.name_cyrl)));
    marker.addTo(layers.markers);
    byId.set(p.id, { polygon, marker });
  });
}

/** Puts on the map the layers the view and the zoom want, and takes off the others. */
export function syncLayers() {
  const view = store.get('view');
  const want = {
    base: view.layers.base && layers.base,
    municipalities: view.layers.municipalities,
    settlements: view.layers.settlements && map.getZoom() >= MARKER_MAX_ZOOM && !usesTiles(),
    markers: view.layers.settlements && map.getZoom() < MARKER_MAX_ZOOM && !usesTiles(),
    tiles: view.layers.settlements && usesTiles(),
  };
  for (const [name, wanted] of Object.entries(want)) {
    const layer = layers[name];
    if (!layer) continue;
    if (wanted && !map.hasLayer(layer)) layer.addTo(map);
    if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
  }
  if (map.hasLayer(layers.municipalities)) layers.municipalities.bringToBack();
}

export function addBaseLayer() {
  const config = store.get('config').base_layer;
  if (!config) { store.get('view').layers.base = false; return; }
  layers.base = L.tileLayer(config.url_template, { maxZoom: config.max_zoom });
  if (config.attribution) {
    const attribution = L.control({ position: 'bottomright' });
    attribution.onAdd = () => el('div', { className: 'leaflet-control-attribution' }, config.attribution);
    layers.base.on('add', () => attribution.addTo(map)).on('remove', () => attribution.remove());
  }
  let failures = 0;
  layers.base.on('tileerror', () => {
    failures += 1;
    if (failures === 4) store.set('baseUnreachable', true);
  });
}

// ------------------------------------------------------------ settlements (vector tiles)

async function loadTiles(query, signal) {
  const summary = await getJson('api/layers/settlements/summary?' + summaryQuery(query), { signal });
  if (signal.aborted) return;
  store.set('settlements', []);
  store.set('shownSummary', summary);
  store.set('aggregates', aggregatesFromSummary(summary.municipalities));
  store.set('tileQuery', query);
  replaceTileLayer();
}

/** The summary's query: the filters, and the theme whose legend classes the server counts. */
export function summaryQuery(filterQuery) {
  const theme = store.get('view').theme;
  const params = new URLSearchParams(filterQuery);
  params.set('theme', theme);
  const breaks = themeBreaks(theme);
  if (breaks) params.set('breaks', breaks.join(','));
  return params.toString();
}

/** The tile layer when it is on the map, else null. */
function shownTiles() {
  return layers.tiles && map.hasLayer(layers.tiles) ? layers.tiles : null;
}

/**
 * The settlements the tiles of the zoom being shown have drawn, once for each tile a settlement is
 * drawn in: its id, fill and stroke colours, a screen position at its centre (inside: whether that
 * point is on it), the tile ("x:y:z"), its size and the centre in that tile's pixels.
 */
export function drawnTileFeatures() {
  return shownTiles()?.drawnFeatures() ?? [];
}

/** Whether the vector tiles in view are still being fetched or drawn (a worker's requests escape "network idle"). */
export function tilesLoading() {
  return Boolean(shownTiles()?.isLoading());
}

/** A new tile layer for the current filters and theme. */
function replaceTileLayer() {
  if (layers.tiles) map.removeLayer(layers.tiles);
  // Tiles live in the tile pane, under the municipalities; settlements must be above them.
  if (!map.getPane('settlementTiles')) map.createPane('settlementTiles').style.zIndex = 450;
  const query = store.get('tileQuery');
  const view = store.get('view');
  layers.tiles = new SettlementTileLayer({
    url: 'tiles/settlements/{z}/{x}/{y}.mvt' + (query ? '?' + query : ''),
    pane: 'settlementTiles',
    theme: view.theme,
    closedLists: closedLists(store.get('config')),
    ringMetres: generalisationRadius(),
    selected: view.selected,
    onSelect: (id) => selectFromMap(id),
  });
  layers.tiles.on('tileerror', (event) => setStatus('status.failed', { message: event.error.message }, true));
}

// ------------------------------------------------------------ loading

/** Loads the settlements of the view's filters (GeoJSON, or the summary and new tiles at scale) and draws them. */
export function loadSettlements() {
  if (loadController) loadController.abort();
  const controller = new AbortController();
  loadController = controller;
  document.body.dataset.loading = 'true';
  store.set('loading', true);
  setStatus('status.loading');
  const query = withAsOf(filtersToQuery(store.get('view').filters)).toString(); // the tiles and the summary read the same day
  const run = (async () => {
    try {
      if (usesTiles()) {
        await loadTiles(query, controller.signal);
        if (controller.signal.aborted) return;
        drawSettlements({ type: 'FeatureCollection', features: [] });
      } else {
        const collection = await getJson('api/layers/settlements' + (query ? '?' + query : ''), { signal: controller.signal });
        if (controller.signal.aborted) return;
        store.set('settlements', collection.features);
        store.set('shownSummary', null);
        store.set('aggregates', aggregateByMunicipality(collection.features.map((f) => f.properties)));
        drawSettlements(collection);
      }
      syncLayers();
      restyle();
      renderSettlementsShown();
      await checkSelectionInFilters();
      setStatus(null);
    } catch (error) {
      if (controller.signal.aborted) return;
      setStatus('status.failed', { message: error.message }, true);
      throw error;
    } finally {
      if (loadController === controller) { loadController = null; delete document.body.dataset.loading; store.set('loading', false); }
    }
  })();
  loading = run.catch(() => {});
  return run;
}
