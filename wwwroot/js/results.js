// The count of settlements shown and the list of them in the panel (up to RESULT_LIST_LIMIT).
import { $, el } from './dom.js';
import { store } from './store.js';
import { settlementColour } from './legend.js';
import { select } from './details.js';
import { closePanelOnPhone } from './panel.js';

const RESULT_LIST_LIMIT = 200;

export function renderSettlementsShown() {
  const i18n = store.get('i18n');
  const { t, number, name } = i18n;
  const shown = store.get('settlements');
  const summary = store.get('shownSummary');
  const selected = store.get('view').selected;
  let people = 0;
  for (const f of shown) people += f.properties.estimated_inhabitants || 0;
  const matched = summary ? summary.matched : shown.length;
  if (summary) people = summary.estimated_inhabitants;
  $('count').textContent = t('count.shown', { n: number(matched), total: number(store.get('total')) }) + ' · ' + t('count.inhabitants', { people: number(people) });
  $('count').dataset.shown = String(matched);
  $('count').dataset.inhabitants = String(people);

  const collator = new Intl.Collator(i18n.locale);
  const sorted = shown.map((f) => f.properties)
    .map((p) => ({ p, label: name(p.name_latn, p.name_cyrl) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const items = sorted.slice(0, RESULT_LIST_LIMIT).map(({ p, label }) => {
    // Named by what it shows (name, municipality, people), not a label that hides them (axe: label-content-name-mismatch).
    const button = el('button', { type: 'button', 'data-id': String(p.id), title: t('results.zoom', { name: label }), 'aria-current': p.id === selected ? 'true' : null });
    const swatch = el('span', { className: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = settlementColour(p);
    button.append(swatch, el('span', { className: 'name' }, label),
      el('span', { className: 'meta' }, name(p.municipality_name_latn, p.municipality_name_cyrl) +
        (p.estimated_inhabitants == null ? '' : ' · ' + number(p.estimated_inhabitants))));
    button.addEventListener('click', () => { closePanelOnPhone(); select(p.id, { zoom: true }); });
    const item = el('li');
    item.appendChild(button);
    return item;
  });
  if (items.length === 0) items.push(el('li', { className: 'hint' }, summary && summary.matched > 0 ? t('results.tiles') : t('results.none')));
  $('results').replaceChildren(...items);
  const more = $('results-more');
  more.hidden = shown.length <= RESULT_LIST_LIMIT;
  more.textContent = more.hidden ? '' : t('results.more', { n: number(shown.length - RESULT_LIST_LIMIT) });
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
}
