// The printable summary of one municipality or district (/api/reports/summary), in the language
// chosen on the map. Text from the data is only ever set with textContent.
import { LANGUAGES, noticeFor, pageTranslator } from './i18n.js';
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { exposeTestHook } from './test-hook.js';
import { labelIn, labeller } from './schema.js';
import { indicatorQuery, loadIndicators } from './indicators-chart.js';
import { measuresSection } from './report-measures.js';


const i18n = pageTranslator();
const { t, number, name } = i18n;


function table(headers, rows, numeric) {
  const tableNode = el('table');
  const head = el('tr');
  headers.forEach((h, i) => head.appendChild(el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, h)));
  tableNode.appendChild(head);
  for (const row of rows) {
    const tr = el('tr', row.attributes || {});
    (row.cells || row).forEach((cell, i) => tr.appendChild(el('td', { class: numeric.includes(i) ? 'num' : null }, cell)));
    tableNode.appendChild(tr);
  }
  return tableNode;
}

/** The settlement list's columns, in order, when the viewer sees them. */
const LIST_COLUMNS = ['municipality_code', 'estimated_inhabitants', 'households', 'water_supply', 'sewerage', 'electricity', 'legal_status',
  'substandard_share_pct', 'distance_to_primary_school_m', 'distance_to_health_centre_m', 'flood_zone', 'eviction_threat'];

const dash = (value, format = number) => (value === null || value === undefined ? '—' : format(value));

async function load() {
  const params = new URLSearchParams(location.search);
  document.documentElement.lang = i18n.lang;
  $('back').textContent = t('report.back');
  $('since-label').textContent = t('report.since');
  $('as-of-label').textContent = t('report.as_of_label');
  $('as-of').value = params.get('as_of') || '';
  $('show').textContent = t('report.show');
  $('print').textContent = t('report.print');
  $('since').value = params.get('since') || '';
  const report = $('report');
  const serbia = params.get('place') === 'serbia';
  renderPlaceChoice(params, serbia);
  // Serbia has the measures' national tables only (the summary is of a municipality or district).
  if (serbia) {
    try {
      const config = await getJson('api/config');
      document.title = t('measures.report.title') + ': ' + t('measures.report.serbia') + ' — SettlementMap';
      report.replaceChildren(el('h1', { id: 'report-title' }, t('measures.report.title') + ': ' + t('measures.report.serbia')),
        await measuresSection({}, params.get('as_of'), config, i18n));
    } catch (error) {
      report.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('report.failed', { message: error.message })));
    }
    return;
  }
  // Without an area the API can only refuse; say what a report is of, in the page's language.
  if (!params.get('municipality') && !params.get('district')) {
    report.replaceChildren(el('p', { id: 'report-choose-area', class: 'error', role: 'alert' }, t('report.choose_area')));
    return;
  }
  try {
    const summary = new URLSearchParams(params);
    summary.delete('place'); // the page's own choice, not the API's
    const [body, config] = await Promise.all([getJson('api/reports/summary?' + summary.toString()), getJson('api/config')]);
    render(report, body, config);
    report.append(await measuresSection({ municipality: params.get('municipality'), district: params.get('district') }, params.get('as_of'), config, i18n));
    // The area's indicators over time, up to the report's day: a chart and the table of its figures.
    const indicators = el('div', { id: 'report-indicators', className: 'indicators' });
    report.append(el('h2', { id: 'report-indicators-title' }, t('indicator.title')), indicators);
    await loadIndicators(indicators, indicatorQuery({ municipality: params.get('municipality'), district: params.get('district'), until: params.get('as_of') }),
      i18n, 'report-indicators');
  } catch (error) {
    report.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('report.failed', { message: error.message })));
  }
}

function render(report, r, config) {
  const notice = noticeFor(config.data_notice, i18n.lang);
  // Attributes and their values are labelled by the schema of /api/config.
  const label = labeller(config, i18n.lang);
  const field = label.field;
  const area = name(r.area.name_latn, r.area.name_cyrl);
  // Municipalities and programmes by name in the page's language; the code only if the name is missing.
  const named = (names, code) => (names && names[code] ? labelIn(names[code], i18n.lang) : code);
  const municipalityName = (code) => named(r.names.municipalities, code);
  const programmeName = (code) => named(r.names.programmes, code);
  document.title = t('report.title') + ': ' + area + ' — SettlementMap';
  const nodes = [
    el('h1', { id: 'report-title' }, t('report.title') + ': ' + area),
    // With as_of the settlements too are as they were that day; without it, as they are now (and the coverage today's).
    el('p', { class: 'meta' }, t(new URLSearchParams(location.search).has('as_of') ? 'report.state_as_of' : 'report.as_of', { day: r.as_of }) + ' · ' +
      t('report.generated', { when: new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date()) })),
  ];
  if (r.area.kind === 'district') nodes.push(el('p', { class: 'meta' }, t('report.municipalities') + ': ' + r.area.municipalities.map(municipalityName).sort(new Intl.Collator(i18n.locale).compare).join(', ')));
  if (notice) nodes.push(el('p', { class: 'notice', id: 'report-notice' }, notice));

  nodes.push(el('h2', {}, t('report.totals')));
  nodes.push(table([t('report.value'), ''], [
    { attributes: { 'data-total': 'settlements' }, cells: [t('report.settlements'), number(r.totals.settlements)] },
    { attributes: { 'data-total': 'estimated_inhabitants' }, cells: [field('estimated_inhabitants'), number(r.totals.estimated_inhabitants)] },
    { attributes: { 'data-total': 'households' }, cells: [field('households'), number(r.totals.households)] },
    { attributes: { 'data-total': 'dwellings' }, cells: [field('dwelling_count'), number(r.totals.dwellings)] },
    // Absent when the viewer does not see the water supply of every settlement of the area.
    ...(r.without_water_network === null ? [] : [{ attributes: { 'data-total': 'without_water_network' }, cells: [t('report.without_water'), number(r.without_water_network)] }]),
    { attributes: { 'data-total': 'without_estimate' }, cells: [t('report.without_estimate'), number(r.totals.settlements_without_estimate)] },
    ...(r.totals.settlements_generalised > 0 ? [{ attributes: { 'data-total': 'generalised' }, cells: [
      t('report.generalised', { n: number((config.generalisation || {}).threshold ?? 0) }), number(r.totals.settlements_generalised)] }] : []),
  ], [1]));

  nodes.push(el('h2', {}, t('report.shares')));
  const grid = el('div', { class: 'grid' });
  for (const [name, shares] of Object.entries(r.shares)) {
    const section = el('section', { 'data-share': name });
    section.appendChild(el('h3', {}, field(name)));
    section.appendChild(table([t('report.value'), t('report.count'), t('report.percent')],
      shares.map((s) => ({ attributes: { 'data-value': s.value }, cells: [label.valueOf(name, s.value), number(s.count), t('unit.pct', { value: number(s.percent) })] })), [1, 2]));
    grid.appendChild(section);
  }
  nodes.push(grid);

  nodes.push(el('h2', {}, t('report.access')));
  nodes.push(table([t('report.value'), t('report.known'), t('report.median'), t('report.mean'), t('report.max'), t('report.over_2km')],
    r.access.map((a) => ({ attributes: { 'data-access': a.field }, cells: [field(a.field), number(a.known), dash(a.median), dash(a.mean), dash(a.max), number(a.over_2000_m)] })),
    [1, 2, 3, 4, 5]));

  nodes.push(el('h2', {}, t('report.coverage')));
  if (r.coverage.length === 0) nodes.push(el('p', {}, t('report.none')));
  else {
    nodes.push(table([t('coverage.kind'), field('municipality_code'), t('report.number'), t('report.period')],
      r.coverage.map((c) => ({
        attributes: { 'data-kind': c.programme_code ? 'programme:' + c.programme_code : c.kind },
        cells: [c.programme_code ? programmeName(c.programme_code) : t('coverage.kind.' + c.kind), municipalityName(c.municipality_code), dash(c.count),
          (c.valid_from || '…') + ' – ' + (c.valid_to || '…')],
      })), [2]));
  }

  if (r.changes_since) {
    const c = r.changes_since;
    nodes.push(el('h2', {}, t('report.changes', { day: c.since })));
    nodes.push(el('p', { 'data-changes': String(c.changes) }, t('report.changes_count', { n: number(c.changes), m: number(c.settlements_changed.length) })));
    nodes.push(table([t('report.value'), t('report.then'), t('report.now')], [
      [t('report.settlements'), number(c.then.settlements), number(r.totals.settlements)],
      [field('estimated_inhabitants'), number(c.then.estimated_inhabitants), number(r.totals.estimated_inhabitants)],
      ...(r.without_water_network === null ? [] : [[t('report.without_water'), number(c.then_without_water_network), number(r.without_water_network)]]),
    ], [1, 2]));
  }

  nodes.push(el('h2', {}, t('report.list')));
  // The columns the viewer sees (/api/config lists only those); a value hidden in one settlement is a dash.
  const shown = new Set(config.attributes.map((a) => a.name));
  const columns = LIST_COLUMNS.filter((c) => shown.has(c));
  const numeric = (c) => ['whole_number', 'number'].includes((config.attributes.find((a) => a.name === c) || {}).type);
  const cell = (s, c) => {
    if (c === 'estimated_inhabitants' && s.estimated_inhabitants_below != null) return t('report.fewer_than', { n: number(s.estimated_inhabitants_below) });
    if (c === 'municipality_code') return municipalityName(s[c]);
    if (c === 'substandard_share_pct') return dash(s[c], (v) => t('unit.pct', { value: number(v) }));
    return numeric(c) ? dash(s[c]) : (s[c] === undefined ? '—' : label.valueOf(c, s[c]));
  };
  nodes.push(table(
    [t('report.settlements'), ...columns.map(field)],
    r.settlements.map((s) => ({
      attributes: { 'data-id': String(s.id) },
      cells: [name(s.name_latn, s.name_cyrl), ...columns.map((c) => cell(s, c))],
    })), columns.map((c, i) => (numeric(c) ? i + 1 : -1)).filter((i) => i > 0)));
  report.replaceChildren(...nodes);
}

$('report-controls').addEventListener('submit', (event) => {
  event.preventDefault();
  const params = new URLSearchParams(location.search);
  if ($('since').value) params.set('since', $('since').value); else params.delete('since');
  if ($('as-of').value) params.set('as_of', $('as-of').value); else params.delete('as_of');
  location.search = params.toString();
});
$('print').addEventListener('click', () => window.print());

/**
 * The place choice: besides the area of the link (municipality or district), Serbia, for the measures' national tables
 * (place=serbia, keeping the day). A link, so it also opens in a new tab; not shown on Serbia's own page.
 */
function renderPlaceChoice(params, serbia) {
  const link = $('place-serbia');
  link.textContent = t('measures.report.place_serbia');
  const target = new URLSearchParams({ place: 'serbia' });
  if (params.get('as_of')) target.set('as_of', params.get('as_of'));
  link.href = 'report.html?' + target.toString();
  link.hidden = serbia;
}

exposeTestHook({ ready: load(), languages: LANGUAGES });
