// Search in both scripts: settlements and municipalities as a combobox list under the input, a page at a
// time ("show more" is the list's last option); the coordinator's own municipalities first, marked.
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { zoomBesideDetails } from './map.js';
import { select } from './details.js';
import { closePanelOnPhone } from './panel.js';

const PAGE = 12; // results a request asks for; "show more" asks for the next page

let searchTimer = null;
let searchController = null;
let searchText = '';
let searchResults = [];
let searchPage = null; // the last answer's total, next_offset and within
let activeResult = -1;

export function closeSearch() {
  if (searchController) searchController.abort();
  const list = $('search-results');
  list.hidden = true;
  list.replaceChildren();
  $('search-input').setAttribute('aria-expanded', 'false');
  $('search-input').removeAttribute('aria-activedescendant');
  activeResult = -1;
}

/** Searches for text (offset 0), or asks for the next page of the same search and adds it to the list. */
async function runSearch(text, offset = 0) {
  if (searchController) searchController.abort();
  if (text.trim() === '') { closeSearch(); return; }
  const controller = new AbortController();
  searchController = controller;
  try {
    const response = await getJson('api/search?q=' + encodeURIComponent(text) + '&limit=' + PAGE + '&offset=' + offset, { signal: controller.signal });
    if (controller.signal.aborted) return;
    searchText = text;
    searchResults = offset === 0 ? response.results : searchResults.concat(response.results);
    searchPage = response;
    renderSearchResults(text);
    // After "show more", the keyboard goes on at the first new result.
    if (offset > 0) highlightResult(offset);
  } catch (error) {
    if (controller.signal.aborted) return;
    if (offset === 0) searchResults = [];
    searchPage = null;
    renderSearchResults(text, error.message);
  }
}

function renderSearchResults(text, failure) {
  const { t, name, number } = store.get('i18n');
  const list = $('search-results');
  activeResult = -1;
  const items = searchResults.map((r, i) => {
    const item = el('li', { id: 'search-result-' + i, role: 'option', 'aria-selected': 'false', 'data-kind': r.kind, 'data-id': String(r.id) });
    const meta = el('span', { className: 'meta' }, r.kind === 'municipality' ? t('search.municipality') : name(r.municipality_name_latn, r.municipality_name_cyrl));
    // The coordinator's own municipalities come first: the list says why.
    if (r.own_municipality) meta.append(' · ', el('span', { className: 'own' }, t('search.own')));
    item.append(el('span', { className: 'name' }, name(r.name_latn, r.name_cyrl)), meta);
    item.addEventListener('mousedown', (event) => event.preventDefault()); // keep focus in the input
    item.addEventListener('click', () => chooseResult(i));
    return item;
  });
  if (failure || items.length === 0) items.push(el('li', { className: 'hint', role: 'option', 'aria-disabled': 'true' }, failure ? t('search.failed', { message: failure }) : t('search.none', { q: text })));
  const within = searchPage ? searchPage.within : [];
  if (within.length && searchResults.length) {
    items.unshift(el('li', { className: 'hint within', role: 'option', 'aria-disabled': 'true' },
      t('search.within', { place: within.map((p) => name(p.name_latn, p.name_cyrl)).join(', ') })));
  }
  if (searchPage && searchPage.next_offset !== null && !failure) {
    const more = el('li', { id: 'search-more', role: 'option', 'aria-selected': 'false', 'data-more': 'true' },
      t('search.more', { n: number(searchPage.total - searchResults.length), shown: number(searchResults.length), total: number(searchPage.total) }));
    more.addEventListener('mousedown', (event) => event.preventDefault());
    more.addEventListener('click', showMore);
    items.push(more);
  }
  list.replaceChildren(...items);
  list.hidden = false;
  $('search-input').setAttribute('aria-expanded', 'true');
}

/** The options the arrows move through: the results and, at the end, "show more". */
const choices = () => [...$('search-results').querySelectorAll('[role=option][data-id], [role=option][data-more]')];

function highlightResult(index) {
  const options = choices();
  if (options.length === 0) return;
  activeResult = (index + options.length) % options.length;
  options.forEach((o, i) => o.setAttribute('aria-selected', i === activeResult ? 'true' : 'false'));
  $('search-input').setAttribute('aria-activedescendant', options[activeResult].id);
  options[activeResult].scrollIntoView({ block: 'nearest' });
}

function showMore() {
  if (searchPage && searchPage.next_offset !== null) runSearch(searchText, searchPage.next_offset);
}

function chooseResult(index) {
  if (index === searchResults.length) { showMore(); return; }
  const result = searchResults[index];
  if (!result) return;
  closeSearch();
  $('search-input').value = store.get('i18n').name(result.name_latn, result.name_cyrl);
  const [minLon, minLat, maxLon, maxLat] = result.bbox;
  if (result.kind === 'settlement') select(result.id);
  // A municipality found is outlined as one chosen in the filters is (orientation.js), without filtering.
  store.set('searchedMunicipality', result.kind === 'municipality' ? result.code : null);
  zoomBesideDetails([[minLat, minLon], [maxLat, maxLon]]);
  closePanelOnPhone();
}

export function wireSearch() {
  const input = $('search-input');
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => runSearch(input.value), 200);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); highlightResult(activeResult + 1); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); highlightResult(activeResult - 1); }
    else if (event.key === 'Enter') {
      event.preventDefault();
      clearTimeout(searchTimer);
      if (activeResult >= 0) chooseResult(activeResult);
      else if (!$('search-results').hidden && searchResults.length) chooseResult(0);
      else runSearch(input.value);
    } else if (event.key === 'Escape') closeSearch();
  });
  input.addEventListener('blur', () => setTimeout(closeSearch, 150));
  store.subscribe('i18n', closeSearch);
}
