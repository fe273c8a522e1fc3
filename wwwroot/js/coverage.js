// Coverage overlays: for a chosen day, municipalities where each kind of coverage is present,
// the coordinator / health-mediator gap weighted by the settlements' estimated population, and
// the figures (computed by the server in SQL) nationally and for the chosen district.
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { map } from './map.js';
import { ABSENT_COLOUR, GAP_CLASSES, GAP_OUTLINE, UNKNOWN_GAP_COLOUR, gapClass, gapCounts, inBase, kindColour, kindDash, presence, programmeName } from './coverage-classes.js';
import { renderCoverageTable } from './coverage-tables.js';
import { formatRange, legendBlock, renderLegend, swatchOf } from './legend.js';
import { bringSettlementsToFront } from './settlement-layer.js';
import { setStatus } from './status.js';
import { districtName as nameOfDistrict } from './data-text.js';
import { setAsOf, today } from './as-of.js';

let data = null; // { layer: FeatureCollection, figures: /api/coverage/figures }
const overlays = new Map(); // key → L.GeoJSON
let loadId = 0;
const t = (key, params) => store.get('i18n').t(key, params);
const view = () => store.get('view');

function asOf() { return view().asOf || today(); }

function kindLabel(kind) {
  if (kind.kind !== 'programme') return t('coverage.kind.' + kind.key);
  return programmeName(kind, store.get('i18n').lang);
}

export async function load() {
  const id = ++loadId;
  try {
    const day = asOf();
    const [layer, figures] = await Promise.all([
      getJson('api/layers/coverage?zoom=9&as_of=' + day),
      // Without a chosen day, today's figures read today's settlements (a named day reads their history).
      getJson('api/coverage/figures' + (view().asOf ? '?as_of=' + day : '')),
    ]);
    if (id !== loadId) return;
    data = { layer, figures };
    rebuildOverlays();
    render();
  } catch (error) {
    if (id !== loadId) return;
    setStatus('coverage.failed', { message: error.message }, true);
  }
}

// Sticky tooltips that wrap (app.css caps their width below half the map): "auto" puts one on the side of the
// pointer away from the map's centre, so it then always fits, also on a phone.
const TOOLTIP = { sticky: true, direction: 'auto', className: 'coverage-tooltip' };

/** The number of municipalities in the base (with at least one settlement), from the layer. */
function baseCount() {
  return data.layer.features.filter(inBase).length;
}

let openTooltip = null;

/** One tooltip at a time: overlays lie over one another and over the municipalities, each with its own tooltip. */
function oneTooltipAtATime() {
  if (openTooltip !== null) return;
  openTooltip = false;
  map.on('tooltipopen', (e) => {
    if (openTooltip && openTooltip !== e.tooltip && map.hasLayer(openTooltip)) map.closeTooltip(openTooltip);
    openTooltip = e.tooltip;
  });
  map.on('tooltipclose', (e) => { if (openTooltip === e.tooltip) openTooltip = false; });
}

function rebuildOverlays() {
  oneTooltipAtATime();
  for (const layer of overlays.values()) map.removeLayer(layer);
  overlays.clear();
  data.figures.kinds.forEach((kind, index) => {
    const colour = kindColour(kind, index);
    overlays.set(kind.key, L.geoJSON(data.layer, {
      filter: (f) => inBase(f) && kind.key in f.properties.coverage,
      style: { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.35, dashArray: kindDash(index), className: 'coverage coverage-' + kind.key.replace(':', '-') },
      // A Node, never a string: Leaflet parses a string tooltip as HTML.
      onEachFeature: (f, layer) => layer.bindTooltip(() => el('span', {}, tooltip(f.properties, kind)), TOOLTIP),
      interactive: true,
    }));
  });
  overlays.set('gap', L.geoJSON(data.layer, {
    filter: (f) => f.properties.gap,
    style: (f) => ({ color: GAP_OUTLINE, weight: 1, fillColor: gapClass(f.properties.gap_inhabitants)?.colour || UNKNOWN_GAP_COLOUR, fillOpacity: 0.7, className: 'coverage coverage-gap' }),
    onEachFeature: (f, layer) => layer.bindTooltip(() => el('span', {}, gapTooltip(f.properties)), TOOLTIP),
  }));
  sync();
}

function tooltip(p, kind) {
  const count = p.coverage[kind.key];
  return store.get('i18n').name(p.name_latn, p.name_cyrl) + ' — ' + kindLabel(kind) + (count ? ' · ' + t('coverage.count', { count }) : '');
}

function gapTooltip(p) {
  const roles = p.gap_missing.map((r) => t('coverage.kind.' + r)).join(', ');
  return store.get('i18n').name(p.name_latn, p.name_cyrl) + ' — ' + t('coverage.missing', { roles }) + ' · ' +
    t('count.inhabitants', { people: store.get('i18n').number(p.gap_inhabitants) });
}

export function sync() {
  for (const [key, layer] of overlays) {
    const wanted = view().overlays.includes(key);
    if (wanted && !map.hasLayer(layer)) layer.addTo(map);
    if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
  }
  // Settlements stay on top of the coverage colours.
  bringSettlementsToFront();
}

function toggle(key, on) {
  store.update('view', (v) => {
    const set = new Set(v.overlays);
    if (on) set.add(key); else set.delete(key);
    v.overlays = [...set];
  });
  sync();
  renderLegend();
}

export function render() {
  renderControls();
  renderFigures();
  renderLegend();
  renderCoverageTable(data && { kinds: data.figures.kinds, label: kindLabel, asOf: asOf(), base: baseCount() });
}

function renderControls() {
  const box = $('coverage-controls');
  if (!box) return;
  const day = el('input', { type: 'date', id: 'coverage-as-of', value: asOf() });
  // The coverage's day is the map's (as-of.js): the settlements follow it too.
  day.addEventListener('change', () => { if (day.value) setAsOf(day.value); });
  const dayField = el('label', { className: 'field' });
  dayField.append(el('span', {}, t('coverage.as_of')), day);
  const rows = [dayField];
  if (data) {
    data.figures.kinds.forEach((kind, index) => rows.push(checkbox(kind.key, kindLabel(kind), { colour: kindColour(kind, index), dash: kindDash(index) })));
    rows.push(checkbox('gap', t('coverage.gap'), GAP_CLASSES[2]));
  }
  if (store.get('user') && store.get('user').role === 'administrator') {
    const municipality = view().filters.municipality;
    const link = el('a', { href: 'coverage.html' + (municipality ? '?municipality=' + encodeURIComponent(municipality) : ''), id: 'edit-coverage' }, t('admin.edit_coverage'));
    const line = el('p');
    line.appendChild(link);
    rows.push(line);
  }
  box.replaceChildren(...rows);
}

/** An overlay's checkbox, with the swatch (swatchOf's class: colour and dash) the legend shows. */
function checkbox(key, label, swatchClass) {
  const id = 'overlay-' + key.replace(':', '-');
  const input = el('input', { type: 'checkbox', id, 'data-overlay': key });
  input.checked = view().overlays.includes(key);
  input.addEventListener('change', () => toggle(key, input.checked));
  const row = el('label', { className: 'check' });
  row.append(input, document.createTextNode(' '), swatchOf(swatchClass), document.createTextNode(' ' + label));
  return row;
}

function figureTable(rows, caption) {
  const { number } = store.get('i18n');
  const table = el('table', { className: 'figures' });
  table.appendChild(el('caption', {}, caption));
  const head = el('tr');
  head.append(el('th', { scope: 'col' }, t('coverage.kind')), el('th', { scope: 'col' }, t('coverage.municipalities')),
    el('th', { scope: 'col' }, t('coverage.settlements')), el('th', { scope: 'col' }, t('coverage.population')));
  table.appendChild(head);
  for (const kind of data.figures.kinds) {
    const row = rows.find((r) => r.kind === kind.key);
    if (!row) continue;
    const tr = el('tr', { 'data-kind': kind.key });
    tr.append(el('th', { scope: 'row' }, kindLabel(kind)),
      el('td', { 'data-figure': 'municipalities' }, number(row.municipalities_covered) + ' / ' + number(row.municipalities_not_covered)),
      el('td', { 'data-figure': 'settlements' }, number(row.settlements_covered) + ' / ' + number(row.settlements_not_covered)),
      el('td', { 'data-figure': 'population' }, number(row.population_covered) + ' / ' + number(row.population_not_covered)));
    table.appendChild(tr);
  }
  return table;
}

function renderFigures() {
  const box = $('coverage-figures');
  if (!box || !data) return;
  const nodes = [el('h3', {}, t('coverage.figures') + ' (' + asOf() + ')'), el('p', { className: 'hint' }, t('coverage.cells')),
    el('p', { className: 'hint', 'data-base': String(baseCount()) }, t('coverage.base', { count: store.get('i18n').number(baseCount()) })),
    figureTable(data.figures.national, t('coverage.nationally'))];
  const district = view().filters.district;
  if (district) {
    const rows = data.figures.districts.filter((r) => r.district_code === district);
    const feature = store.get('municipalities').features.find((f) => f.properties.district_code === district);
    const name = feature ? districtName(feature.properties) : district;
    if (rows.length) nodes.push(figureTable(rows, name));
    nodes.push(reportLink('district', district, name));
  }
  if (view().filters.municipality) {
    const feature = store.get('municipalities').features.find((f) => f.properties.code === view().filters.municipality);
    if (feature) nodes.push(reportLink('municipality', feature.properties.code, store.get('i18n').name(feature.properties.name_latn, feature.properties.name_cyrl)));
  }
  box.replaceChildren(...nodes);
}

function districtName(p) {
  return nameOfDistrict(p, store.get('i18n'));
}

function reportLink(kind, code, name) {
  const params = new URLSearchParams({ [kind]: code });
  if (view().asOf) params.set('as_of', view().asOf);
  const link = el('a', { href: 'report.html?' + params.toString(), className: 'report-link', 'data-report': kind, target: '_blank', rel: 'noopener' },
    t('report.link', { name }));
  const paragraph = el('p');
  paragraph.appendChild(link);
  return paragraph;
}

/** An overlay's name in the page's language: a kind, a programme or the gap (print.js words the view with it). */
export function overlayName(key) {
  if (key === 'gap') return t('coverage.gap');
  const kind = data && data.figures.kinds.find((k) => k.key === key);
  return kind ? kindLabel(kind) : key;
}

export function legendBlocks() {
  if (!data) return [];
  const blocks = [];
  data.figures.kinds.forEach((kind, index) => {
    if (!view().overlays.includes(kind.key)) return;
    const counts = presence(data.layer.features, kind.key);
    blocks.push(legendBlock(kindLabel(kind) + ' (' + asOf() + ')', [
      { key: 'present', colour: kindColour(kind, index), dash: kindDash(index), label: t('coverage.present') },
      { key: 'absent', colour: ABSENT_COLOUR, label: t('coverage.absent') },
    ], counts, 'overlay-' + kind.key, t('coverage.base', { count: store.get('i18n').number(baseCount()) })));
  });
  if (view().overlays.includes('gap')) {
    const counts = gapCounts(data.layer.features);
    const classes = GAP_CLASSES.map((c) => ({ key: c.key, colour: c.colour, label: formatRange(c.to === null ? { kind: 'at_least', a: c.from } : { kind: 'between', a: c.from, b: c.to - 1 }) }))
      // A gap whose population this viewer does not see is drawn and counted too, in its own colour.
      .concat(counts.unknown > 0 ? [{ key: 'unknown', colour: UNKNOWN_GAP_COLOUR, unknown: true }] : [])
      .concat([{ key: 'none', colour: ABSENT_COLOUR, label: t('coverage.no_gap') }]);
    blocks.push(legendBlock(t('coverage.gap_legend') + ' (' + asOf() + ')', classes, counts, 'overlay-gap',
      t('coverage.base', { count: store.get('i18n').number(baseCount()) })));
  }
  return blocks;
}

/** The filters changed: the district's figures and the report links follow. */
export function filtersChanged() {
  renderFigures();
}

export function wireCoverage() {
  // The language changes every label; the user decides whether the editor's link is shown.
  store.subscribe('i18n', () => { if (store.get('config')) render(); });
  store.subscribe('user', () => { if (store.get('view')) render(); });
}
