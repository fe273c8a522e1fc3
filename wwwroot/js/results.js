// The count of settlements shown and the list of them in the panel (RESULT_LIST_LIMIT at a time, more on
// request, so every one is reachable from the keyboard), and what the map says when the filters match none.
import { $, el } from './dom.js';
import { store } from './store.js';
import { isFiltered } from './state.js';
import { settlementColour, swatchOf } from './legend.js';
import { select } from './details.js';
import { closePanelOnPhone } from './panel.js';
import { countText, listing, matchedCount } from './list-view.js';

const RESULT_LIST_LIMIT = 200;

let listed = RESULT_LIST_LIMIT; // how many of the settlements shown the list holds
let listedOf = null; // the settlements array it was counted for: a new load lists the first page again

/** The count over the list (while a load runs, that it loads: the figures would be the last ones, or "0 of N") and the map's empty state. */
function renderCount({ settlements: shown, summary, inView } = listing()) {
  const i18n = store.get('i18n');
  const { t, number } = i18n;
  let people = 0;
  for (const f of shown) people += f.properties.estimated_inhabitants || 0;
  const matched = summary ? summary.matched : shown.length;
  if (summary) people = summary.estimated_inhabitants;
  $('count').textContent = store.get('loading') ? t('status.loading')
    : countText(i18n, matched, matchedCount(), inView) + ' · ' + t('count.inhabitants', { people: number(people) });
  $('count').dataset.shown = String(matched);
  $('count').dataset.inhabitants = String(people);
  renderMapEmpty(matchedCount()); // the filters' match anywhere, not only in the view
}

export function renderSettlementsShown() {
  const current = listing(); // all that match the filters, or those in the map view
  renderCount(current);
  const i18n = store.get('i18n');
  const { t, number, name } = i18n;
  const { settlements: shown, summary, inView } = current;
  const selected = store.get('view').selected;
  const collator = new Intl.Collator(i18n.locale);
  const sorted = shown.map((f) => f.properties)
    .map((p) => ({ p, label: name(p.name_latn, p.name_cyrl) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  // A new load lists the first page again (the in-view listing is a new array on every call: compare the load's).
  if (listedOf !== store.get('settlements')) { listed = RESULT_LIST_LIMIT; listedOf = store.get('settlements'); }
  const items = sorted.slice(0, listed).map(({ p, label }) => {
    // Named by what it shows (name, municipality, people), not a label that hides them (axe: label-content-name-mismatch).
    const button = el('button', { type: 'button', 'data-id': String(p.id), title: t('results.zoom', { name: label }), 'aria-current': p.id === selected ? 'true' : null });
    button.append(swatchOf({ colour: settlementColour(p) }), el('span', { className: 'name' }, label),
      el('span', { className: 'meta' }, name(p.municipality_name_latn, p.municipality_name_cyrl) +
        (p.estimated_inhabitants == null ? '' : ' · ' + number(p.estimated_inhabitants))));
    button.addEventListener('click', () => { closePanelOnPhone(); select(p.id, { zoom: true }); });
    const item = el('li');
    item.appendChild(button);
    return item;
  });
  if (items.length === 0) items.push(el('li', { className: 'hint' }, summary && summary.matched > 0 ? t('results.tiles') : t(inView ? 'results.none_in_view' : 'results.none')));
  $('results').replaceChildren(...items);
  renderListMore(sorted.length);
}

/** Under a long list: how many it holds, and a button listing the next RESULT_LIST_LIMIT (focus goes to the first of them). */
function renderListMore(count) {
  const { t, number } = store.get('i18n');
  const more = $('results-more');
  more.hidden = count <= listed;
  if (more.hidden) { more.replaceChildren(); return; }
  const button = el('button', { type: 'button', id: 'results-show-more', className: 'link-button' },
    t('results.show_more', { n: number(Math.min(RESULT_LIST_LIMIT, count - listed)) }));
  button.addEventListener('click', () => {
    const first = listed;
    listed += RESULT_LIST_LIMIT;
    renderSettlementsShown();
    const buttons = $('results').querySelectorAll('button[data-id]');
    if (buttons[first]) buttons[first].focus();
  });
  more.replaceChildren(document.createTextNode(t('results.listed', { shown: number(listed), total: number(count) }) + ' '), button);
}

/** Over the map, when the filters match no settlement: says so, with a way to clear them (filters.js wires the button). */
function renderMapEmpty(matched) {
  const empty = $('map-empty');
  empty.hidden = store.get('loading') || matched > 0 || !isFiltered(store.get('view').filters);
}

/** Up and down arrows move between the list's buttons (Tab and Enter work as for any button). */
function moveInList(event) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const buttons = [...$('results').querySelectorAll('button[data-id]')];
  const at = buttons.indexOf(document.activeElement);
  if (at < 0) return;
  event.preventDefault();
  const next = buttons[at + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) next.focus();
  else if (event.key === 'ArrowDown' && !$('results-more').hidden) $('results-show-more').focus();
}

/** Marks the selected settlement's button in the list. */
export function markSelectedResult() {
  const selected = store.get('view').selected;
  for (const button of $('results').querySelectorAll('button[data-id]')) {
    if (Number(button.dataset.id) === selected) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}

export function wireResults() {
  store.subscribe('i18n', () => { if (store.get('config')) renderSettlementsShown(); });
  store.subscribe('loading', () => { if (store.get('view')) renderCount(); });
  $('results').addEventListener('keydown', moveInList);
}
