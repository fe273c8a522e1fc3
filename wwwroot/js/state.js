// The view as data: the filters (named exactly as the layer API's query parameters, so the same
// string serves the API, the permalink and later the export) and the permalink in the URL hash.
// Pure functions, no DOM.
import { CHOROPLETHS, DEFAULT_THEME, SETTLEMENT_THEMES } from './themes.js';
import { decodeCompare, encodeCompare } from './change-classes.js';

/** Filter parameter → closed list its values come from. */
export const LIST_FILTERS = {
  water_supply: 'water_supply',
  sewerage: 'sewerage',
  electricity: 'electricity',
  legal_status: 'legal_status',
  flood_zone: 'yes_no',
  hazard_nearby: 'yes_no',
  eviction_threat: 'yes_no',
};
export const PLACE_FILTERS = ['district', 'municipality'];
export const NUMBER_FILTERS = ['min_inhabitants', 'max_inhabitants'];
export const LAYERS = ['base', 'municipalities', 'settlements'];
/** How the measures layer colours its points (view.measures; null: the layer is off). */
export const MEASURE_COLOURINGS = ['status', 'priority_area'];

export function emptyFilters() {
  // unplanned: "attribute:target", the settlements lacking target with no measure planned for it (null: off).
  const filters = { district: null, municipality: null, min_inhabitants: null, max_inhabitants: null, unplanned: null };
  for (const name of Object.keys(LIST_FILTERS)) filters[name] = [];
  return filters;
}

export function isFiltered(filters) {
  return filtersToQuery(filters).toString() !== '';
}

/** The layer API's query parameters for these filters, in a fixed order. */
export function filtersToQuery(filters) {
  const query = new URLSearchParams();
  for (const name of PLACE_FILTERS) if (filters[name]) query.set(name, filters[name]);
  for (const name of Object.keys(LIST_FILTERS)) if (filters[name] && filters[name].length) query.set(name, filters[name].join(','));
  for (const name of NUMBER_FILTERS) if (filters[name] !== null && filters[name] !== undefined) query.set(name, String(filters[name]));
  if (filters.unplanned) query.set('unplanned', filters.unplanned);
  return query;
}

/**
 * Filters read from query parameters, keeping only values the closed lists know and whole
 * numbers; what was dropped is listed so the page can say so instead of failing.
 */
export function queryToFilters(query, closedLists) {
  const filters = emptyFilters();
  const dropped = [];
  for (const name of PLACE_FILTERS) {
    const value = query.get(name);
    if (value) filters[name] = value;
  }
  for (const [name, list] of Object.entries(LIST_FILTERS)) {
    const text = query.get(name);
    if (!text) continue;
    const allowed = (closedLists && closedLists[list]) || [];
    for (const value of text.split(',')) {
      if (allowed.includes(value) && !filters[name].includes(value)) filters[name].push(value);
      else if (!allowed.includes(value)) dropped.push(name + '=' + value);
    }
  }
  for (const name of NUMBER_FILTERS) {
    const text = query.get(name);
    if (text === null || text === '') continue;
    if (/^\d{1,9}$/.test(text)) filters[name] = Number(text);
    else dropped.push(name + '=' + text);
  }
  const unplanned = query.get('unplanned');
  if (unplanned) {
    if (unplannedTarget(unplanned, closedLists)) filters.unplanned = unplanned; else dropped.push('unplanned=' + unplanned);
  }
  return { filters, dropped };
}

/**
 * "attribute:target" of the unplanned filter read as { attribute, target }, or null when it is not one: the attribute
 * a coded filter (the server names those the viewer may choose, /api/config unplanned_attributes), the target a known
 * value of its closed list.
 */
export function unplannedTarget(text, closedLists) {
  const [attribute, target, ...rest] = String(text || '').split(':');
  const list = Object.hasOwn(LIST_FILTERS, attribute) ? (closedLists && closedLists[LIST_FILTERS[attribute]]) || [] : [];
  return rest.length === 0 && target !== 'unknown' && list.includes(target) ? { attribute, target } : null;
}

export function defaultView() {
  return {
    map: null, // { zoom, lat, lon }; null fits the country
    theme: DEFAULT_THEME,
    choropleth: 'none',
    layers: { base: true, municipalities: true, settlements: true },
    filters: emptyFilters(),
    selected: null,
    overlays: [], // coverage overlays shown: kind keys ("coordinator", "programme:romacted") and "gap"
    asOf: null, // the day the coverage is shown for, yyyy-MM-dd; null is today
    inView: false, // the list, its count and the export links only for the settlements in the map view
    compare: null, // { from, to, attribute }: the change between two dates shown (change-view.js)
    measures: null, // the measures layer (measures-layer.js): coloured by 'status' or 'priority_area'; null is off
  };
}

const OVERLAY_KEY = /^(gap|[a-z_]{2,40}|programme:[a-z0-9_]{2,40})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The permalink hash of a view: only what differs from the default, values as the API names them. */
export function encodeView(view) {
  const query = new URLSearchParams();
  if (view.map) {
    query.set('map', [round(view.map.zoom, 2), round(view.map.lat, 5), round(view.map.lon, 5)].join('/'));
  }
  if (view.theme !== DEFAULT_THEME) query.set('theme', view.theme);
  if (view.choropleth !== 'none') query.set('choropleth', view.choropleth);
  const hidden = LAYERS.filter((l) => !view.layers[l]);
  if (hidden.length) query.set('hide', hidden.join(','));
  for (const [name, value] of filtersToQuery(view.filters)) query.set(name, value);
  if (view.selected !== null) query.set('selected', String(view.selected));
  if (view.overlays.length) query.set('overlays', view.overlays.join(','));
  if (view.asOf) query.set('as_of', view.asOf);
  if (view.inView) query.set('in_view', '1');
  if (view.compare) query.set('compare', encodeCompare(view.compare));
  if (view.measures) query.set('measures', view.measures);
  // '/' and ',' are legal in a fragment: leaving them unescaped keeps the link readable.
  return query.toString().replace(/%2F/gi, '/').replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** A view from a permalink hash (with or without '#'); unknown or malformed parts fall back to defaults. */
export function decodeView(hash, closedLists) {
  const query = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const view = defaultView();
  const dropped = [];
  const map = query.get('map');
  if (map) {
    const texts = map.split('/');
    const parts = texts.map(Number);
    if (parts.length === 3 && texts.every((t) => /^-?\d+(\.\d+)?$/.test(t)) && parts[0] >= 0 && parts[0] <= 22 && Math.abs(parts[1]) <= 90 && Math.abs(parts[2]) <= 180) {
      view.map = { zoom: parts[0], lat: parts[1], lon: parts[2] };
    } else {
      dropped.push('map=' + map);
    }
  }
  const theme = query.get('theme');
  if (theme) { if (SETTLEMENT_THEMES.includes(theme)) view.theme = theme; else dropped.push('theme=' + theme); }
  const choropleth = query.get('choropleth');
  if (choropleth) { if (CHOROPLETHS.includes(choropleth)) view.choropleth = choropleth; else dropped.push('choropleth=' + choropleth); }
  for (const layer of (query.get('hide') || '').split(',').filter(Boolean)) {
    if (LAYERS.includes(layer)) view.layers[layer] = false; else dropped.push('hide=' + layer);
  }
  const filters = queryToFilters(query, closedLists);
  view.filters = filters.filters;
  dropped.push(...filters.dropped);
  for (const overlay of (query.get('overlays') || '').split(',').filter(Boolean)) {
    if (OVERLAY_KEY.test(overlay) && !view.overlays.includes(overlay)) view.overlays.push(overlay); else dropped.push('overlays=' + overlay);
  }
  const asOf = query.get('as_of');
  if (asOf) { if (DAY.test(asOf) && !Number.isNaN(Date.parse(asOf + 'T00:00:00Z'))) view.asOf = asOf; else dropped.push('as_of=' + asOf); }
  const inView = query.get('in_view');
  if (inView) { if (inView === '1') view.inView = true; else dropped.push('in_view=' + inView); }
  const compare = query.get('compare');
  if (compare) { const decoded = decodeCompare(compare); if (decoded) view.compare = decoded; else dropped.push('compare=' + compare); }
  const measures = query.get('measures');
  if (measures) { if (MEASURE_COLOURINGS.includes(measures)) view.measures = measures; else dropped.push('measures=' + measures); }
  const selected = query.get('selected');
  if (selected) { if (/^\d{1,18}$/.test(selected)) view.selected = Number(selected); else dropped.push('selected=' + selected); }
  return { view, dropped };
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
