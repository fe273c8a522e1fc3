// The panel's controls: which layers are shown, the styling (settlement theme, municipality
// choropleth) and the filters, which go to the layer API, the permalink and the export alike.
import { $, el } from './dom.js';
import { store } from './store.js';
import { CHOROPLETHS, visibleThemes } from './themes.js';
import { LAYERS, LIST_FILTERS, MEASURE_COLOURINGS, emptyFilters, unplannedTarget } from './state.js';
import { map } from './map.js';
import { layers, loadSettlements, restyle, syncLayers, usesTiles } from './settlement-layer.js';
import { renderLegend } from './legend.js';
import { renderSettlementsShown } from './results.js';
import { filtersChanged as coverageFiltersChanged } from './coverage.js';
import { closedLists, labeller } from './schema.js';
import { districtName } from './data-text.js';
import { loadMeasures, setMeasuresLayer } from './measures-layer.js';

const view = () => store.get('view');

export function renderLayerControls() {
  const { t } = store.get('i18n');
  const rows = LAYERS.map((name) => {
    const input = el('input', { type: 'checkbox', id: 'layer-' + name, 'data-layer': name });
    input.checked = view().layers[name];
    let label = t('layer.' + name);
    if (name === 'base') {
      if (store.get('config').base_layer) label = t('layer.base', { name: 'OpenStreetMap' });
      else { label = t('layer.base.none'); input.disabled = true; input.checked = false; }
    }
    input.addEventListener('change', () => {
      store.update('view', (v) => { v.layers[name] = input.checked; });
      syncLayers();
      renderLegend();
    });
    const row = el('label', { className: 'check' });
    row.append(input, document.createTextNode(' ' + label));
    return row;
  });
  rows.push(measuresLayerControl());
  $('layers').replaceChildren(...rows);
}

/** The measures layer's row: on or off, and what colours its points (status or priority area). */
function measuresLayerControl() {
  const { t } = store.get('i18n');
  const input = el('input', { type: 'checkbox', id: 'layer-measures', 'data-layer': 'measures' });
  input.checked = Boolean(view().measures);
  const colouring = el('select', { id: 'measures-colouring', 'aria-label': t('measures_map.colour_by') });
  colouring.append(...MEASURE_COLOURINGS.map((name) => el('option', { value: name }, t('measures_map.by_' + name))));
  colouring.value = view().measures || MEASURE_COLOURINGS[0];
  input.addEventListener('change', () => setMeasuresLayer(input.checked ? colouring.value : null));
  colouring.addEventListener('change', () => { if (input.checked) setMeasuresLayer(colouring.value); });
  const row = el('label', { className: 'check' });
  row.append(input, document.createTextNode(' ' + t('layer.measures')));
  const line = el('div', { className: 'measures-layer-control' });
  line.append(row, colouring);
  return line;
}

export function renderThemeControls() {
  const { t, lang } = store.get('i18n');
  const label = labeller(store.get('config'), lang);
  const theme = $('theme');
  // A settlement theme is an attribute: its option is the attribute's label.
  // Only the themes on attributes the viewer sees (/api/config lists only those); another is refused by the summary.
  const themes = visibleThemes(store.get('config'));
  theme.replaceChildren(...themes.map((name) => el('option', { value: name }, label.field(name))));
  if (!themes.includes(view().theme) && themes.length > 0) store.update('view', (v) => { v.theme = themes[0]; });
  theme.value = view().theme;
  const choropleth = $('choropleth');
  // The share without a water network only for a viewer who sees water_supply.
  const choropleths = CHOROPLETHS.filter((name) => name !== 'share_without_water' || label.attribute('water_supply') !== null);
  if (!choropleths.includes(view().choropleth)) store.update('view', (v) => { v.choropleth = 'none'; });
  choropleth.replaceChildren(...choropleths.map((name) => el('option', { value: name }, t('choropleth.' + name))));
  choropleth.value = view().choropleth;
}

/** The districts and municipalities by code with their names in the page's language, sorted as the selects show them. */
export function placeOptions() {
  const i18n = store.get('i18n');
  const districts = new Map();
  const municipalities = [];
  for (const f of store.get('municipalities').features) {
    const p = f.properties;
    districts.set(p.district_code, districtName(p, i18n));
    municipalities.push({ code: p.code, district: p.district_code, label: i18n.name(p.name_latn, p.name_cyrl) });
  }
  const collator = new Intl.Collator(i18n.locale);
  return {
    districts: [...districts].map(([code, label]) => ({ code, label })).sort((a, b) => collator.compare(a.label, b.label)),
    municipalities: municipalities.sort((a, b) => collator.compare(a.label, b.label)),
  };
}

export function renderFilterForm() {
  const { t, lang } = store.get('i18n');
  const label = labeller(store.get('config'), lang);
  const filters = view().filters;
  const places = placeOptions();
  const nodes = [];

  const district = el('select', { id: 'filter-district', name: 'district' });
  district.append(el('option', { value: '' }, t('filter.all_districts')), ...places.districts.map((d) => el('option', { value: d.code }, d.label)));
  district.value = filters.district || '';
  const municipality = el('select', { id: 'filter-municipality', name: 'municipality' });
  municipality.append(el('option', { value: '' }, t('filter.all_municipalities')),
    ...places.municipalities.filter((m) => !filters.district || m.district === filters.district).map((m) => el('option', { value: m.code }, m.label)));
  municipality.value = filters.municipality || '';
  nodes.push(fieldOf(t('filter.district'), district), fieldOf(t('filter.municipality'), municipality));
  district.addEventListener('change', () => {
    filters.district = district.value || null;
    const stillInside = places.municipalities.some((m) => m.code === filters.municipality && (!filters.district || m.district === filters.district));
    if (!stillInside) filters.municipality = null;
    renderFilterForm();
    zoomToPlace();
    filtersChanged();
  });
  municipality.addEventListener('change', () => { filters.municipality = municipality.value || null; zoomToPlace(); filtersChanged(); });

  // A filter on an attribute the viewer does not see is refused: only those /api/config lists are offered.
  const sees = (name) => label.attribute(name) !== null;
  const infrastructure = ['water_supply', 'sewerage', 'electricity', 'legal_status'].filter(sees);
  for (const name of infrastructure) nodes.push(checkboxGroup(name, label.field(name), LIST_FILTERS[name], filters, label));

  const population = el('fieldset', { className: 'range' });
  population.appendChild(el('legend', {}, t('filter.population')));
  for (const bound of ['min_inhabitants', 'max_inhabitants']) {
    const input = el('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric', id: 'filter-' + bound, name: bound });
    input.value = filters[bound] ?? '';
    input.addEventListener('change', () => {
      const text = input.value.trim();
      filters[bound] = text === '' || !/^\d{1,9}$/.test(text) ? null : Number(text);
      if (text !== '' && filters[bound] === null) input.value = '';
      filtersChanged();
    });
    const label = el('label', {}, t(bound === 'min_inhabitants' ? 'filter.min' : 'filter.max') + ' ');
    label.appendChild(input);
    population.appendChild(label);
  }
  population.appendChild(el('p', { id: 'filter-range-error', className: 'field-error', role: 'alert' }));
  nodes.push(population);

  const risks = el('fieldset', { className: 'risks' });
  risks.appendChild(el('legend', {}, t('filter.risks')));
  for (const name of ['flood_zone', 'hazard_nearby', 'eviction_threat'].filter(sees)) {
    const select = el('select', { id: 'filter-' + name, name });
    select.append(el('option', { value: '' }, t('filter.any')),
      ...unknownLast(closedLists(store.get('config')).yes_no).map((v) => el('option', { value: v }, label.value('yes_no', v))));
    select.value = filters[name].length === 1 ? filters[name][0] : '';
    select.addEventListener('change', () => { filters[name] = select.value ? [select.value] : []; filtersChanged(); });
    risks.appendChild(fieldOf(label.field(name), select));
  }
  nodes.push(risks);
  nodes.push(unplannedControl(label));

  const reset = el('button', { type: 'button', id: 'filter-reset', className: 'link-button' }, t('filter.reset'));
  reset.addEventListener('click', resetFilters);
  nodes.push(reset);
  $('filters').replaceChildren(...nodes);
  showRangeError();
}

/** Every filter cleared (the panel's button and the map's empty state). */
function resetFilters() {
  store.update('view', (v) => { v.filters = emptyFilters(); });
  renderFilterForm();
  filtersChanged();
}

/** Shows the whole of the chosen municipality or district. */
export function zoomToPlace() {
  const { municipality, district } = view().filters;
  if (!municipality && !district) return;
  const bounds = L.latLngBounds([]);
  layers.municipalities.eachLayer((layer) => {
    const p = layer.feature.properties;
    if (municipality ? p.code === municipality : p.district_code === district) bounds.extend(layer.getBounds());
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], animate: false });
}

/**
 * "Lacking … with no measure planned" (the filter unplanned=attribute:target): the attributes the server offers this
 * viewer (/api/config unplanned_attributes), the target one of the attribute's values; choosing an attribute takes its
 * first value (the best: network, legal, legalised…) as the target.
 */
function unplannedControl(label) {
  const { t } = store.get('i18n');
  const config = store.get('config');
  const lists = closedLists(config);
  const filters = view().filters;
  const chosen = unplannedTarget(filters.unplanned, lists);
  const targets = (attribute) => unknownLast(lists[LIST_FILTERS[attribute]]).filter((v) => v !== 'unknown');
  const attribute = el('select', { id: 'filter-unplanned-attribute', name: 'unplanned_attribute' });
  attribute.append(el('option', { value: '' }, t('filter.unplanned_off')),
    ...(config.unplanned_attributes || []).map((name) => el('option', { value: name }, label.field(name))));
  attribute.value = chosen ? chosen.attribute : '';
  const target = el('select', { id: 'filter-unplanned-target', name: 'unplanned_target' });
  if (chosen) target.append(...targets(chosen.attribute).map((v) => el('option', { value: v }, label.value(LIST_FILTERS[chosen.attribute], v))));
  target.value = chosen ? chosen.target : '';
  target.disabled = !chosen;
  attribute.addEventListener('change', () => {
    filters.unplanned = attribute.value ? attribute.value + ':' + targets(attribute.value)[0] : null;
    renderFilterForm();
    filtersChanged();
  });
  target.addEventListener('change', () => { filters.unplanned = attribute.value + ':' + target.value; filtersChanged(); });
  const box = el('fieldset', { className: 'unplanned', 'data-filter': 'unplanned' });
  box.append(el('legend', {}, t('filter.unplanned')), fieldOf(t('filter.unplanned_attribute'), attribute), fieldOf(t('filter.unplanned_target'), target),
    el('p', { className: 'hint' }, t('filter.unplanned_hint')));
  return box;
}

function fieldOf(labelText, control) {
  const label = el('label', { className: 'field' });
  label.append(el('span', {}, labelText), control);
  return label;
}

function checkboxGroup(name, title, list, filters, label) {
  const lists = closedLists(store.get('config'));
  const group = el('fieldset', { className: 'checks', 'data-filter': name });
  group.appendChild(el('legend', {}, title));
  for (const value of unknownLast(lists[list])) {
    const input = el('input', { type: 'checkbox', name, value, id: 'filter-' + name + '-' + value });
    input.checked = filters[name].includes(value);
    input.addEventListener('change', () => {
      const chosen = new Set(filters[name]);
      if (input.checked) chosen.add(value); else chosen.delete(value);
      // Keep the closed list's order so the query string (and the permalink) is stable.
      filters[name] = lists[list].filter((v) => chosen.has(v));
      filtersChanged();
    });
    const row = el('label', { className: 'check' });
    row.append(input, document.createTextNode(' ' + label.value(list, value)));
    group.appendChild(row);
  }
  return group;
}

function unknownLast(values) {
  return values.filter((v) => v !== 'unknown').concat(values.includes('unknown') ? ['unknown'] : []);
}

function showRangeError() {
  const { min_inhabitants: min, max_inhabitants: max } = view().filters;
  const invalid = min !== null && max !== null && min > max;
  const error = $('filter-range-error');
  if (error) error.textContent = invalid ? store.get('i18n').t('filter.min_gt_max') : '';
  for (const id of ['filter-min_inhabitants', 'filter-max_inhabitants']) {
    const input = $(id);
    if (input) input.setAttribute('aria-invalid', invalid ? 'true' : 'false');
  }
  return !invalid;
}

/** The filters (changed in place in the view) take effect: the store tells the permalink, then the layer loads. */
function filtersChanged() {
  if (!showRangeError()) return;
  store.update('view', () => {});
  coverageFiltersChanged();
  loadSettlements();
  if (view().measures) loadMeasures(); // the layer follows the municipality chosen
}

export function wireFilters() {
  $('theme').addEventListener('change', (event) => {
    store.update('view', (v) => { v.theme = event.target.value; });
    // Tiles are styled when drawn, and the server counts the new theme's classes: load both again.
    if (usesTiles()) loadSettlements();
    restyle();
    renderSettlementsShown();
  });
  $('map-empty-clear').addEventListener('click', () => { resetFilters(); $('map').focus(); });
  $('choropleth').addEventListener('change', (event) => {
    store.update('view', (v) => { v.choropleth = event.target.value; });
    restyle();
    loadMeasures(); // the measure coverage's figures, the first time it is chosen
  });
  store.subscribe('i18n', () => {
    if (!store.get('config')) return;
    renderLayerControls();
    renderThemeControls();
    renderFilterForm();
  });
}
