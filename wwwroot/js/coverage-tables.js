// "Which municipalities with settlements have no health mediator?": for a chosen kind (or the gap), the
// municipalities of the base lacking it as a sortable table with a CSV download (both from the server's
// /api/coverage/gaps, which applies the viewer's disclosure). Choosing a row shows the municipality on the map.
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { zoomBesideDetails } from './map.js';
import { closePanelOnPhone } from './panel.js';
import { sortableHead } from './sortable-table.js';

const GAP = 'gap';
let context = null; // { kinds, label(kind), asOf, base } from coverage.js
let chosen = '';
let answer = null; // the server's table for chosen/asOf
let sort = { column: 'estimated_inhabitants', descending: true };
let loadId = 0;
const t = (key, params) => store.get('i18n').t(key, params);

function url(format) {
  const params = new URLSearchParams({ kind: chosen });
  // As coverage.js's figures: a chosen day counts the settlements of then, today's default reads today's.
  if (store.get('view').asOf) params.set('as_of', context.asOf);
  if (format) {
    params.set('format', format);
    params.set('lang', store.get('i18n').lang);
  }
  return 'api/coverage/gaps?' + params.toString();
}

/** Renders the chooser and, for a chosen kind, its table; called by coverage.js whenever the coverage changes. */
export function renderCoverageTable(next) {
  const box = $('coverage-tables');
  if (!box) return;
  const dayChanged = !context || !next || context.asOf !== next.asOf;
  context = next;
  if (!context) { box.replaceChildren(); return; }
  if (dayChanged) answer = null;
  render();
  if (chosen && !answer) load();
}

async function load() {
  const id = ++loadId;
  const wanted = { kind: chosen, asOf: context.asOf };
  try {
    const table = await getJson(url());
    if (id !== loadId) return;
    answer = { ...wanted, table };
  } catch (error) {
    if (id !== loadId) return;
    answer = { ...wanted, error: error.message };
  }
  render();
}

function render() {
  const box = $('coverage-tables');
  const select = el('select', { id: 'coverage-table-kind' });
  select.appendChild(el('option', { value: '' }, t('coverage.table.none')));
  for (const kind of context.kinds) select.appendChild(el('option', { value: kind.key }, context.label(kind)));
  select.appendChild(el('option', { value: GAP }, t('coverage.table.gap')));
  select.value = chosen;
  select.addEventListener('change', () => {
    chosen = select.value;
    answer = null;
    render();
    if (chosen) load();
    $('coverage-table-kind').focus();
  });
  const field = el('label', { className: 'field' });
  field.append(el('span', {}, t('coverage.table.choose')), select);
  const nodes = [el('h3', {}, t('coverage.table.title')), field];
  if (chosen && answer && answer.kind === chosen && answer.asOf === context.asOf) {
    nodes.push(...(answer.error ? [el('p', { className: 'error', role: 'alert' }, t('coverage.table.failed', { message: answer.error }))] : tableNodes(answer.table)));
  }
  box.replaceChildren(...nodes);
}

const COLUMNS = [
  { key: 'name', label: 'coverage.table.municipality', text: true },
  { key: 'district', label: 'coverage.table.district', text: true },
  { key: 'settlements', label: 'coverage.settlements' },
  { key: 'estimated_inhabitants', label: 'coverage.population' },
];

function districtName(row) {
  const i18n = store.get('i18n');
  return i18n.lang === 'en' ? row.district_name_en : i18n.name(row.district_name_latn, row.district_name_cyrl);
}

function cellValue(row, key) {
  if (key === 'name') return store.get('i18n').name(row.name_latn, row.name_cyrl);
  if (key === 'district') return districtName(row);
  return row[key];
}

/** The rows in the chosen order: names by the language's collation, numbers with the unknown last either way. */
function sorted(rows) {
  const collator = new Intl.Collator(store.get('i18n').locale);
  const column = COLUMNS.find((c) => c.key === sort.column);
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = cellValue(a, sort.column);
    const y = cellValue(b, sort.column);
    if (x == null || y == null) return x == null && y == null ? 0 : x == null ? 1 : -1;
    const order = column.text ? collator.compare(x, y) : x - y;
    return order * sign || collator.compare(cellValue(a, 'name'), cellValue(b, 'name'));
  });
}

function tableNodes(table) {
  const { number } = store.get('i18n');
  const rows = table.municipalities;
  const showsInhabitants = rows.length === 0 || 'estimated_inhabitants' in rows[0];
  const columns = COLUMNS.filter((c) => c.key !== 'estimated_inhabitants' || showsInhabitants);
  if (!columns.some((c) => c.key === sort.column)) sort = { column: 'settlements', descending: true };
  const count = el('p', { className: 'hint', id: 'coverage-table-count', 'data-rows': String(rows.length), 'data-base': String(table.base_municipalities) },
    t('coverage.table.count', { rows: number(rows.length), count: number(table.base_municipalities) }));
  const csv = el('a', { href: url('csv'), id: 'coverage-table-csv', download: '' }, t('coverage.table.csv', { format: 'CSV' }));
  const links = el('p', { className: 'coverage-table-links' });
  links.append(csv);
  if (rows.length === 0) return [count, el('p', { className: 'hint' }, t('coverage.table.empty')), links];

  const tableNode = el('table', { id: 'coverage-table', className: 'figures coverage-table' });
  tableNode.appendChild(el('caption', { className: 'visually-hidden', id: 'coverage-table-caption' }, t('coverage.table.choose') + ' ' + selectedLabel()));
  const thead = sortableHead('coverage-table', columns.map((c) => ({ ...c, className: c.text ? null : 'num' })), sort, (column) => t(column.label), (column) => {
    sort = { column: column.key, descending: sort.column === column.key ? !sort.descending : !column.text };
    render();
  });
  const body = el('tbody');
  for (const row of sorted(rows)) {
    const tr = el('tr', { 'data-code': row.code });
    const name = el('button', { type: 'button', className: 'link' }, cellValue(row, 'name'));
    name.addEventListener('click', (event) => { event.stopPropagation(); show(row.code); });
    const first = el('td');
    first.appendChild(name);
    if (chosen === GAP) first.appendChild(el('span', { className: 'missing' }, row.missing.map(kindName).join(', ')));
    tr.appendChild(first);
    tr.appendChild(el('td', {}, districtName(row)));
    tr.appendChild(el('td', { className: 'num' }, number(row.settlements)));
    if (showsInhabitants) tr.appendChild(el('td', { className: 'num' }, row.estimated_inhabitants == null ? '—' : number(row.estimated_inhabitants)));
    // The whole row answers a click; the keyboard reaches it through the name's button.
    tr.addEventListener('click', () => show(row.code));
    body.appendChild(tr);
  }
  tableNode.append(thead, body);
  // A scrolling region is reachable from the keyboard (it scrolls with the arrow keys once focused).
  const scroll = el('div', { className: 'coverage-table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'coverage-table-caption' });
  scroll.appendChild(tableNode);
  return [count, el('p', { className: 'hint' }, t('coverage.table.hint')), scroll, links];
}

function kindName(key) {
  const kind = context.kinds.find((k) => k.key === key);
  return kind ? context.label(kind) : t('coverage.kind.' + key);
}

function selectedLabel() {
  if (chosen === GAP) return t('coverage.table.gap');
  return kindName(chosen);
}

/** Shows a municipality on the map: its outline fitted into the visible part of the map. */
function show(code) {
  const feature = store.get('municipalities').features.find((f) => f.properties.code === code);
  if (!feature) return;
  for (const tr of document.querySelectorAll('#coverage-table tr[aria-current]')) tr.removeAttribute('aria-current');
  document.querySelector(`#coverage-table tr[data-code="${CSS.escape(code)}"]`)?.setAttribute('aria-current', 'true');
  zoomBesideDetails(L.geoJSON(feature).getBounds());
  closePanelOnPhone();
}
