// Search in both scripts: settlements and municipalities as a combobox list under the input.
import { $, el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { zoomBesideDetails } from './map.js';
import { select } from './details.js';
import { closePanelOnPhone } from './panel.js';

let searchTimer = null;
let searchController = null;
let searchResults = [];
let activeResult = -1;

export function closeSearch() {
  const list = $('search-results');
  list.hidden = true;
  list.replaceChildren();
  $('search-input').setAttribute('aria-expanded', 'false');
  $('search-input').removeAttribute('aria-activedescendant');
  activeResult = -1;
}

async function runSearch(text) {
  if (searchController) searchController.abort();
  if (text.trim() === '') { closeSearch(); return; }
  const controller = new AbortController();
  searchController = controller;
  try {
    const response = await getJson('api/search?q=' + encodeURIComponent(text) + '&limit=12', { signal: controller.signal });
    if (controller.signal.aborted) return;
    searchResults = response.results;
    renderSearchResults(text);
  } catch (error) {
    if (controller.signal.aborted) return;
    searchResults = [];
    renderSearchResults(text, error.message);
  }
}

function renderSearchResults(text, failure) {
  const { t, name } = store.get('i18n');
  const list = $('search-results');
  activeResult = -1;
  const items = searchResults.map((r, i) => {
    const item = el('li', { id: 'search-result-' + i, role: 'option', 'aria-selected': 'false', 'data-kind': r.kind, 'data-id': String(r.id) });
    item.append(el('span', { className: 'name' }, name(r.name_latn, r.name_cyrl)),
      el('span', { className: 'meta' }, r.kind === 'municipality' ? t('search.municipality') : name(r.municipality_name_latn, r.municipality_name_cyrl)));
    item.addEventListener('mousedown', (event) => event.preventDefault()); // keep focus in the input
    item.addEventListener('click', () => chooseResult(i));
    return item;
  });
  if (items.length === 0) items.push(el('li', { className: 'hint', role: 'option', 'aria-disabled': 'true' }, failure ? t('search.failed', { message: failure }) : t('search.none', { q: text })));
  list.replaceChildren(...items);
  list.hidden = false;
  $('search-input').setAttribute('aria-expanded', 'true');
}

function highlightResult(index) {
  const options = [...$('search-results').querySelectorAll('[role=option][data-id]')];
  if (options.length === 0) return;
  activeResult = (index + options.length) % options.length;
  options.forEach((o, i) => o.setAttribute('aria-selected', i === activeResult ? 'true' : 'false'));
  $('search-input').setAttribute('aria-activedescendant', options[activeResult].id);
  options[activeResult].scrollIntoView({ block: 'nearest' });
}

function chooseResult(index) {
  const result = searchResults[index];
  if (!result) return;
  closeSearch();
  $('search-input').value = store.get('i18n').name(result.name_latn, result.name_cyrl);
  const [minLon, minLat, maxLon, maxLat] = result.bbox;
  if (result.kind === 'settlement') select(result.id);
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
