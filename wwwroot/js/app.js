// The planners' map: settlements and municipalities from the GeoJSON API, drawn by Leaflet
// without needing a base map; thematic styling with a counted legend, combined filters sent to
// the layer API, search in both scripts, a details panel, three languages and a permalink.
// Text from the data is only ever set with textContent, never parsed as HTML.
import { LANGUAGES, noticeFor, pageTranslator, rememberLanguage, translator } from './i18n.js';
import {
  CHOROPLETHS, SETTLEMENT_THEMES, aggregateByMunicipality, aggregatesFromSummary, choroplethClasses, classColour,
  classifyMunicipality, countByClass, themeBreaks, themeClasses,
} from './themes.js';
import { LAYERS, LIST_FILTERS, decodeView, emptyFilters, encodeView, filtersToQuery } from './state.js';
import { createEditing } from './editing.js';
import { createCoverage } from './coverage.js';
import { $, el } from './dom.js';
import { SettlementTileLayer } from './tile-layer.js';

const MARKER_MAX_ZOOM = 12; // below it a settlement (a few hundred metres) is a speck: a marker stands in
const RESULT_LIST_LIMIT = 200;

const DETAIL_GROUPS = [
  ['group.identity', [['name_latn', 'text'], ['name_cyrl', 'text'], ['code', 'text'], ['municipality', 'place'], ['district', 'place'],
    ['settlement_type', 'list'], ['location_class', 'list'], ['decade_founded', 'decade'], ['area_m2', 'm2']]],
  ['group.population', [['estimated_inhabitants', 'number'], ['households', 'number'], ['population_year', 'year'], ['population_source', 'text']]],
  ['group.housing', [['dwelling_count', 'number'], ['main_building_material', 'list'], ['substandard_share_pct', 'pct'], ['overcrowding', 'list']]],
  ['group.legal', [['legal_status', 'list'], ['planning_document', 'list']]],
  ['group.infrastructure', [['water_supply', 'list'], ['sewerage', 'list'], ['electricity', 'list'], ['heating', 'list'],
    ['paved_access_road', 'list'], ['street_network', 'list'], ['waste_collection', 'list'], ['street_lighting', 'list']]],
  ['group.access', [['distance_to_seat_m', 'm'], ['distance_to_primary_school_m', 'm'], ['distance_to_preschool_m', 'm'],
    ['distance_to_health_centre_m', 'm'], ['distance_to_social_work_centre_m', 'm'], ['distance_to_transport_stop_m', 'm'],
    ['distance_to_pharmacy_m', 'm']]],
  ['group.risks', [['flood_zone', 'list'], ['hazard_nearby', 'list'], ['eviction_threat', 'list']]],
  ['group.provenance', [['source', 'text'], ['data_collected_on', 'date'], ['updated_at', 'datetime'], ['updated_by', 'text']]],
];



async function getJson(url, signal) {
  const response = await fetch(url, { headers: { Accept: 'application/geo+json, application/json' }, signal });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      const fieldErrors = problem.errors ? Object.values(problem.errors).flat().join(' ') : '';
      detail = [problem.title, fieldErrors].filter(Boolean).join(' ') || detail;
    } catch { /* not JSON */ }
    throw new Error(response.status + ' ' + detail);
  }
  return response.json();
}

const state = {
  i18n: pageTranslator(),
  config: null,
  view: null,
  municipalities: null, // FeatureCollection, unfiltered
  settlements: [], // features shown (filtered)
  shownSummary: null, // at scale (tiles): the server's figures of the filtered settlements (totals, municipalities, legend classes)
  selectedInFilters: null, // at scale: whether the selected settlement passes the filters (null: not known)
  aggregates: new Map(), // municipality code → figures of the settlements shown (themes.aggregateByMunicipality)
  total: 0,
  detail: null, // the selected settlement's Feature from /api/settlements/{id}
  detailETag: null, // its version, sent back as If-Match by an edit
  user: null, // /api/auth/me: who is signed in, where they may edit, the antiforgery token
  writtenHash: null,
  status: { key: null, params: null, error: false },
  baseUnreachable: false, // shown whenever nothing more urgent is
};

// Leaflet's own attribution control writes its text as HTML: the base map's is shown by addBaseLayer, as text.
const map = L.map('map', { zoomSnap: 0.5, attributionControl: false });
const layers = {
  base: null,
  municipalities: L.geoJSON(null, { style: municipalityStyle, onEachFeature: bindMunicipality }),
  settlements: L.geoJSON(null, { style: settlementStyle, onEachFeature: bindSettlement }),
  markers: L.layerGroup(),
  tiles: null, // a SettlementTileLayer when the map draws vector tiles (more settlements than config.tile_threshold)
};
const byId = new Map(); // settlement id → { polygon, marker }
const editing = createEditing({
  map, state, el, $, byId, polygonZoom: MARKER_MAX_ZOOM,
  renderDetails: () => renderDetails(),
  loadSettlements: () => loadSettlements(),
  closeDetails: () => closeDetails(),
  setStatus: (key, params, error) => setStatus(key, params, error),
  select: (id) => select(id, { zoom: true }),
  zoomBesideDetails: (bounds, minZoom) => zoomBesideDetails(bounds, minZoom),
  accountChanged: () => coverage.render(),
});
const coverage = createCoverage({
  map, state, el, $, getJson,
  setStatus: (key, params, error) => setStatus(key, params, error),
  renderLegend: () => renderLegend(),
  writeHash: () => writeHash(),
  legendBlock: (title, classes, counts, kind) => legendBlock(title, classes, counts, kind),
  formatRange: (range, unit) => formatRange(range, unit),
  bringSettlementsToFront: () => { if (map.hasLayer(layers.settlements)) layers.settlements.bringToFront(); if (map.hasLayer(layers.markers)) layers.markers.eachLayer((m) => m.bringToFront()); },
});
let legend = null;
let loading = null;
let loadController = null;

const api = {
  ready: null,
  /** Resolves when the latest settlement load has been drawn. */
  idle: () => loading || Promise.resolve(),
  get view() { return JSON.parse(JSON.stringify(state.view)); },
  get lang() { return state.i18n.lang; },
  get counts() { return { settlements: state.settlements.length, total: state.total, municipalities: state.municipalities ? state.municipalities.features.length : 0 }; },
  /** Closed-list values and fields the page has no label for, in any language (expected: none). */
  missingLabels,
  /** What the vector tiles have drawn (a canvas has no elements to query): see drawnTileFeatures. */
  drawnTileFeatures: () => drawnTileFeatures(),
  /** Whether the vector tiles in view are still being fetched or drawn (a worker's requests escape "network idle"). */
  tilesLoading: () => Boolean(shownTiles()?.isLoading()),
};
window.settlementMap = api;

// ---------------------------------------------------------------- language

function setLanguage(lang) {
  state.i18n = translator(lang);
  rememberLanguage(lang);
  applyLanguage();
}

function applyLanguage() {
  const { t } = state.i18n;
  document.documentElement.lang = state.i18n.lang;
  document.title = t('app.title') + ' — SettlementMap';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  for (const node of document.querySelectorAll('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle);
  $('panel').setAttribute('aria-label', t('section.filters'));
  $('map').setAttribute('aria-label', t('app.title'));
  const language = $('language');
  language.replaceChildren(...LANGUAGES.map((lang) => el('option', { value: lang, lang }, t('lang.' + lang))));
  language.value = state.i18n.lang;
  renderNotice();
  renderSources();
  if (!state.config) return;
  renderLayerControls();
  renderThemeControls();
  renderFilterForm();
  renderSettlementsShown();
  renderLegend();
  renderMunicipalityTooltips();
  renderDetails();
  renderStatus();
  closeSearch();
  editing.renderAccount();
  coverage.render();
}

function renderNotice() {
  const text = noticeFor(state.config && state.config.data_notice, state.i18n.lang);
  $('data-notice').textContent = text;
  $('data-notice').title = text; // the whole notice where a phone cuts it to one line
}

function renderSources() {
  const links = {
    geonames: el('a', { href: 'https://www.geonames.org/' }, 'GeoNames'),
    ne: el('a', { href: 'https://www.naturalearthdata.com/' }, 'Natural Earth'),
  };
  const parts = state.i18n.t('sources').split(/\{(\w+)\}/);
  $('sources').replaceChildren(...parts.map((part, i) => (i % 2 === 1 ? links[part] : document.createTextNode(part))));
}

function missingLabels() {
  const missing = [];
  for (const lang of LANGUAGES) {
    const { t } = translator(lang);
    const lists = state.config.closed_lists;
    for (const [list, values] of Object.entries(lists)) {
      for (const value of values) if (t('list.' + list + '.' + value) === 'list.' + list + '.' + value) missing.push(lang + ': ' + list + '.' + value);
    }
    for (const [, fields] of DETAIL_GROUPS) {
      for (const [field] of fields) if (t('field.' + field) === 'field.' + field) missing.push(lang + ': field.' + field);
    }
  }
  return missing;
}

// ---------------------------------------------------------------- status line

function setStatus(key, params, error) {
  state.status = { key, params, error: Boolean(error) };
  renderStatus();
}

function renderStatus() {
  const { key, params, error } = state.status.key || !state.baseUnreachable
    ? state.status
    : { key: 'status.base_unreachable', params: null, error: false };
  const status = $('status');
  status.textContent = key ? state.i18n.t(key, params) : '';
  status.classList.toggle('error', error);
}

// ---------------------------------------------------------------- styling

function settlementColour(properties) {
  return classColour(currentThemeClasses(), state.view.theme, properties);
}

// Built once a theme: the GeoJSON layer asks for a colour for each of up to config.tile_threshold settlements.
let themeClassesMemo = { theme: null, classes: [] };

function currentThemeClasses() {
  if (themeClassesMemo.theme !== state.view.theme) {
    themeClassesMemo = { theme: state.view.theme, classes: themeClasses(state.view.theme, state.config.closed_lists) };
  }
  return themeClassesMemo.classes;
}

function settlementStyle(feature) {
  const selected = state.view && feature.properties.id === state.view.selected;
  return {
    color: selected ? '#000' : '#1d2733', weight: selected ? 3 : 1, fillOpacity: 0.85,
    fillColor: settlementColour(feature.properties), className: 'settlement',
  };
}

function markerStyle(properties) {
  const selected = properties.id === state.view.selected;
  return {
    radius: selected ? 7 : 4, color: selected ? '#000' : '#1d2733', weight: selected ? 3 : 1, fillOpacity: 0.9,
    fillColor: settlementColour(properties), className: 'settlement-point',
  };
}

function municipalityStyle(feature) {
  const choropleth = state.view ? state.view.choropleth : 'none';
  if (choropleth === 'none') {
    return { color: '#55606b', weight: 1, fill: true, fillColor: '#ffffff', fillOpacity: 0.35, className: 'municipality' };
  }
  const key = classifyMunicipality(choropleth, state.aggregates.get(feature.properties.code));
  const found = choroplethClasses(choropleth).find((c) => c.key === key);
  return { color: '#55606b', weight: 1, fill: true, fillColor: found.colour, fillOpacity: 0.7, className: 'municipality' };
}

function restyle() {
  layers.settlements.setStyle(settlementStyle);
  for (const [id, entry] of byId) entry.marker.setStyle(markerStyle(entry.polygon.feature.properties));
  const selected = byId.get(state.view.selected);
  if (selected) { selected.polygon.bringToFront(); selected.marker.bringToFront(); }
  layers.municipalities.setStyle(municipalityStyle);
  for (const button of $('results').querySelectorAll('button[data-id]')) {
    if (Number(button.dataset.id) === state.view.selected) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  renderLegend();
  writeHash();
}

function formatRange(range, unit) {
  const { t, number } = state.i18n;
  const a = range.a !== undefined ? number(range.a) : '';
  const b = range.b !== undefined ? number(range.b) : '';
  const text = { single: a, between: a + '–' + b, below: '< ' + b, at_least: '≥ ' + a }[range.kind];
  if (unit === 'm') return t('unit.m', { value: text });
  if (unit === 'pct') return t('unit.pct', { value: text });
  return text;
}

function classLabel(c) {
  if (c.label) return c.label;
  if (c.unknown) return state.i18n.t('legend.unknown');
  if (c.empty) return state.i18n.t('choropleth.no_settlements');
  if (c.list) return state.i18n.listValue(c.list, c.value);
  return formatRange(c.range, c.unit);
}

function legendBlock(title, classes, counts, kind, note) {
  const block = el('div', { className: 'legend-block', 'data-legend': kind });
  block.appendChild(el('h2', {}, title));
  const list = el('ul');
  for (const c of classes) {
    const row = el('li', { 'data-class': c.key, 'data-colour': c.colour });
    const swatch = el('span', { className: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = c.colour;
    row.append(swatch, el('span', { className: 'label' }, classLabel(c)), el('span', { className: 'count' }, counts ? state.i18n.number(counts[c.key] || 0) : ''));
    list.appendChild(row);
  }
  block.appendChild(list);
  if (note) block.appendChild(el('p', { className: 'hint' }, note));
  return block;
}

function renderLegend() {
  if (!legend) return;
  const { t } = state.i18n;
  const box = legend.getContainer();
  const blocks = [];
  if (state.view.layers.settlements) {
    const classes = currentThemeClasses();
    const counts = state.shownSummary
      ? Object.fromEntries(classes.map((c) => [c.key, state.shownSummary.classes[c.key] || 0]))
      : countByClass(state.view.theme, classes, state.settlements.map((f) => f.properties));
    blocks.push(legendBlock(t('theme.' + state.view.theme), classes, counts, 'settlements'));
  }
  if (state.view.choropleth !== 'none' && state.view.layers.municipalities) {
    const classes = choroplethClasses(state.view.choropleth);
    const counts = Object.fromEntries(classes.map((c) => [c.key, 0]));
    for (const f of state.municipalities.features) counts[classifyMunicipality(state.view.choropleth, state.aggregates.get(f.properties.code))] += 1;
    blocks.push(legendBlock(t('choropleth.' + state.view.choropleth), classes, counts, 'municipalities', t('choropleth.note')));
  }
  blocks.push(...coverage.legendBlocks());
  box.replaceChildren(...blocks);
  box.hidden = blocks.length === 0;
  box.setAttribute('aria-label', t('legend.title'));
}

// ---------------------------------------------------------------- controls

function renderLayerControls() {
  const { t } = state.i18n;
  const container = $('layers');
  const rows = LAYERS.map((name) => {
    const input = el('input', { type: 'checkbox', id: 'layer-' + name, 'data-layer': name });
    input.checked = state.view.layers[name];
    let label = t('layer.' + name);
    if (name === 'base') {
      if (state.config.base_layer) label = t('layer.base', { name: 'OpenStreetMap' });
      else { label = t('layer.base.none'); input.disabled = true; input.checked = false; }
    }
    input.addEventListener('change', () => {
      state.view.layers[name] = input.checked;
      syncLayers();
      renderLegend();
      writeHash();
    });
    const row = el('label', { className: 'check' });
    row.append(input, document.createTextNode(' ' + label));
    return row;
  });
  container.replaceChildren(...rows);
}

function renderThemeControls() {
  const { t } = state.i18n;
  const theme = $('theme');
  theme.replaceChildren(...SETTLEMENT_THEMES.map((name) => el('option', { value: name }, t('theme.' + name))));
  theme.value = state.view.theme;
  const choropleth = $('choropleth');
  choropleth.replaceChildren(...CHOROPLETHS.map((name) => el('option', { value: name }, t('choropleth.' + name))));
  choropleth.value = state.view.choropleth;
}

function placeOptions() {
  const { name } = state.i18n;
  const districts = new Map();
  const municipalities = [];
  for (const f of state.municipalities.features) {
    const p = f.properties;
    districts.set(p.district_code, state.i18n.lang === 'en' ? p.district_name_en : name(p.district_name_latn, p.district_name_cyrl));
    municipalities.push({ code: p.code, district: p.district_code, label: name(p.name_latn, p.name_cyrl) });
  }
  const collator = new Intl.Collator(state.i18n.locale);
  return {
    districts: [...districts].map(([code, label]) => ({ code, label })).sort((a, b) => collator.compare(a.label, b.label)),
    municipalities: municipalities.sort((a, b) => collator.compare(a.label, b.label)),
  };
}

function renderFilterForm() {
  const { t, listValue } = state.i18n;
  const filters = state.view.filters;
  const form = $('filters');
  const places = placeOptions();
  const nodes = [];

  const district = el('select', { id: 'filter-district', name: 'district' });
  district.append(el('option', { value: '' }, t('filter.all_districts')), ...places.districts.map((d) => el('option', { value: d.code }, d.label)));
  district.value = filters.district || '';
  const municipality = el('select', { id: 'filter-municipality', name: 'municipality' });
  municipality.append(el('option', { value: '' }, t('filter.all_municipalities')),
    ...places.municipalities.filter((m) => !filters.district || m.district === filters.district).map((m) => el('option', { value: m.code }, m.label)));
  municipality.value = filters.municipality || '';
  nodes.push(fieldOf(t('filter.district'), district), fieldOf(t('filter.municipality'), municipality));
  district.addEventListener('change', () => {
    filters.district = district.value || null;
    const stillInside = places.municipalities.some((m) => m.code === filters.municipality && (!filters.district || m.district === filters.district));
    if (!stillInside) filters.municipality = null;
    renderFilterForm();
    zoomToPlace();
    filtersChanged();
  });
  municipality.addEventListener('change', () => { filters.municipality = municipality.value || null; zoomToPlace(); filtersChanged(); });

  const infrastructure = ['water_supply', 'sewerage', 'electricity', 'legal_status'];
  for (const name of infrastructure) nodes.push(checkboxGroup(name, t('field.' + name), LIST_FILTERS[name], filters, listValue));

  const population = el('fieldset', { className: 'range' });
  population.appendChild(el('legend', {}, t('filter.population')));
  for (const bound of ['min_inhabitants', 'max_inhabitants']) {
    const input = el('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric', id: 'filter-' + bound, name: bound });
    input.value = filters[bound] ?? '';
    input.addEventListener('change', () => {
      const text = input.value.trim();
      filters[bound] = text === '' || !/^\d{1,9}$/.test(text) ? null : Number(text);
      if (text !== '' && filters[bound] === null) input.value = '';
      filtersChanged();
    });
    const label = el('label', {}, t(bound === 'min_inhabitants' ? 'filter.min' : 'filter.max') + ' ');
    label.appendChild(input);
    population.appendChild(label);
  }
  const rangeError = el('p', { id: 'filter-range-error', className: 'field-error', role: 'alert' });
  population.appendChild(rangeError);
  nodes.push(population);

  const risks = el('fieldset', { className: 'risks' });
  risks.appendChild(el('legend', {}, t('filter.risks')));
  for (const name of ['flood_zone', 'hazard_nearby', 'eviction_threat']) {
    const select = el('select', { id: 'filter-' + name, name });
    select.append(el('option', { value: '' }, t('filter.any')),
      ...unknownLast(state.config.closed_lists.yes_no).map((v) => el('option', { value: v }, listValue('yes_no', v))));
    select.value = filters[name].length === 1 ? filters[name][0] : '';
    select.addEventListener('change', () => { filters[name] = select.value ? [select.value] : []; filtersChanged(); });
    risks.appendChild(fieldOf(t('field.' + name), select));
  }
  nodes.push(risks);

  const reset = el('button', { type: 'button', id: 'filter-reset', className: 'link-button' }, t('filter.reset'));
  reset.addEventListener('click', () => { state.view.filters = emptyFilters(); renderFilterForm(); filtersChanged(); });
  nodes.push(reset);
  form.replaceChildren(...nodes);
  showRangeError();
}

/** Shows the whole of the chosen municipality or district. */
function zoomToPlace() {
  const { municipality, district } = state.view.filters;
  if (!municipality && !district) return;
  const bounds = L.latLngBounds([]);
  layers.municipalities.eachLayer((layer) => {
    const p = layer.feature.properties;
    if (municipality ? p.code === municipality : p.district_code === district) bounds.extend(layer.getBounds());
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], animate: false });
}

function fieldOf(labelText, control) {
  const label = el('label', { className: 'field' });
  label.append(el('span', {}, labelText), control);
  return label;
}

function checkboxGroup(name, title, list, filters, listValue) {
  const group = el('fieldset', { className: 'checks', 'data-filter': name });
  group.appendChild(el('legend', {}, title));
  for (const value of unknownLast(state.config.closed_lists[list])) {
    const input = el('input', { type: 'checkbox', name, value, id: 'filter-' + name + '-' + value });
    input.checked = filters[name].includes(value);
    input.addEventListener('change', () => {
      const chosen = new Set(filters[name]);
      if (input.checked) chosen.add(value); else chosen.delete(value);
      // Keep the closed list's order so the query string (and the permalink) is stable.
      filters[name] = state.config.closed_lists[list].filter((v) => chosen.has(v));
      filtersChanged();
    });
    const label = el('label', { className: 'check' });
    label.append(input, document.createTextNode(' ' + listValue(list, value)));
    group.appendChild(label);
  }
  return group;
}

function unknownLast(values) {
  return values.filter((v) => v !== 'unknown').concat(values.includes('unknown') ? ['unknown'] : []);
}

function showRangeError() {
  const { min_inhabitants: min, max_inhabitants: max } = state.view.filters;
  const invalid = min !== null && max !== null && min > max;
  const error = $('filter-range-error');
  if (error) error.textContent = invalid ? state.i18n.t('filter.min_gt_max') : '';
  for (const id of ['filter-min_inhabitants', 'filter-max_inhabitants']) {
    const input = $(id);
    if (input) input.setAttribute('aria-invalid', invalid ? 'true' : 'false');
  }
  return !invalid;
}

function filtersChanged() {
  if (!showRangeError()) return;
  coverage.filtersChanged();
  writeHash();
  loadSettlements();
}

// ---------------------------------------------------------------- layers

// Leaflet parses a string tooltip as HTML: every tooltip gets a Node with the text in it.
function bindMunicipality(feature, layer) {
  layer.bindTooltip(() => el('span', {}, municipalityTooltip(feature.properties)), { sticky: true });
}

function municipalityTooltip(p) {
  const { t, name, number } = state.i18n;
  let text = name(p.name_latn, p.name_cyrl);
  if (state.view.choropleth !== 'none') {
    const a = state.aggregates.get(p.code);
    const value = !a ? t('choropleth.no_settlements')
      : state.view.choropleth === 'settlement_count' ? number(a.settlements)
        : state.view.choropleth === 'estimated_inhabitants' ? number(a.inhabitants)
          : t('unit.pct', { value: number(a.shareWithoutWater) });
    text += ' — ' + t('choropleth.' + state.view.choropleth) + ': ' + value;
  }
  return text;
}

function renderMunicipalityTooltips() {
  // Tooltip content is a function of the language and the choropleth: rebinding refreshes it.
  layers.municipalities.eachLayer((layer) => { layer.unbindTooltip(); bindMunicipality(layer.feature, layer); });
}

function bindSettlement(feature, layer) {
  layer.on('click', () => selectFromMap(feature.properties.id));
  layer.bindTooltip(() => el('span', {}, state.i18n.name(feature.properties.name_latn, feature.properties.name_cyrl)), { sticky: true });
}

function drawSettlements(collection) {
  layers.settlements.clearLayers();
  layers.markers.clearLayers();
  byId.clear();
  layers.settlements.addData(collection);
  layers.settlements.eachLayer((polygon) => {
    const p = polygon.feature.properties;
    const marker = L.circleMarker(polygon.getBounds().getCenter(), markerStyle(p));
    marker.on('click', () => selectFromMap(p.id));
    marker.bindTooltip(() => el('span', {}, state.i18n.name(p.name_latn, p.name_cyrl)));
    marker.addTo(layers.markers);
    byId.set(p.id, { polygon, marker });
  });
}

function syncLayers() {
  const want = {
    base: state.view.layers.base && layers.base,
    municipalities: state.view.layers.municipalities,
    settlements: state.view.layers.settlements && map.getZoom() >= MARKER_MAX_ZOOM && !usesTiles(),
    markers: state.view.layers.settlements && map.getZoom() < MARKER_MAX_ZOOM && !usesTiles(),
    tiles: state.view.layers.settlements && usesTiles(),
  };
  for (const [name, wanted] of Object.entries(want)) {
    const layer = layers[name];
    if (!layer) continue;
    if (wanted && !map.hasLayer(layer)) layer.addTo(map);
    if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
  }
  if (map.hasLayer(layers.municipalities)) layers.municipalities.bringToBack();
}

function addBaseLayer() {
  const config = state.config.base_layer;
  if (!config) { state.view.layers.base = false; return; }
  layers.base = L.tileLayer(config.url_template, { maxZoom: config.max_zoom });
  if (config.attribution) {
    const attribution = L.control({ position: 'bottomright' });
    attribution.onAdd = () => el('div', { className: 'leaflet-control-attribution' }, config.attribution);
    layers.base.on('add', () => attribution.addTo(map)).on('remove', () => attribution.remove());
  }
  let failures = 0;
  layers.base.on('tileerror', () => {
    failures += 1;
    if (failures === 4) { state.baseUnreachable = true; renderStatus(); }
  });
}

/** At scale the settlements come as vector tiles with the same filters, styles and click-to-select. */
function usesTiles() {
  return state.total > state.config.tile_threshold;
}

async function loadTiles(query, signal) {
  const summary = await getJson('api/layers/settlements/summary?' + summaryQuery(query), signal);
  if (signal.aborted) return;
  state.settlements = [];
  state.shownSummary = summary;
  state.aggregates = aggregatesFromSummary(summary.municipalities);
  state.tileQuery = query;
  replaceTileLayer();
}

/** The summary's query: the filters, and the theme whose legend classes the server counts. */
function summaryQuery(filterQuery) {
  const params = new URLSearchParams(filterQuery);
  params.set('theme', state.view.theme);
  const breaks = themeBreaks(state.view.theme);
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
function drawnTileFeatures() {
  return shownTiles()?.drawnFeatures() ?? [];
}

/** A new tile layer for the current filters and theme. */
function replaceTileLayer() {
  if (layers.tiles) map.removeLayer(layers.tiles);
  // Tiles live in the tile pane, under the municipalities; settlements must be above them.
  if (!map.getPane('settlementTiles')) map.createPane('settlementTiles').style.zIndex = 450;
  const query = state.tileQuery;
  layers.tiles = new SettlementTileLayer({
    url: 'tiles/settlements/{z}/{x}/{y}.mvt' + (query ? '?' + query : ''),
    pane: 'settlementTiles',
    theme: state.view.theme,
    closedLists: state.config.closed_lists,
    selected: state.view.selected,
    onSelect: (id) => selectFromMap(id),
  });
  layers.tiles.on('tileerror', (event) => setStatus('status.failed', { message: event.error.message }, true));
}

async function loadSettlements() {
  if (loadController) loadController.abort();
  const controller = new AbortController();
  loadController = controller;
  document.body.dataset.loading = 'true';
  setStatus('status.loading');
  const query = filtersToQuery(state.view.filters).toString();
  const run = (async () => {
    try {
      if (usesTiles()) {
        await loadTiles(query, controller.signal);
        if (controller.signal.aborted) return;
        drawSettlements({ type: 'FeatureCollection', features: [] });
      } else {
        const collection = await getJson('api/layers/settlements' + (query ? '?' + query : ''), controller.signal);
        if (controller.signal.aborted) return;
        state.settlements = collection.features;
        state.shownSummary = null;
        state.aggregates = aggregateByMunicipality(collection.features.map((f) => f.properties));
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
      if (loadController === controller) { loadController = null; delete document.body.dataset.loading; }
    }
  })();
  loading = run.catch(() => {});
  return run;
}

// ---------------------------------------------------------------- count and result list

function renderSettlementsShown() {
  const { t, number, name } = state.i18n;
  const shown = state.settlements;
  let people = 0;
  for (const f of shown) people += f.properties.estimated_inhabitants || 0;
  const matched = state.shownSummary ? state.shownSummary.matched : shown.length;
  if (state.shownSummary) people = state.shownSummary.estimated_inhabitants;
  $('count').textContent = t('count.shown', { n: number(matched), total: number(state.total) }) + ' · ' + t('count.inhabitants', { people: number(people) });
  $('count').dataset.shown = String(matched);
  $('count').dataset.inhabitants = String(people);

  const collator = new Intl.Collator(state.i18n.locale);
  const sorted = shown.map((f) => f.properties)
    .map((p) => ({ p, label: name(p.name_latn, p.name_cyrl) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const items = sorted.slice(0, RESULT_LIST_LIMIT).map(({ p, label }) => {
    const button = el('button', { type: 'button', 'data-id': String(p.id), 'aria-label': t('results.zoom', { name: label }), 'aria-current': p.id === state.view.selected ? 'true' : null });
    const swatch = el('span', { className: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = settlementColour(p);
    button.append(swatch, el('span', { className: 'name' }, label),
      el('span', { className: 'meta' }, name(p.municipality_name_latn, p.municipality_name_cyrl) +
        (p.estimated_inhabitants == null ? '' : ' · ' + number(p.estimated_inhabitants))));
    button.addEventListener('click', () => { closePanelOnPhone(); select(p.id, { zoom: true }); });
    const item = el('li');
    item.appendChild(button);
    return item;
  });
  if (items.length === 0) items.push(el('li', { className: 'hint' }, state.shownSummary && state.shownSummary.matched > 0 ? t('results.tiles') : t('results.none')));
  $('results').replaceChildren(...items);
  const more = $('results-more');
  more.hidden = shown.length <= RESULT_LIST_LIMIT;
  more.textContent = more.hidden ? '' : t('results.more', { n: number(shown.length - RESULT_LIST_LIMIT) });
}

// ---------------------------------------------------------------- selection and details

async function select(id, options = {}) {
  if (state.view.selected !== id) editing.leave();
  state.view.selected = id;
  if (layers.tiles) layers.tiles.setSelected(id);
  state.detail = null;
  restyle();
  const entry = byId.get(id);
  openDetails();
  if (options.zoom && entry) zoomBesideDetails(entry.polygon.getBounds());
  try {
    const response = await fetch('api/settlements/' + encodeURIComponent(id), { headers: { Accept: 'application/geo+json' } });
    if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
    const feature = await response.json();
    if (state.view.selected !== id) return;
    state.detail = feature;
    state.detailETag = response.headers.get('ETag');
    renderDetails();
    if (options.zoom && !entry) zoomBesideDetails(L.geoJSON(feature).getBounds());
    await checkSelectionInFilters();
  } catch (error) {
    if (state.view.selected !== id) return;
    $('details-body').replaceChildren(el('p', { className: 'field-error' }, state.i18n.t('details.failed', { message: error.message })));
  }
}

/**
 * A click on a settlement in the map selects it, except while an outline is being drawn: each
 * vertex is a click, and a settlement under it would open its details over the new one's form.
 */
function selectFromMap(id) {
  if (map.pm && map.pm.globalDrawModeEnabled()) return;
  select(id);
}

/** Fits bounds into the part of the map the details panel leaves visible (right side, or bottom sheet on a phone). */
function zoomBesideDetails(bounds, minZoom) {
  const details = $('details');
  const mapBox = $('map').getBoundingClientRect();
  const box = details.hidden ? null : details.getBoundingClientRect();
  const right = box && box.height >= mapBox.height - 1 ? box.width : 0;
  const bottom = box && box.height < mapBox.height - 1 ? box.height : 0;
  map.fitBounds(bounds, { maxZoom: 16, paddingTopLeft: [40, 40], paddingBottomRight: [40 + right, 40 + bottom], animate: false });
  if (minZoom && map.getZoom() < minZoom) map.setZoom(minZoom, { animate: false });
}

function openDetails() {
  const details = $('details');
  details.hidden = false;
  renderDetails();
  details.focus({ preventScroll: true });
}

function closeDetails() {
  editing.leave();
  $('details').hidden = true;
  if (layers.tiles) layers.tiles.setSelected(null);
  state.view.selected = null;
  state.detail = null;
  restyle();
}

/**
 * With tiles the page holds no list of the filtered settlements: whether the selected one passes
 * the filters is asked of the layer, limited to its own bounding box.
 */
async function checkSelectionInFilters() {
  const id = state.view.selected;
  state.selectedInFilters = null;
  if (usesTiles() && state.detail && state.detail.id === id) {
    const params = new URLSearchParams(state.tileQuery || '');
    params.set('bbox', L.geoJSON(state.detail).getBounds().toBBoxString());
    params.set('zoom', '0');
    try {
      const layer = await getJson('api/layers/settlements?' + params.toString());
      if (state.view.selected === id) state.selectedInFilters = layer.features.some((f) => f.id === id);
    } catch {
      // Unknown: the note stays hidden rather than claim something false.
    }
  }
  renderDetailsNote();
}

function renderDetailsNote() {
  const note = $('details-note');
  const shown = usesTiles() ? state.selectedInFilters !== false : byId.has(state.view.selected);
  const hidden = state.view.selected !== null && !shown && state.detail !== null;
  note.hidden = !hidden;
  note.textContent = hidden ? state.i18n.t('status.selection_hidden') : '';
}

function renderDetails() {
  if ($('details').hidden) return;
  const { t } = state.i18n;
  if (!state.detail) {
    $('details-title').textContent = t('details.title');
    $('details-subtitle').textContent = '';
    $('details-body').replaceChildren(el('p', { className: 'hint' }, t('details.loading')));
    return;
  }
  const p = state.detail.properties;
  const latinPage = state.i18n.lang !== 'sr-Cyrl';
  $('details-title').textContent = latinPage ? p.name_latn : p.name_cyrl;
  $('details-subtitle').textContent = (latinPage ? p.name_cyrl : p.name_latn) + ' · ' + state.i18n.name(p.municipality_name_latn, p.municipality_name_cyrl);
  const body = DETAIL_GROUPS.map(([group, fields]) => {
    const section = el('section', { className: 'group', 'data-group': group.slice('group.'.length) });
    section.appendChild(el('h3', {}, t(group)));
    const list = el('dl');
    for (const [field, kind] of fields) {
      list.append(el('dt', {}, t('field.' + field)), el('dd', { 'data-field': field }, formatValue(p, field, kind)));
    }
    section.appendChild(list);
    return section;
  });
  const report = el('a', { href: 'report.html?municipality=' + encodeURIComponent(p.municipality_code), className: 'report-link', target: '_blank', rel: 'noopener' },
    t('report.link', { name: state.i18n.name(p.municipality_name_latn, p.municipality_name_cyrl) }));
  const reportLine = el('p');
  reportLine.appendChild(report);
  body.push(reportLine);
  $('details-body').replaceChildren(...body);
  editing.renderDetailsActions($('details-body'));
  renderDetailsNote();
}

function formatValue(p, field, kind) {
  const { t, number, name, listValue, locale } = state.i18n;
  if (kind === 'place') {
    if (field === 'municipality') return name(p.municipality_name_latn, p.municipality_name_cyrl);
    return name(p.district_name_latn, p.district_name_cyrl);
  }
  const value = p[field];
  if (value === null || value === undefined || value === '') return t('value.none_recorded');
  switch (kind) {
    case 'list': return listValue(state.config.settlement_lists[field], value);
    case 'number': return number(value);
    case 'year': return String(value);
    case 'decade': return t('unit.decade', { value: String(value) });
    case 'm': return t('unit.m', { value: number(value) });
    case 'm2': return t('unit.m2', { value: number(Math.round(value)) });
    case 'pct': return t('unit.pct', { value: number(value) });
    case 'date': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(value + 'T00:00:00Z'));
    case 'datetime': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
    default: return String(value);
  }
}

// ---------------------------------------------------------------- search

let searchTimer = null;
let searchController = null;
let searchResults = [];
let activeResult = -1;

function closeSearch() {
  const list = $('search-results');
  list.hidden = true;
  list.replaceChildren();
  $('search-input').setAttribute('aria-expanded', 'false');
  $('search-input').removeAttribute('aria-activedescendant');
  activeResult = -1;
}

async function runSearch(text) {
  if (searchController) searchController.abort();
  if (text.trim() === '') { closeSearch(); return; }
  const controller = new AbortController();
  searchController = controller;
  try {
    const response = await getJson('api/search?q=' + encodeURIComponent(text) + '&limit=12', controller.signal);
    if (controller.signal.aborted) return;
    searchResults = response.results;
    renderSearchResults(text);
  } catch (error) {
    if (controller.signal.aborted) return;
    searchResults = [];
    renderSearchResults(text, error.message);
  }
}

function renderSearchResults(text, failure) {
  const { t, name } = state.i18n;
  const list = $('search-results');
  activeResult = -1;
  const items = searchResults.map((r, i) => {
    const item = el('li', { id: 'search-result-' + i, role: 'option', 'aria-selected': 'false', 'data-kind': r.kind, 'data-id': String(r.id) });
    item.append(el('span', { className: 'name' }, name(r.name_latn, r.name_cyrl)),
      el('span', { className: 'meta' }, r.kind === 'municipality' ? t('search.municipality') : name(r.municipality_name_latn, r.municipality_name_cyrl)));
    item.addEventListener('mousedown', (event) => event.preventDefault()); // keep focus in the input
    item.addEventListener('click', () => chooseResult(i));
    return item;
  });
  if (items.length === 0) items.push(el('li', { className: 'hint', role: 'option', 'aria-disabled': 'true' }, failure ? t('search.failed', { message: failure }) : t('search.none', { q: text })));
  list.replaceChildren(...items);
  list.hidden = false;
  $('search-input').setAttribute('aria-expanded', 'true');
}

function highlightResult(index) {
  const options = [...$('search-results').querySelectorAll('[role=option][data-id]')];
  if (options.length === 0) return;
  activeResult = (index + options.length) % options.length;
  options.forEach((o, i) => o.setAttribute('aria-selected', i === activeResult ? 'true' : 'false'));
  $('search-input').setAttribute('aria-activedescendant', options[activeResult].id);
  options[activeResult].scrollIntoView({ block: 'nearest' });
}

function chooseResult(index) {
  const result = searchResults[index];
  if (!result) return;
  closeSearch();
  $('search-input').value = state.i18n.name(result.name_latn, result.name_cyrl);
  const [minLon, minLat, maxLon, maxLat] = result.bbox;
  if (result.kind === 'settlement') select(result.id);
  zoomBesideDetails([[minLat, minLon], [maxLat, maxLon]]);
  closePanelOnPhone();
}

function wireSearch() {
  const input = $('search-input');
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => runSearch(input.value), 200);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); highlightResult(activeResult + 1); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); highlightResult(activeResult - 1); }
    else if (event.key === 'Enter') {
      event.preventDefault();
      clearTimeout(searchTimer);
      if (activeResult >= 0) chooseResult(activeResult);
      else if (!$('search-results').hidden && searchResults.length) chooseResult(0);
      else runSearch(input.value);
    } else if (event.key === 'Escape') closeSearch();
  });
  input.addEventListener('blur', () => setTimeout(closeSearch, 150));
}

// ---------------------------------------------------------------- permalink

/** The download links carry the map's filters (the layer's parameters are the export's). */
function renderExportLinks() {
  const filters = filtersToQuery(state.view.filters);
  const link = (format, extra) => {
    const query = new URLSearchParams(filters);
    query.set('format', format);
    for (const [key, value] of Object.entries(extra || {})) if (value) query.set(key, value);
    return 'api/export/settlements?' + query.toString();
  };
  $('export-geojson').href = link('geojson');
  // One CRS for every format that has a choice; the metadata then describes the same coordinates.
  for (const format of ['csv', 'gpkg', 'shapefile', 'metadata']) $('export-' + format).href = link(format, { crs: $('export-crs').value });
}

function writeHash() {
  if (!state.view) return;
  renderExportLinks();
  const hash = encodeView(state.view);
  state.writtenHash = hash;
  const url = location.pathname + location.search + (hash ? '#' + hash : '');
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
}

function recordMapPosition() {
  const c = map.getCenter();
  state.view.map = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
  writeHash();
}

async function applyView(view, dropped) {
  const known = new Set(state.municipalities.features.map((f) => f.properties.code));
  const districts = new Set(state.municipalities.features.map((f) => f.properties.district_code));
  if (view.filters.municipality && !known.has(view.filters.municipality)) { dropped.push('municipality=' + view.filters.municipality); view.filters.municipality = null; }
  if (view.filters.district && !districts.has(view.filters.district)) { dropped.push('district=' + view.filters.district); view.filters.district = null; }
  const zoomToSelection = !view.map; // a link without a position shows its selection
  state.view = view;
  if (!state.config.base_layer) state.view.layers.base = false;
  if (view.map) map.setView([view.map.lat, view.map.lon], view.map.zoom, { animate: false });
  else {
    map.fitBounds(layers.municipalities.getBounds(), { padding: [8, 8], animate: false });
    zoomToPlace();
  }
  renderLayerControls();
  renderThemeControls();
  renderFilterForm();
  syncLayers();
  await Promise.all([loadSettlements(), coverage.load()]);
  if (view.selected !== null) select(view.selected, { zoom: zoomToSelection });
  else { $('details').hidden = true; state.detail = null; }
  if (dropped.length) console.warn('Ignored in the link:', dropped.join(', '));
}

// ---------------------------------------------------------------- panel on small screens

function closePanelOnPhone() {
  if (window.matchMedia('(max-width: 700px)').matches) togglePanel(false);
}

function togglePanel(open) {
  document.body.classList.toggle('panel-open', open);
  $('panel-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
  setTimeout(() => map.invalidateSize(), 250);
}

// ---------------------------------------------------------------- start

function wireControls() {
  $('language').addEventListener('change', (event) => setLanguage(event.target.value));
  $('export-crs').addEventListener('change', renderExportLinks);
  $('theme').addEventListener('change', (event) => {
    state.view.theme = event.target.value;
    // Tiles are styled when drawn, and the server counts the new theme's classes: load both again.
    if (usesTiles()) loadSettlements();
    restyle();
    renderSettlementsShown();
  });
  $('choropleth').addEventListener('change', (event) => { state.view.choropleth = event.target.value; restyle(); });
  $('details-close').addEventListener('click', closeDetails);
  $('details').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeDetails(); });
  $('panel-toggle').addEventListener('click', () => togglePanel(!document.body.classList.contains('panel-open')));
  $('panel-close').addEventListener('click', () => togglePanel(false));
  $('copy-link').addEventListener('click', async () => {
    writeHash();
    try { await navigator.clipboard.writeText(location.href); setStatus('link.copied'); } catch { window.prompt(state.i18n.t('link.copy'), location.href); }
    setTimeout(() => { if (state.status.key === 'link.copied') setStatus(null); }, 2500);
  });
  map.on('zoomend', syncLayers);
  map.on('moveend', recordMapPosition);
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#/, '') === state.writtenHash) return;
    const decoded = decodeView(location.hash, state.config.closed_lists);
    applyView(decoded.view, decoded.dropped);
  });
}

async function start() {
  applyLanguage();
  setStatus('status.loading');
  state.config = await getJson('api/config');
  const decoded = decodeView(location.hash, state.config.closed_lists);
  state.view = decoded.view;
  const municipalities = await getJson('api/layers/municipalities?zoom=9');
  state.municipalities = municipalities;
  state.total = municipalities.features.reduce((sum, f) => sum + f.properties.settlement_count, 0);
  layers.municipalities.addData(municipalities);
  // Vector tiles exist for whole zoom levels only: at scale the map snaps to them.
  if (usesTiles()) map.options.zoomSnap = 1;
  addBaseLayer();
  legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => el('div', { className: 'legend', role: 'region' });
  legend.addTo(map);
  L.DomEvent.disableScrollPropagation(legend.getContainer());
  applyLanguage();
  wireSearch();
  wireControls();
  await editing.start();
  await applyView(decoded.view, decoded.dropped);
  return api.counts;
}

api.ready = start().catch((error) => {
  setStatus('status.failed', { message: error.message }, true);
  throw error;
});
