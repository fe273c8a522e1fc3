// Data freshness: an overlay that colours the municipalities with settlements by when their settlements were
// last updated (the server's /api/history/freshness, through the viewer's disclosure: account names only for
// administrators), with a legend that states the threshold and what is counted; and, for a signed-in
// coordinator, the list of their own settlements not updated for longer than the threshold, each opening
// the settlement's details. Built like coverage.js's overlays; the classes are pure (freshness-classes.js).
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { map } from './map.js';
import { legendBlock, renderLegend, swatchOf } from './legend.js';
import { bringSettlementsToFront } from './settlement-layer.js';
import { select } from './details.js';
import { closePanelOnPhone } from './panel.js';
import { checkValue, wordRefusal } from './field-problems.js';
import { sortableHead } from './sortable-table.js';
import { DEFAULT_THRESHOLD_DAYS, FRESHNESS_CLASSES, FRESHNESS_KEY, THRESHOLD, freshnessClass, freshnessCounts, staleTotal } from './freshness-classes.js';

let threshold = DEFAULT_THRESHOLD_DAYS;
let thresholdText = String(DEFAULT_THRESHOLD_DAYS); // what the field holds: a refused value stays there to be corrected
let thresholdProblem = null; // the refusal of the typed threshold, in words: nothing is loaded while there is one
let data = null; // { threshold, layer: the FeatureCollection }
let overlay = null; // L.GeoJSON
let mine = null; // { threshold, answer } or { threshold, error }: the signed-in coordinator's stale settlements
let sort = { column: 'last_updated', descending: false };
let loadId = 0;
const t = (key, params) => store.get('i18n').t(key, params);
const shown = () => store.get('view') && store.get('view').overlays.includes(FRESHNESS_KEY);
const today = () => new Date();

const TOOLTIP = { sticky: true, direction: 'auto', className: 'coverage-tooltip' };

function roleText(role) {
  return role ? t('freshness.role.' + role) : t('freshness.undated');
}

/** A UTC day ("2024-05-31") in the page's locale. */
function dayText(day) {
  if (!day) return t('freshness.undated');
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(store.get('i18n').locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

async function loadOverlay() {
  const id = ++loadId;
  const days = threshold;
  try {
    const layer = await getJson('api/history/freshness?zoom=9&threshold_days=' + days);
    if (id !== loadId) return;
    data = { threshold: days, layer };
    draw();
  } catch (error) {
    if (id !== loadId) return;
    data = { threshold: days, error: error.message };
  }
  render();
  renderLegend();
}

async function loadMine() {
  const days = threshold;
  try {
    mine = { threshold: days, answer: await getJson('api/history/freshness/stale?threshold_days=' + days) };
  } catch (error) {
    mine = { threshold: days, error: error.message };
  }
  if (mine.threshold === threshold) renderMine();
}

function draw() {
  if (overlay) map.removeLayer(overlay);
  overlay = L.geoJSON(data.layer, {
    style: (f) => ({ color: '#4d4d4d', weight: 1, fillColor: freshnessClass(f.properties.last_updated, today()).colour, fillOpacity: 0.6, className: 'freshness' }),
    // A Node, never a string: Leaflet parses a string tooltip as HTML.
    onEachFeature: (f, layer) => layer.bindTooltip(() => el('span', { className: 'freshness-tooltip' }, tooltip(f.properties)), TOOLTIP),
  });
  sync();
}

/** A municipality's tooltip text: two lines (app.css keeps the line break). */
function tooltip(p) {
  const i18n = store.get('i18n');
  let head = t('freshness.tooltip', { name: i18n.name(p.name_latn, p.name_cyrl), date: dayText(p.last_updated), role: roleText(p.last_updated_role) });
  if (p.last_updated_by) head += ', ' + t('freshness.tooltip.by', { name: p.last_updated_by });
  return head + '\n' + t('freshness.tooltip.stale', {
    stale: i18n.number(p.stale_count), count: i18n.number(p.settlement_count), days: i18n.number(data.threshold), oldest: dayText(p.oldest_updated),
  });
}

function sync() {
  if (!overlay) return;
  const wanted = shown();
  if (wanted && !map.hasLayer(overlay)) overlay.addTo(map);
  if (!wanted && map.hasLayer(overlay)) map.removeLayer(overlay);
  bringSettlementsToFront();
}

function toggle(on) {
  store.update('view', (v) => {
    const set = new Set(v.overlays);
    if (on) set.add(FRESHNESS_KEY); else set.delete(FRESHNESS_KEY);
    v.overlays = [...set];
  });
  if (on && (!data || data.threshold !== threshold)) loadOverlay();
  sync();
  renderLegend();
}

function setThreshold(text) {
  thresholdText = text;
  const value = text.trim() === '' ? null : Number(text);
  const refusal = value === null ? { code: 'range', params: { min: THRESHOLD.min, max: THRESHOLD.max, got: '' } } : checkValue(THRESHOLD, value);
  thresholdProblem = refusal ? wordRefusal('threshold_days', refusal, store.get('config'), store.get('i18n')) : null;
  if (!refusal) {
    threshold = value;
    if (shown()) loadOverlay();
    if (isCoordinator()) loadMine();
  }
  render();
}

function isCoordinator() {
  const user = store.get('user');
  return Boolean(user && user.signed_in !== false && user.role === 'coordinator');
}

/** The section's controls: the overlay's checkbox, the threshold, the CSV; then the coordinator's list. */
export function render() {
  const box = $('freshness-controls');
  if (!box || !store.get('i18n')) return;
  const input = el('input', { type: 'checkbox', id: 'overlay-freshness', 'data-overlay': FRESHNESS_KEY });
  input.checked = Boolean(shown());
  input.addEventListener('change', () => toggle(input.checked));
  const check = el('label', { className: 'check' });
  check.append(input, document.createTextNode(' '), swatchOf(FRESHNESS_CLASSES[3]), document.createTextNode(' ' + t('freshness.overlay')));

  const days = el('input', { type: 'number', id: 'freshness-threshold', min: String(THRESHOLD.min), max: String(THRESHOLD.max), step: '1', inputmode: 'numeric', value: thresholdText });
  days.setAttribute('aria-describedby', 'freshness-threshold-problem');
  if (thresholdProblem) days.setAttribute('aria-invalid', 'true');
  days.addEventListener('change', () => {
    setThreshold(days.value);
    $('freshness-threshold').focus();
  });
  const field = el('label', { className: 'field' });
  field.append(el('span', {}, t('freshness.threshold')), days);
  const problem = el('p', { id: 'freshness-threshold-problem', className: 'field-error', role: 'alert' }, thresholdProblem || '');
  const csv = el('a', { id: 'freshness-csv', download: '', href: 'api/history/freshness?' + new URLSearchParams({ format: 'csv', threshold_days: String(threshold), lang: store.get('i18n').lang }) },
    t('freshness.csv'));
  const links = el('p');
  links.appendChild(csv);
  const nodes = [check, field, problem, links];
  if (data && data.error && shown()) nodes.push(el('p', { className: 'error', role: 'alert' }, t('freshness.failed', { message: data.error })));
  box.replaceChildren(...nodes);
  renderMine();
}

const COLUMNS = [
  { key: 'name', label: 'freshness.table.settlement', text: true },
  { key: 'municipality', label: 'coverage.table.municipality', text: true },
  { key: 'last_updated', label: 'freshness.table.last_updated', text: true },
  { key: 'role', label: 'freshness.table.role', text: true },
];

function cellValue(row, key) {
  const i18n = store.get('i18n');
  if (key === 'name') return i18n.name(row.name_latn, row.name_cyrl);
  if (key === 'municipality') return i18n.name(row.municipality_name_latn, row.municipality_name_cyrl);
  if (key === 'role') return roleText(row.last_updated_role);
  return row.last_updated; // "yyyy-mm-dd" sorts as text
}

function sorted(rows) {
  const collator = new Intl.Collator(store.get('i18n').locale);
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = cellValue(a, sort.column);
    const y = cellValue(b, sort.column);
    if (x == null || y == null) return x == null && y == null ? 0 : x == null ? 1 : -1;
    return (sort.column === 'last_updated' ? (x < y ? -1 : x > y ? 1 : 0) : collator.compare(x, y)) * sign || a.id - b.id;
  });
}

/** The signed-in coordinator's stale settlements: a sortable table whose rows open the settlement. */
function renderMine() {
  const box = $('freshness-mine');
  if (!box) return;
  if (!isCoordinator()) { box.replaceChildren(); return; }
  if (!mine || mine.threshold !== threshold) {
    box.replaceChildren(el('h3', {}, t('freshness.mine', { days: store.get('i18n').number(threshold) })));
    if (!mine || (mine.threshold !== threshold && !thresholdProblem)) loadMine();
    return;
  }
  const { number } = store.get('i18n');
  const nodes = [el('h3', { id: 'freshness-mine-title' }, t('freshness.mine', { days: number(mine.threshold) }))];
  if (mine.error) {
    nodes.push(el('p', { className: 'error', role: 'alert' }, t('freshness.failed', { message: mine.error })));
    box.replaceChildren(...nodes);
    return;
  }
  const rows = mine.answer.settlements;
  if (rows.length === 0) {
    nodes.push(el('p', { className: 'hint', id: 'freshness-mine-count', 'data-rows': '0' }, t('freshness.mine.empty', { days: number(mine.threshold) })));
    box.replaceChildren(...nodes);
    return;
  }
  nodes.push(el('p', { className: 'hint', id: 'freshness-mine-count', 'data-rows': String(rows.length) }, t('freshness.mine.count', { count: number(mine.answer.total) })));
  if (mine.answer.truncated) nodes.push(el('p', { className: 'hint' }, t('freshness.mine.truncated', { shown: number(rows.length), count: number(mine.answer.total) })));
  const table = el('table', { id: 'freshness-mine-table', className: 'figures coverage-table' });
  table.appendChild(el('caption', { className: 'visually-hidden' }, t('freshness.mine', { days: number(mine.threshold) })));
  const thead = sortableHead('freshness-mine-table', COLUMNS, sort, (column) => t(column.label), (column) => {
    sort = { column: column.key, descending: sort.column === column.key ? !sort.descending : false };
    renderMine();
  });
  const body = el('tbody');
  for (const row of sorted(rows)) {
    const tr = el('tr', { 'data-id': String(row.id) });
    const name = el('button', { type: 'button', className: 'link' }, cellValue(row, 'name'));
    name.addEventListener('click', (event) => { event.stopPropagation(); open(row.id); });
    const first = el('td');
    first.appendChild(name);
    tr.append(first, el('td', {}, cellValue(row, 'municipality')), el('td', { 'data-day': row.last_updated || '' }, dayText(row.last_updated)),
      el('td', {}, roleText(row.last_updated_role)));
    // The whole row answers a click; the keyboard reaches it through the name's button.
    tr.addEventListener('click', () => open(row.id));
    body.appendChild(tr);
  }
  table.append(thead, body);
  const scroll = el('div', { className: 'coverage-table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'freshness-mine-title' });
  scroll.appendChild(table);
  nodes.push(scroll);
  box.replaceChildren(...nodes);
}

/** Opens a settlement's details (where a coordinator edits it), zoomed to it. */
function open(id) {
  select(id, { zoom: true });
  closePanelOnPhone();
}

/** The legend's block while the overlay is shown: the classes counted over the base, the threshold and its count. */
export function legendBlocks() {
  if (!shown() || !data || !data.layer) return [];
  const { number } = store.get('i18n');
  const features = data.layer.features;
  const counts = freshnessCounts(features, today());
  const classes = FRESHNESS_CLASSES.map((c) => ({ key: c.key, colour: c.colour, label: t('freshness.class.' + c.key) }));
  const note = t('freshness.base', { count: number(features.length) }) + ' ' +
    t('freshness.stale_note', { days: number(data.threshold), stale: number(staleTotal(features)) });
  return [legendBlock(t('freshness.legend'), classes, counts, 'overlay-freshness', note)];
}

/** The view changed (a link, the permalink): the overlay follows it. */
function viewChanged() {
  if (shown() && (!data || data.threshold !== threshold)) loadOverlay();
  sync();
  if ($('overlay-freshness')) $('overlay-freshness').checked = Boolean(shown());
}

export function wireFreshness() {
  store.subscribe('i18n', () => { if (store.get('config')) { render(); renderLegend(); } });
  store.subscribe('user', () => { mine = null; if (store.get('view')) render(); });
  store.subscribe('view', viewChanged);
}
