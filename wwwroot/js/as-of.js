// The map as of a past day (issue 23): one day, the view's asOf (the permalink's as_of; null is today),
// read by everything the map shows of the settlements: the layer or the tiles and their summary
// (settlement-layer.js), the count, the list and the download links (list-view.js's areaQuery), the
// coverage overlays (coverage.js), the OGC panel's GDAL line, the printed sheet. The server reads it
// as the state at the END of that day (UTC): settlements deleted since are there, those added after
// are not. Looking at the past is for looking: editing is off until the map is back at today.
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';

const t = (key, params) => store.get('i18n').t(key, params);

/** Today as the API's as_of names days: the UTC date. */
export function today() { return new Date().toISOString().slice(0, 10); }

/** The day the map shows, yyyy-MM-dd; null is today. */
export function asOf() {
  const view = store.get('view');
  return (view && view.asOf) || null;
}

/** Whether the map shows a past day (and editing is off). */
export const inPast = () => asOf() !== null;

/** Adds as_of to a query of the settlements when the map shows a past day; returns the query. */
export function withAsOf(query) {
  const day = asOf();
  if (day) query.set('as_of', day);
  return query;
}

/** A day in the page's language: "1 January 2019", "1. januar 2019.", "1. јануар 2019.". */
export function formatDay(day, i18n = store.get('i18n')) {
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(day + 'T00:00:00Z'));
}

/** "Map as of 1 January 2019" (the banner, the print sheet); null at today. */
export function asOfText() {
  const day = asOf();
  return day ? t('asof.banner', { date: formatDay(day) }) : null;
}

// What the map reloads when the day changes: set by wireAsOf (app.js wires it after the modules exist).
let reload = async () => {};
let totals = { today: null }; // the settlements' count today (the municipalities' sum), put back at today

/**
 * Shows the map as of a day (yyyy-MM-dd; null, today's date or a later one: today). Everything that
 * reads the settlements loads again; the permalink follows through the view.
 */
export async function setAsOf(day) {
  const next = day && /^\d{4}-\d{2}-\d{2}$/.test(day) && day < today() ? day : null;
  if (next === asOf()) { render(); return; }
  store.update('view', (v) => { v.asOf = next; });
  render();
  await reload();
}

/** The "of N" of the count: the settlements that existed that day (the viewer's, as the summary counts them). */
export async function loadTotal() {
  if (totals.today === null) totals.today = store.get('total');
  const day = asOf();
  if (!day) { store.set('total', totals.today); return; }
  try {
    const summary = await getJson('api/layers/settlements/summary?' + new URLSearchParams({ as_of: day }).toString());
    if (asOf() === day) store.set('total', summary.matched);
  } catch {
    // The count keeps today's "of N"; the layer's own failure is what the status line reports.
  }
}

function renderControl() {
  const box = $('as-of');
  if (!box) return;
  const day = asOf();
  const input = el('input', { type: 'date', id: 'as-of-date', min: '1900-01-01', max: today(), value: day || today(), 'aria-describedby': 'as-of-hint' });
  input.addEventListener('change', () => { if (input.value) setAsOf(input.value); });
  const field = el('label', { className: 'field as-of-field' });
  field.append(el('span', {}, t('asof.label')), input);
  const now = el('button', { type: 'button', id: 'as-of-today', className: 'link-button', disabled: !day }, t('asof.today'));
  now.addEventListener('click', () => setAsOf(null));
  const row = el('div', { className: 'as-of-row' });
  row.append(field, now);
  box.replaceChildren(row, el('p', { className: 'hint', id: 'as-of-hint' }, t(day ? 'asof.hint_past' : 'asof.hint', { utc: 'UTC' })));
}

function renderBanner() {
  const banner = $('as-of-banner');
  if (!banner) return;
  const text = asOfText();
  banner.hidden = text === null;
  document.body.classList.toggle('as-of-past', text !== null);
  if (text === null) { banner.replaceChildren(); return; }
  const back = el('button', { type: 'button', id: 'as-of-back' }, t('asof.back'));
  back.addEventListener('click', () => setAsOf(null));
  banner.replaceChildren(el('span', { id: 'as-of-banner-text' }, text), back);
}

export function render() {
  if (!store.get('i18n') || !store.get('view')) return;
  renderControl();
  renderBanner();
}

/**
 * Wires the control and the banner; onChange(day) reloads what the map shows. A link (hashchange)
 * with another day is applied by permalink.js, which calls render.
 */
export function wireAsOf(onChange) {
  reload = onChange;
  store.subscribe('i18n', render);
  // A banner on the map is Leaflet's business too: clicks on it must not reach the map.
  const banner = $('as-of-banner');
  if (banner && window.L) L.DomEvent.disableClickPropagation(banner);
}
