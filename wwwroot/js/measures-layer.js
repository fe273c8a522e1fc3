// Measures on the map (issue 26, item 3): the layer of measures (GET /api/measures/layer: a point per measure and
// settlement, coloured by status or priority area, view.measures) and the figures of the municipality choropleth
// "measure coverage" (GET /api/measures/coverage, drawn by settlement-layer.js like the other choropleths). Labels come
// from GET /api/measures/lists; both reload when a measure is saved (the store's measuresVersion).
import { el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { map } from './map.js';
import { aggregatesFromMeasureCoverage } from './themes.js';
import { countMeasureClasses, measureClasses, measureColour } from './measure-classes.js';
import { legendBlock, renderLegend } from './legend.js';
import { loadSettlements, restyle } from './settlement-layer.js';
import { select } from './details.js';
import { setStatus } from './status.js';

let points = null; // the L.LayerGroup of the points, from the first load on
let features = []; // the layer's features last loaded
let coverage = null; // municipality code → aggregatesFromMeasureCoverage's figures; null until loaded
let vocabulary = null; // a promise of /api/measures/lists
let loadId = 0;

const view = () => store.get('view');
const t = (key, params) => store.get('i18n').t(key, params);

/** The measures' closed lists with their labels, read once a page. */
function lists() {
  if (!vocabulary) vocabulary = getJson('api/measures/lists').catch((error) => { vocabulary = null; throw error; });
  return vocabulary;
}

let shownLists = null; // the lists once read: labels are needed synchronously by the legend and the tooltips

/** A closed list's label of a value in the page's language (the value itself while the lists are not read). */
function label(list, value) {
  const found = shownLists && (shownLists.lists[list] || []).find((v) => v.value === value);
  return found ? found.label[store.get('i18n').lang] : value;
}

/** A measure's title in the page's language (English falls back to the Latin title). */
function title(p) {
  const lang = store.get('i18n').lang;
  if (lang === 'en' && p.title_en) return p.title_en;
  return lang === 'sr-Cyrl' ? p.title_cyrl : p.title_latn;
}

/** The municipality's name in the page's language, from the municipalities layer. */
function municipalityName(code) {
  const found = store.get('municipalities').features.find((f) => f.properties.code === code);
  return found ? store.get('i18n').name(found.properties.name_latn, found.properties.name_cyrl) : code;
}

/** A point's tooltip text: the title, then status and area, then the settlement (or the municipality), a line each. */
function tooltipText(p) {
  const place = p.settlement_code ? store.get('i18n').name(p.settlement_name_latn, p.settlement_name_cyrl) : municipalityName(p.municipality_code);
  return [title(p), label('measure_status', p.status) + ' · ' + label('priority_area', p.priority_area), place].join('\n');
}

function draw() {
  if (!points) points = L.layerGroup();
  points.clearLayers();
  const colouring = view().measures;
  if (!colouring) return;
  for (const f of features) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      radius: 6, color: '#1d2733', weight: 1, fillOpacity: 0.9, fillColor: measureColour(colouring, p),
      className: 'measure-point' + (p.settlement_id === null ? ' measure-on-municipality' : ''),
    });
    // A Node (Leaflet parses a string as HTML); its lines are kept by app.css (white-space: pre-line).
    marker.bindTooltip(() => el('span', { className: 'measure-tooltip' }, tooltipText(p)), { sticky: true });
    // A measure on a settlement opens the settlement's details; one on its municipality has none to open.
    if (p.settlement_id !== null) marker.on('click', () => select(p.settlement_id));
    marker.addTo(points);
  }
}

/** The layer's query: the map's municipality filter narrows it (the district has no measures' filter). */
function layerQuery() {
  const municipality = view().filters.municipality;
  return municipality ? '?municipality=' + encodeURIComponent(municipality) : '';
}

/**
 * Loads what the view shows of the measures: the layer when it is on, the coverage when the choropleth is measure
 * coverage (and not loaded yet, or `again`); then draws them.
 */
export async function loadMeasures(again = false) {
  const id = ++loadId;
  const wantLayer = Boolean(view().measures);
  const wantCoverage = view().choropleth === 'measure_coverage' && (coverage === null || again);
  if (!wantLayer && !wantCoverage) { sync(); return; }
  try {
    const [read, layer, figures] = await Promise.all([
      lists(),
      wantLayer ? getJson('api/measures/layer' + layerQuery()) : null,
      wantCoverage ? getJson('api/measures/coverage') : null,
    ]);
    if (id !== loadId) return;
    shownLists = read;
    if (layer) features = layer.features;
    if (figures) coverage = aggregatesFromMeasureCoverage(figures.municipalities);
    draw();
    sync();
    if (figures) restyle(); // the choropleth's colours and legend
    else renderLegend();
  } catch (error) {
    if (id !== loadId) return;
    setStatus('measures_map.failed', { message: error.message }, true);
  }
}

/** Puts the layer on the map or takes it off, as the view says. */
export function sync() {
  if (!points) points = L.layerGroup();
  const wanted = Boolean(view().measures);
  if (wanted && !map.hasLayer(points)) points.addTo(map);
  if (!wanted && map.hasLayer(points)) map.removeLayer(points);
}

/** The layer on (coloured by `colouring`) or off (null), from the layers control. */
export function setMeasuresLayer(colouring) {
  store.update('view', (v) => { v.measures = colouring; });
  if (colouring && features.length) { draw(); sync(); renderLegend(); }
  loadMeasures();
}

/** The aggregates a choropleth colours municipalities by: the server's measure coverage, or those of the settlements shown. */
export function choroplethAggregates(choropleth) {
  return choropleth === 'measure_coverage' ? coverage || new Map() : store.get('aggregates');
}

/** A municipality's measure coverage as the choropleth's tooltip says it (its share, and its measures by status). */
export function coverageText(code) {
  const a = coverage && coverage.get(code);
  if (!a || a.settlements === 0) return t('choropleth.no_settlements');
  const { number } = store.get('i18n');
  const statuses = Object.entries(a.measures).map(([status, count]) => label('measure_status', status) + ' ' + number(count)).join(', ');
  return t('measures_map.coverage_figures', { share: number(a.measureShare), named: number(a.withMeasure), settlements: number(a.settlements), statuses });
}

/** The legend's block of the layer: its classes with the points shown of each. */
export function legendBlocks() {
  const colouring = view().measures;
  if (!colouring || !shownLists) return [];
  const classes = measureClasses(colouring, shownLists, store.get('i18n').lang);
  const counts = countMeasureClasses(colouring, classes, features.map((f) => f.properties));
  return [legendBlock(t('measures_map.legend_' + colouring), classes, counts, 'measures', t('measures_map.legend_note'))];
}

export function wireMeasuresLayer() {
  // A measure saved or deleted: the layer, the coverage and the unplanned filter's settlements may all have changed.
  store.subscribe('measuresVersion', () => {
    coverage = null;
    loadMeasures(true);
    if (view().filters.unplanned) loadSettlements();
  });
}
