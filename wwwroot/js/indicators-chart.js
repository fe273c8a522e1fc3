// "Indicators over time": the Strategy's indicators of one area (Serbia, a district, a municipality) at
// yearly dates from /api/history/indicators, as a uPlot line chart of one group of shares and a table of
// every figure (the chart's text alternative), with the CSV link. The map page shows it for the area of
// its filters; the report (report.js) for its own area. uPlot draws on a canvas and sets styles through
// the CSSOM only, which the page's Content-Security-Policy allows; its own legend is off: the legend
// here is a list of text, and the table holds the numbers. Text from the data goes in as textContent.
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { labelIn } from './schema.js';

/** The chart's groups: which series each draws (all percentages, so one axis). */
const GROUPS = {
  settlements: (id) => /^(water_network|sewer_network|legal_electricity|legalised)_settlements$/.test(id),
  inhabitants: (id) => /^(water_network|sewer_network|legal_electricity|legalised)_inhabitants$/.test(id),
  housing: (id) => id.startsWith('substandard_'),
  coverage: (id) => id.startsWith('coverage_municipalities:'),
};

// Okabe–Ito's colours, told apart with the common colour-vision deficiencies; every line also has its own dash.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#882255', '#999933'];
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [], [6, 3], [2, 2], [8, 3, 2, 3], []];

/** Where the server's series start without dates (IndicatorApi.DefaultFrom). */
const DEFAULT_FROM = '2016-01-01';

/** The query of a series: the area, and the last date (the map's or the report's day) when one is given. */
export function indicatorQuery({ municipality, district, until }) {
  const query = new URLSearchParams();
  if (municipality) query.set('municipality', municipality);
  else if (district) query.set('district', district);
  if (until) query.set('to', until);
  // A day before the default start (2016) is a series of that one day, not a period that ends before it begins.
  if (until && until < DEFAULT_FROM) query.set('from', until);
  return query;
}

/** The series' figures as text in the page's locale: percentages with one decimal and a % sign, counts whole. */
function formatValue(series, value, i18n) {
  if (value === null || value === undefined) return '—';
  return series.unit === 'percent' ? i18n.t('unit.pct', { value: i18n.number(value) }) : i18n.number(value);
}

/** The groups that have at least one series with a value (a viewer may not see some attributes). */
function groupsOf(answer) {
  return Object.keys(GROUPS).filter((g) => answer.indicators.some((s) => GROUPS[g](s.id) && s.values.some((v) => v !== null)));
}

function dateSeconds(day) {
  return Date.parse(day + 'T12:00:00Z') / 1000;
}

/** The table of every figure: a row per indicator, a column per date (the chart's data as text). */
function figureTable(answer, i18n, area) {
  const table = el('table', { className: 'indicator-table' });
  table.appendChild(el('caption', {}, i18n.t('indicator.caption', { area })));
  const dateFormat = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const head = el('tr');
  head.appendChild(el('th', { scope: 'col' }, i18n.t('indicator.date')));
  for (const day of answer.dates) head.appendChild(el('th', { scope: 'col', className: 'num', 'data-date': day }, dateFormat.format(new Date(day + 'T12:00:00Z'))));
  const thead = el('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  const body = el('tbody');
  for (const series of answer.indicators) {
    const row = el('tr', { 'data-indicator': series.id });
    row.appendChild(el('th', { scope: 'row' }, labelIn(series.label, i18n.lang)));
    series.values.forEach((value) => row.appendChild(el('td', { className: 'num' }, formatValue(series, value, i18n))));
    body.appendChild(row);
  }
  table.appendChild(body);
  return table;
}

function drawChart(box, answer, group, i18n, area) {
  box.replaceChildren();
  const shown = answer.indicators.filter((s) => GROUPS[group](s.id));
  const width = Math.max(240, Math.min(720, box.clientWidth || 300));
  const dateFormat = new Intl.DateTimeFormat(i18n.locale, { year: 'numeric', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: 0 });
  const chartBox = el('div', { className: 'indicator-canvas', role: 'img',
    'aria-label': i18n.t('indicator.chart', { group: i18n.t('indicator.group.' + group), area }) });
  box.appendChild(chartBox);
  const options = {
    width,
    height: 220,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false }, y: { range: [0, 100] } },
    axes: [
      { values: (u, splits) => splits.map((v) => dateFormat.format(new Date(v * 1000))), space: 60 },
      { values: (u, splits) => splits.map((v) => numbers.format(v) + ' %'), size: 56 },
    ],
    series: [{}, ...shown.map((s, i) => ({ label: labelIn(s.label, i18n.lang), stroke: COLOURS[i % COLOURS.length], dash: DASHES[i % DASHES.length],
      width: 2, points: { show: true, size: 6 }, spanGaps: false }))],
  };
  const data = [answer.dates.map(dateSeconds), ...shown.map((s) => s.values)];
  const chart = new window.uPlot(options, data, chartBox);
  const legend = el('ul', { className: 'indicator-legend' });
  shown.forEach((s, i) => {
    const item = el('li', { 'data-indicator': s.id });
    const swatch = el('span', { className: 'indicator-swatch', 'aria-hidden': 'true' });
    swatch.style.borderTopColor = COLOURS[i % COLOURS.length];
    swatch.style.borderTopStyle = DASHES[i % DASHES.length].length ? 'dashed' : 'solid';
    item.append(swatch, document.createTextNode(labelIn(s.label, i18n.lang)));
    legend.appendChild(item);
  });
  box.appendChild(legend);
  return chart;
}

/**
 * Draws the section into container: the chart of one group (chosen with a select), its legend, the table of
 * every figure, the CSV link and a note. Returns { chart, group } for the test hook; idPrefix keeps ids unique.
 */
export function renderIndicators(container, answer, i18n, { csvQuery, idPrefix = 'indicators' } = {}) {
  const area = labelIn(answer.area.name, i18n.lang);
  const groups = groupsOf(answer);
  const previous = container.querySelector('select.indicator-group');
  let group = previous && groups.includes(previous.value) ? previous.value : groups[0];
  const nodes = [];
  const chartBox = el('div', { className: 'indicator-chart', 'data-area': answer.area.code || 'serbia' });
  let chart = null;
  if (groups.length > 0) {
    const label = el('label', { className: 'field' });
    label.appendChild(el('span', {}, i18n.t('indicator.group')));
    const select = el('select', { className: 'indicator-group', id: idPrefix + '-group' });
    for (const g of groups) select.appendChild(el('option', { value: g }, i18n.t('indicator.group.' + g)));
    select.value = group;
    select.addEventListener('change', () => {
      group = select.value;
      if (chart) chart.destroy();
      chart = drawChart(chartBox, answer, group, i18n, area);
      container.dataset.group = group;
    });
    label.appendChild(select);
    nodes.push(label);
  }
  nodes.push(chartBox);
  const scroll = el('div', { className: 'table-scroll indicator-scroll', role: 'region', tabindex: '0', 'aria-label': i18n.t('indicator.caption', { area }) });
  scroll.appendChild(figureTable(answer, i18n, area));
  nodes.push(scroll);
  const csv = new URLSearchParams(csvQuery || '');
  csv.set('format', 'csv');
  csv.set('lang', i18n.lang);
  const link = el('p');
  link.appendChild(el('a', { href: 'api/history/indicators?' + csv.toString(), id: idPrefix + '-csv', download: '' }, i18n.t('indicator.csv')));
  nodes.push(link);
  nodes.push(el('p', { className: 'hint' }, i18n.t('indicator.note')));
  container.replaceChildren(...nodes);
  if (group) chart = drawChart(chartBox, answer, group, i18n, area);
  container.dataset.group = group || '';
  return { get chart() { return chart; } };
}

/** Loads and draws the series of query into container; a failure is said in the section, in the page's language. */
export async function loadIndicators(container, query, i18n, idPrefix) {
  container.replaceChildren(el('p', { className: 'hint' }, i18n.t('indicator.loading')));
  try {
    const answer = await getJson('api/history/indicators?' + query.toString());
    renderIndicators(container, answer, i18n, { csvQuery: query, idPrefix });
    return answer;
  } catch (error) {
    container.replaceChildren(el('p', { className: 'error', role: 'alert' }, i18n.t('indicator.failed', { message: error.message })));
    return null;
  }
}

/**
 * The map page's section: follows the area of the filters (district or municipality; Serbia without one)
 * and the map's day, loading only when one of them changes, and redraws in a new language from what it has.
 */
export function wireIndicatorsPanel(store) {
  const container = $('indicators');
  if (!container) return;
  let key = null;
  let answer = null;
  let loading = null;
  const queryOf = () => {
    const view = store.get('view');
    return indicatorQuery({ municipality: view.filters.municipality, district: view.filters.district, until: view.asOf });
  };
  const refresh = async () => {
    if (!store.get('view') || !store.get('i18n')) return;
    const query = queryOf();
    if (query.toString() === key) return;
    key = query.toString();
    loading = loadIndicators(container, query, store.get('i18n'), 'indicators');
    const loaded = await loading;
    if (key === query.toString()) answer = loaded;
  };
  store.subscribe('view', refresh);
  store.subscribe('i18n', () => {
    if (answer) renderIndicators(container, answer, store.get('i18n'), { csvQuery: queryOf(), idPrefix: 'indicators' });
    else refresh();
  });
  return { get loading() { return loading; } };
}
