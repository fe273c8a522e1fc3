// The details panel of the selected settlement: loading it, its attributes by group, whether the
// filters hide it, and the way out (close, Escape). Editing adds its buttons and form (editing.js).
import { $, el } from './dom.js';
import { failureText, getJson, send } from './api.js';
import { store } from './store.js';
import { zoomBesideDetails } from './map.js';
import { byId, restyle, setTileSelection, usesTiles } from './settlement-layer.js';
import { leaveEditing, renderDetailsActions } from './editing.js';

const DETAIL_GROUPS = [
  ['group.identity', [['name_latn', 'text'], ['name_cyrl', 'text'], ['code', 'text'], ['municipality', 'place'], ['district', 'place'],
    ['settlement_type', 'list'], ['location_class', 'list'], ['decade_founded', 'decade'], ['area_m2', 'm2']]],
  ['group.population', [['estimated_inhabitants', 'number'], ['households', 'number'], ['population_year', 'year'], ['population_source', 'text']]],
  ['group.housing', [['dwelling_count', 'number'], ['main_building_material', 'list'], ['substandard_share_pct', 'pct'], ['overcrowding', 'list']]],
  ['group.legal', [['legal_status', 'list'], ['planning_document', 'list']]],
  ['group.infrastructure', [['water_supply', 'list'], ['sewerage', 'list'], ['electricity', 'list'], ['heating', 'list'],
    ['paved_access_road', 'list'], ['street_network', 'list'], ['waste_collection', 'list'], ['street_lighting', 'list']]],
  ['group.access', [['distance_to_seat_m', 'm'], ['distance_to_primary_school_m', 'm'], ['distance_to_preschool_m', 'm'],
    ['distance_to_health_centre_m', 'm'], ['distance_to_social_work_centre_m', 'm'], ['distance_to_transport_stop_m', 'm'],
    ['distance_to_pharmacy_m', 'm']]],
  ['group.risks', [['flood_zone', 'list'], ['hazard_nearby', 'list'], ['eviction_threat', 'list']]],
  ['group.provenance', [['source', 'text'], ['data_collected_on', 'date'], ['updated_at', 'datetime'], ['updated_by', 'text']]],
];

/** The fields the details panel shows: each needs a label in every language. */
export const detailFields = () => DETAIL_GROUPS.flatMap(([, fields]) => fields.map(([field]) => field));

/** Selects a settlement: opens the panel, loads the settlement, and zooms to it when asked. */
export async function select(id, options = {}) {
  if (store.get('view').selected !== id) leaveEditing();
  store.update('view', (v) => { v.selected = id; });
  setTileSelection(id);
  store.set('detail', null);
  restyle();
  const entry = byId.get(id);
  openDetails();
  if (options.zoom && entry) zoomBesideDetails(entry.polygon.getBounds());
  const result = await send('GET', 'api/settlements/' + encodeURIComponent(id));
  if (store.get('view').selected !== id) return;
  if (!result.ok) {
    $('details-body').replaceChildren(el('p', { className: 'field-error' }, store.get('i18n').t('details.failed', { message: failureText(result) })));
    return;
  }
  store.set('detailETag', result.etag);
  store.set('detail', result.json);
  renderDetails();
  if (options.zoom && !entry) zoomBesideDetails(L.geoJSON(result.json).getBounds());
  await checkSelectionInFilters();
}

function openDetails() {
  const details = $('details');
  details.hidden = false;
  renderDetails();
  details.focus({ preventScroll: true });
}

export function closeDetails() {
  leaveEditing();
  $('details').hidden = true;
  setTileSelection(null);
  store.update('view', (v) => { v.selected = null; });
  store.set('detail', null);
  restyle();
}

/**
 * With tiles the page holds no list of the filtered settlements: whether the selected one passes
 * the filters is asked of the layer, limited to its own bounding box.
 */
export async function checkSelectionInFilters() {
  const id = store.get('view').selected;
  const detail = store.get('detail');
  store.set('selectedInFilters', null);
  if (usesTiles() && detail && detail.id === id) {
    const params = new URLSearchParams(store.get('tileQuery') || '');
    params.set('bbox', L.geoJSON(detail).getBounds().toBBoxString());
    params.set('zoom', '0');
    try {
      const layer = await getJson('api/layers/settlements?' + params.toString());
      if (store.get('view').selected === id) store.set('selectedInFilters', layer.features.some((f) => f.id === id));
    } catch {
      // Unknown: the note stays hidden rather than claim something false.
    }
  }
  renderDetailsNote();
}

function renderDetailsNote() {
  const note = $('details-note');
  const selected = store.get('view').selected;
  const shown = usesTiles() ? store.get('selectedInFilters') !== false : byId.has(selected);
  const hidden = selected !== null && !shown && store.get('detail') !== null;
  note.hidden = !hidden;
  note.textContent = hidden ? store.get('i18n').t('status.selection_hidden') : '';
}

export function renderDetails() {
  if ($('details').hidden) return;
  const i18n = store.get('i18n');
  const { t } = i18n;
  const detail = store.get('detail');
  if (!detail) {
    $('details-title').textContent = t('details.title');
    $('details-subtitle').textContent = '';
    $('details-body').replaceChildren(el('p', { className: 'hint' }, t('details.loading')));
    return;
  }
  const p = detail.properties;
  const latinPage = i18n.lang !== 'sr-Cyrl';
  $('details-title').textContent = latinPage ? p.name_latn : p.name_cyrl;
  $('details-subtitle').textContent = (latinPage ? p.name_cyrl : p.name_latn) + ' · ' + i18n.name(p.municipality_name_latn, p.municipality_name_cyrl);
  const body = DETAIL_GROUPS.map(([group, fields]) => {
    const section = el('section', { className: 'group', 'data-group': group.slice('group.'.length) });
    section.appendChild(el('h3', {}, t(group)));
    const list = el('dl');
    for (const [field, kind] of fields) {
      list.append(el('dt', {}, t('field.' + field)), el('dd', { 'data-field': field }, formatValue(p, field, kind)));
    }
    section.appendChild(list);
    return section;
  });
  const report = el('a', { href: 'report.html?municipality=' + encodeURIComponent(p.municipality_code), className: 'report-link', target: '_blank', rel: 'noopener' },
    t('report.link', { name: i18n.name(p.municipality_name_latn, p.municipality_name_cyrl) }));
  const reportLine = el('p');
  reportLine.appendChild(report);
  body.push(reportLine);
  $('details-body').replaceChildren(...body);
  renderDetailsActions($('details-body'));
  renderDetailsNote();
}

function formatValue(p, field, kind) {
  const { t, number, name, listValue, locale } = store.get('i18n');
  if (kind === 'place') {
    if (field === 'municipality') return name(p.municipality_name_latn, p.municipality_name_cyrl);
    return name(p.district_name_latn, p.district_name_cyrl);
  }
  const value = p[field];
  if (value === null || value === undefined || value === '') return t('value.none_recorded');
  switch (kind) {
    case 'list': return listValue(store.get('config').settlement_lists[field], value);
    case 'number': return number(value);
    case 'year': return String(value);
    case 'decade': return t('unit.decade', { value: String(value) });
    case 'm': return t('unit.m', { value: number(value) });
    case 'm2': return t('unit.m2', { value: number(Math.round(value)) });
    case 'pct': return t('unit.pct', { value: number(value) });
    case 'date': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(value + 'T00:00:00Z'));
    case 'datetime': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
    default: return String(value);
  }
}

export function wireDetails() {
  $('details-close').addEventListener('click', closeDetails);
  $('details').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeDetails(); });
  store.subscribe('i18n', () => { if (store.get('config')) renderDetails(); });
}
