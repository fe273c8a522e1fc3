// The report page's "Measures" section (issue 26): monitoring of the local action plans' measures for a municipality,
// a district or Serbia from GET /api/reports/measures — by priority area and status, over time, budgets, outcomes and
// the gaps, with the same tables as CSV. Area, status and currency labels come from /api/measures/lists, attributes and
// their values from /api/config; data reaches the page only as text (el()).
import { el } from './dom.js';
import { getJson } from './api.js';
import { labelIn, labeller } from './schema.js';

function table(id, headers, rows, numeric) {
  const node = el('table', { id });
  const head = el('tr');
  headers.forEach((h, i) => head.appendChild(el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, h)));
  node.appendChild(head);
  for (const row of rows) {
    const tr = el('tr', row.attributes || {});
    row.cells.forEach((cell, i) => tr.appendChild(el('td', { class: numeric.includes(i) ? 'num' : null, ...(row.cellAttributes?.[i] || {}) }, cell)));
    node.appendChild(tr);
  }
  return node;
}

/** The API's query for a place: municipality, district, or nothing for Serbia; with the report's day. */
export function measuresQuery(place, asOf) {
  const query = new URLSearchParams();
  if (place.municipality) query.set('municipality', place.municipality);
  else if (place.district) query.set('district', place.district);
  if (asOf) query.set('as_of', asOf);
  return query;
}

/** The section's nodes for a place ({ municipality } | { district } | {} for Serbia). */
export async function measuresSection(place, asOf, config, i18n) {
  const { t, number } = i18n;
  const query = measuresQuery(place, asOf);
  const [r, vocabulary] = await Promise.all([getJson('api/reports/measures?' + query.toString()), getJson('api/measures/lists')]);
  const label = labeller(config, i18n.lang);
  const listed = (list, value) => {
    const found = (vocabulary.lists[list] || []).find((v) => v.value === value);
    return found ? labelIn(found.label, i18n.lang) : value;
  };
  const areas = (vocabulary.lists.priority_area || []).map((v) => v.value);
  const statuses = (vocabulary.lists.measure_status || []).map((v) => v.value);
  const text = (value) => (value === null || value === undefined ? '—' : String(value));
  const value = (attribute, v) => (v === null || v === undefined ? '—' : typeof v === 'number' ? number(v) : label.valueOf(attribute, v));

  const section = el('section', { id: 'report-measures', 'data-area-kind': r.area.kind });
  section.append(el('h2', { id: 'report-measures-title' }, t('measures.report.title')));
  section.append(el('p', { class: 'meta', id: 'report-measures-intro' }, t('measures.report.intro', { day: r.as_of, n: number(r.measures) })));
  const csv = new URLSearchParams(query);
  csv.set('format', 'csv');
  csv.set('lang', i18n.lang);
  const download = el('p', { class: 'no-print' });
  download.append(el('a', { id: 'report-measures-csv', href: 'api/reports/measures?' + csv.toString(), download: '' }, t('measures.report.csv')));
  section.append(download);
  if (r.measures === 0) {
    section.append(el('p', {}, t('measures.report.none')));
  }

  // Priority area × status, with totals.
  const count = (counts, area, status) => counts.filter((c) => (area === null || c.priority_area === area) && (status === null || c.status === status))
    .reduce((sum, c) => sum + c.count, 0);
  section.append(el('h3', {}, t('measures.report.by_status')));
  section.append(table('report-measures-status',
    [t('measures.report.area'), ...statuses.map((s) => listed('measure_status', s)), t('measures.report.total')],
    [...areas, null].map((area) => ({
      attributes: { 'data-area': area ?? 'total' },
      cells: [area === null ? t('measures.report.total') : listed('priority_area', area), ...statuses.map((s) => number(count(r.by_status, area, s))), number(count(r.by_status, area, null))],
      cellAttributes: Object.fromEntries(statuses.map((s, i) => [i + 1, { 'data-status': s }])),
    })), statuses.map((_, i) => i + 1).concat(statuses.length + 1)));

  // Over time: each quarter's statuses (every area); the CSV has them by area too.
  section.append(el('h3', {}, t('measures.report.over_time')));
  section.append(table('report-measures-time',
    [t('measures.report.quarter'), ...statuses.map((s) => listed('measure_status', s)), t('measures.report.total')],
    r.over_time.map((q) => ({
      attributes: { 'data-day': q.day },
      cells: [q.day, ...statuses.map((s) => number(count(q.counts, null, s))), number(count(q.counts, null, null))],
    })), statuses.map((_, i) => i + 1).concat(statuses.length + 1)));

  section.append(el('h3', {}, t('measures.report.budgets')));
  if (r.budgets.restricted) {
    section.append(el('p', { id: 'report-measures-budgets-restricted', class: 'notice' }, t('measures.report.budgets_restricted')));
  } else {
    section.append(table('report-measures-budgets',
      [t('measures.report.area'), t('measures.report.currency'), t('measures.report.measures'), t('measures.report.planned'), t('measures.report.spent')],
      r.budgets.totals.map((b) => ({
        attributes: { 'data-area': b.priority_area, 'data-currency': b.currency },
        cells: [listed('priority_area', b.priority_area), listed('currency', b.currency), number(b.measures), number(b.planned), number(b.spent)],
      })), [2, 3, 4]));
  }

  section.append(el('h3', {}, t('measures.report.outcomes')));
  if (r.outcomes.length === 0) section.append(el('p', {}, t('measures.report.none')));
  else {
    const title = (o) => (i18n.lang === 'en' && o.title_en ? o.title_en : i18n.name(o.title_latn, o.title_cyrl));
    section.append(table('report-measures-outcomes',
      [t('measures.report.measure'), t('measures.report.done_on'), t('measures.report.settlement'), t('measures.report.attribute'), t('measures.report.target'),
        t('measures.report.value_at_done'), t('measures.report.value_now'), t('measures.report.outcome'), t('measures.report.reached_on')],
      r.outcomes.map((o) => ({
        attributes: { 'data-measure': String(o.measure_id), 'data-settlement': o.settlement.code, 'data-outcome': o.outcome },
        cells: [title(o), o.done_on, i18n.name(o.settlement.name_latn, o.settlement.name_cyrl), label.field(o.attribute), value(o.attribute, o.target),
          value(o.attribute, o.value_at_done), value(o.attribute, o.value_now), t('measures.report.outcome.' + o.outcome), text(o.reached_on)],
      })), []));
  }

  section.append(el('h3', {}, t('measures.report.gaps')));
  const gaps = el('table', { id: 'report-measures-gaps' });
  const head = el('tr');
  for (const [i, h] of [t('measures.report.attribute'), t('measures.report.target'), t('measures.report.settlements'), t('measures.report.map')].entries()) {
    head.appendChild(el('th', { scope: 'col', class: i === 2 ? 'num' : null }, h));
  }
  gaps.appendChild(head);
  for (const g of r.gaps) {
    // The link is the server's (one place builds it, for the CSV too).
    const link = el('td');
    link.append(el('a', { href: g.map_link, 'data-gap-link': g.attribute }, t('measures.report.show_on_map')));
    const row = el('tr', { 'data-attribute': g.attribute });
    row.append(el('td', {}, label.field(g.attribute)), el('td', {}, value(g.attribute, g.target)), el('td', { class: 'num' }, number(g.settlements)), link);
    gaps.appendChild(row);
  }
  section.append(gaps);
  return section;
}
