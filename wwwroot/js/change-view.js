// "Compare two dates" (issue 23): each settlement classed by how one attribute changed between
// date A and date B (api/history/changes: the server judges by SettlementSchema's ChangeOrder), drawn
// by class with a legend of counts, listed in a sortable table whose rows zoom to the settlement, with
// the same comparison as CSV; and a before/after swipe: the map at A left of a handle, at B right of it.
// The swipe is written here, not taken from npm: leaflet-side-by-side (the usual plugin, last released
// in 2021) clips a layer's container, which for vector layers is the one SVG renderer every layer
// shares; here each side has its own pane and renderer, and the pane is clipped. Leaflet gets Nodes only.
import { $, el } from './dom.js';
import { send } from './api.js';
import { store } from './store.js';
import { MARKER_MAX_ZOOM, map, zoomBesideDetails } from './map.js';
import { featureBounds, generalisationRadius } from './settlement-layer.js';
import { swatchOf } from './legend.js';
import { closedLists, formatAttribute, labeller, schemaOf } from './schema.js';
import { problemMessages } from './field-problems.js';
import { SETTLEMENT_THEMES, classColour, themeClasses } from './themes.js';
import { CHANGE_CLASSES, changeClass, changeCounts, changesQuery, isDay, rankColour, sortChanges } from './change-classes.js';

export const DEFAULT_FROM = '2019-01-01';
export const DEFAULT_ATTRIBUTE = 'water_supply';

let comparables = []; // api/history/changes/attributes: [{ name, direction, ranks }]
let shown = null; // { key, compare, features } of the comparison drawn
let loadController = null;
let sort = { column: 'change', ascending: true };
const panes = {};
const groups = {};
let legendControl = null;
let swipeControl = null;
let divider = null;

const today = () => new Date().toISOString().slice(0, 10);

// ------------------------------------------------------------ start

export async function wireChangeView() {
  for (const [name, zIndex] of [['change', 450], ['change-before', 445], ['change-after', 446]]) {
    panes[name] = map.createPane(name);
    panes[name].style.zIndex = String(zIndex);
    groups[name] = L.layerGroup([], { pane: name });
    groups[name].renderer = L.svg({ pane: name });
  }
  $('change-from').value = DEFAULT_FROM;
  $('change-to').value = today();
  $('change-form').addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  $('change-close').addEventListener('click', () => store.update('view', (v) => { v.compare = null; }));
  $('change-swipe').addEventListener('change', () => { draw(); renderResult(); });
  for (const button of document.querySelectorAll('#change-table th button')) {
    button.addEventListener('click', () => {
      const column = button.dataset.column;
      sort = { column, ascending: sort.column === column ? !sort.ascending : true };
      renderTable();
    });
  }
  map.on('zoomend', () => { if (shown) draw(); });
  map.on('move zoom resize', clipSwipe);
  store.subscribe('view', syncToView);
  store.subscribe('i18n', () => { renderAttributes(); if (shown) renderResult(); });
  const answer = await send('GET', 'api/history/changes/attributes');
  comparables = answer.ok ? answer.json : [];
  renderAttributes();
}

function renderAttributes() {
  const config = store.get('config');
  const i18n = store.get('i18n');
  if (!config || !i18n) return;
  const select = $('change-attribute');
  const chosen = select.value || (shown ? shown.compare.attribute : DEFAULT_ATTRIBUTE);
  const labels = labeller(config, i18n.lang);
  select.replaceChildren(...comparables.map((a) => el('option', { value: a.name }, labels.field(a.name))));
  select.value = comparables.some((a) => a.name === chosen) ? chosen : (comparables[0] || {}).name || '';
}

// ------------------------------------------------------------ the form and the view

function showProblems(messages) {
  const problem = $('change-problem');
  const texts = Object.values(messages).flat();
  problem.textContent = texts.join(' ');
  problem.hidden = texts.length === 0;
  for (const [field, id] of [['from', 'change-from'], ['to', 'change-to'], ['attribute', 'change-attribute']]) {
    if (messages[field] && messages[field].length) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }
}

/** The form's own checks, in the page's language, before asking the server (which checks the same). */
function submit() {
  const { t } = store.get('i18n');
  const compare = { from: $('change-from').value, to: $('change-to').value, attribute: $('change-attribute').value };
  const messages = {};
  if (!isDay(compare.from)) messages.from = [t('change.problem.date', { field: t('change.from') })];
  if (!isDay(compare.to)) messages.to = [t('change.problem.date', { field: t('change.to') })];
  if (!messages.from && !messages.to && compare.from > compare.to) messages.from = [t('change.problem.order')];
  showProblems(messages);
  if (Object.keys(messages).length) return;
  store.update('view', (v) => { v.compare = compare; });
}

/** Draws the view's comparison (view.compare, with its place filters) unless it is the one drawn. */
function syncToView(view) {
  if (!view || !store.get('config')) return;
  const compare = view.compare || null;
  const key = compare ? changesQuery(compare, view.filters) : null;
  if (shown && shown.key === key) return;
  if (!compare) { close(); return; }
  $('change-section').open = true;
  $('change-from').value = compare.from;
  $('change-to').value = compare.to;
  if ([...$('change-attribute').options].some((o) => o.value === compare.attribute)) $('change-attribute').value = compare.attribute;
  load(compare, key);
}

async function load(compare, key) {
  if (loadController) loadController.abort();
  loadController = new AbortController();
  const { signal } = loadController;
  $('change-status').textContent = store.get('i18n').t('change.loading');
  const answer = await send('GET', 'api/history/changes?' + key, undefined, { signal });
  if (signal.aborted) return;
  $('change-status').textContent = '';
  if (!answer.ok) {
    const messages = problemMessages(answer.json, store.get('config'), store.get('i18n'));
    showProblems(Object.keys(messages).length ? messages : { '': [store.get('i18n').t('change.failed')] });
    return;
  }
  showProblems({});
  shown = { key, compare, features: answer.json.features };
  $('map').classList.add('comparing');
  $('change-close').hidden = false;
  $('change-result').hidden = false;
  draw();
  renderResult();
}

function close() {
  if (loadController) loadController.abort();
  shown = null;
  for (const group of Object.values(groups)) { group.clearLayers(); map.removeLayer(group); }
  if (legendControl) { legendControl.remove(); legendControl = null; }
  removeSwipe();
  $('map').classList.remove('comparing');
  $('change-result').hidden = true;
  $('change-close').hidden = true;
  showProblems({});
}

// ------------------------------------------------------------ the map

function nameOf(p, lang) {
  return lang === 'sr-Cyrl' ? p.name_cyrl : p.name_latn;
}

/** One settlement drawn in a pane: its outline from city zoom on, a dot below it (as the main layer does). */
function drawFeature(feature, pane, style) {
  const group = groups[pane];
  const options = { ...style, pane, renderer: group.renderer };
  const polygon = feature.geometry.type !== 'Point' && map.getZoom() >= MARKER_MAX_ZOOM;
  const layer = polygon
    ? L.geoJSON(feature, { style: () => options })
    : L.circleMarker(featureBounds(feature, 1).getCenter(), { ...options, radius: 5 });
  layer.bindTooltip(el('span', {}, nameOf(feature.properties, store.get('i18n').lang)), { sticky: true });
  layer.on('click', () => zoomTo(feature));
  group.addLayer(layer);
}

function classStyle(key) {
  const c = changeClass(key);
  return {
    color: c.colour, weight: c.weight + 1, dashArray: c.dash, fillColor: c.colour,
    fillOpacity: key === 'unchanged' || key === 'hidden' ? 0.25 : 0.6, className: 'change change-' + c.key,
  };
}

/** The colour of a value on the before/after maps: the theme's when the attribute is a theme, else by its rank. */
function valueColour(value) {
  const attribute = shown.compare.attribute;
  if (SETTLEMENT_THEMES.includes(attribute)) {
    return classColour(themeClasses(attribute, closedLists(store.get('config'))), attribute, { [attribute]: value });
  }
  const comparable = comparables.find((a) => a.name === attribute);
  return rankColour(comparable && comparable.ranks, value);
}

function draw() {
  for (const group of Object.values(groups)) group.clearLayers();
  if (!shown) return;
  const swipe = $('change-swipe').checked;
  for (const name of Object.keys(groups)) {
    if ((name === 'change') === !swipe) groups[name].addTo(map); else map.removeLayer(groups[name]);
  }
  for (const feature of shown.features) {
    const p = feature.properties;
    if (!swipe) { drawFeature(feature, 'change', classStyle(p.change)); continue; }
    const side = (value, kind) => ({ color: '#1d2733', weight: 1, fillColor: valueColour(value), fillOpacity: 0.85, className: 'change-' + kind });
    if (p.change !== 'new') drawFeature(feature, 'change-before', side(p.value_from, 'before'));
    if (p.change !== 'gone') drawFeature(feature, 'change-after', side(p.value_to, 'after'));
  }
  if (swipe) addSwipe(); else removeSwipe();
}

function zoomTo(feature) {
  zoomBesideDetails(featureBounds(feature, generalisationRadius() || 0), MARKER_MAX_ZOOM);
}

// ------------------------------------------------------------ the swipe

function addSwipe() {
  if (swipeControl) { renderSwipeLabels(); clipSwipe(); return; }
  const range = el('input', { type: 'range', id: 'change-swipe-range', min: '0', max: '100', step: '1', value: '50' });
  const box = el('div', { className: 'change-swipe' });
  box.append(el('span', { id: 'change-swipe-before', className: 'change-swipe-side' }), range, el('span', { id: 'change-swipe-after', className: 'change-swipe-side' }));
  swipeControl = L.control({ position: 'topright' });
  swipeControl.onAdd = () => {
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  swipeControl.addTo(map);
  range.addEventListener('input', clipSwipe);
  divider = el('div', { className: 'change-divider', 'aria-hidden': 'true' });
  map.getContainer().appendChild(divider);
  renderSwipeLabels();
  clipSwipe();
}

function renderSwipeLabels() {
  if (!swipeControl || !shown) return;
  const { t } = store.get('i18n');
  $('change-swipe-before').textContent = t('change.swipe.before', { date: shown.compare.from });
  $('change-swipe-after').textContent = t('change.swipe.after', { date: shown.compare.to });
  $('change-swipe-range').setAttribute('aria-label', t('change.swipe.label'));
}

function removeSwipe() {
  if (swipeControl) { swipeControl.remove(); swipeControl = null; }
  if (divider) { divider.remove(); divider = null; }
  for (const name of ['change-before', 'change-after']) if (panes[name]) panes[name].style.clip = '';
}

/** Clips the panes at the handle: the panes move with the map, so the edge is in layer points. */
function clipSwipe() {
  if (!swipeControl) return;
  const size = map.getSize();
  const x = (size.x * Number($('change-swipe-range').value)) / 100;
  const nw = map.containerPointToLayerPoint([0, 0]);
  const se = map.containerPointToLayerPoint(size);
  const edge = map.containerPointToLayerPoint([x, 0]).x;
  panes['change-before'].style.clip = `rect(${nw.y}px, ${edge}px, ${se.y}px, ${nw.x}px)`;
  panes['change-after'].style.clip = `rect(${nw.y}px, ${se.x}px, ${se.y}px, ${edge}px)`;
  divider.style.left = x + 'px';
}

// ------------------------------------------------------------ legend, list, CSV

function renderLegendList(target, counts, t, number) {
  const list = el('ul', { className: 'change-classes' });
  for (const c of CHANGE_CLASSES) {
    if (c.key === 'hidden' && !counts.hidden) continue;
    const row = el('li', { 'data-class': c.key });
    row.append(swatchOf({ colour: c.colour, dash: c.dash }), el('span', { className: 'label' }, t('change.class.' + c.key)), el('span', { className: 'count' }, number(counts[c.key])));
    list.appendChild(row);
  }
  target.replaceChildren(list);
}

function renderResult() {
  const config = store.get('config');
  const i18n = store.get('i18n');
  const { t, number } = i18n;
  const { compare, features } = shown;
  const counts = changeCounts(features.map((f) => f.properties));
  $('change-summary').textContent = t('change.summary', { n: number(features.length), a: compare.from, b: compare.to });
  renderLegendList($('change-legend'), counts, t, number);
  if (!legendControl) {
    legendControl = L.control({ position: 'bottomleft' });
    const box = el('div', { className: 'legend change-legend', id: 'change-map-legend', role: 'region' });
    legendControl.onAdd = () => box;
    legendControl.addTo(map);
  }
  const box = $('change-map-legend');
  const title = t('change.legend', { attribute: labeller(config, i18n.lang).field(compare.attribute) });
  box.setAttribute('aria-label', title);
  const body = el('div');
  renderLegendList(body, counts, t, number);
  box.replaceChildren(el('h2', {}, title), el('p', { className: 'hint' }, compare.from + ' → ' + compare.to), body.firstChild);
  if (swipeControl) box.append(...valueLegend(config, i18n));
  const query = changesQuery(compare, store.get('view').filters, { format: 'csv', lang: i18n.lang });
  $('change-csv').href = 'api/history/changes?' + query;
  renderSwipeLabels();
  renderTable();
}

/** On the before/after maps the fill is the value: its closed list's values with their colours (numbers have no list to show). */
function valueLegend(config, i18n) {
  const attribute = schemaOf(config).byName.get(shown.compare.attribute);
  const values = attribute && attribute.list ? closedLists(config)[attribute.list] || [] : [];
  if (!values.length) return [];
  const labels = labeller(config, i18n.lang);
  const list = el('ul', { className: 'change-classes', 'data-legend': 'change-values' });
  for (const value of values) {
    const row = el('li', { 'data-class': value });
    row.append(swatchOf({ colour: valueColour(value) }), el('span', { className: 'label' }, labels.value(attribute.list, value)));
    list.appendChild(row);
  }
  return [el('h2', {}, i18n.t('change.swipe.values')), list];
}

function renderTable() {
  if (!shown) return;
  const config = store.get('config');
  const i18n = store.get('i18n');
  const { t, lang } = i18n;
  const attribute = schemaOf(config).byName.get(shown.compare.attribute);
  const value = (v) => (v === null || v === undefined ? t('change.none') : formatAttribute(config, attribute, v, i18n));
  // The unchanged are counted in the legend, not listed: the list is what changed.
  const rows = shown.features.filter((f) => f.properties.change !== 'unchanged').map((feature) => {
    const p = feature.properties;
    return {
      id: p.id, feature, change: p.change, name: nameOf(p, lang),
      municipality: lang === 'sr-Cyrl' ? p.municipality_name_cyrl : p.municipality_name_latn,
      values: value(p.value_from) + ' → ' + value(p.value_to),
    };
  });
  const sorted = sortChanges(rows, sort.column, sort.ascending, new Intl.Collator(i18n.locale));
  for (const th of document.querySelectorAll('#change-table th[data-column]')) {
    th.setAttribute('aria-sort', th.dataset.column === sort.column ? (sort.ascending ? 'ascending' : 'descending') : 'none');
  }
  $('change-rows').replaceChildren(...sorted.map((row) => {
    const tr = el('tr', { 'data-id': String(row.id), 'data-class': row.change });
    const button = el('button', { type: 'button', className: 'link-button' }, row.name);
    button.addEventListener('click', () => zoomTo(row.feature));
    const name = el('td');
    name.appendChild(button);
    const cls = el('td');
    cls.append(swatchOf({ colour: changeClass(row.change).colour, dash: changeClass(row.change).dash }), document.createTextNode(' ' + t('change.class.' + row.change)));
    tr.append(name, el('td', {}, row.municipality), el('td', {}, row.values), cls);
    return tr;
  }));
}

/** For the test hook: what the comparison drew (null when none). */
export function changeShown() {
  if (!shown) return null;
  return {
    compare: { ...shown.compare },
    counts: changeCounts(shown.features.map((f) => f.properties)),
    swipe: Boolean(swipeControl),
    drawn: Object.fromEntries(Object.entries(groups).map(([name, g]) => [name, g.getLayers().length])),
  };
}

