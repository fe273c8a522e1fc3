// The details panel of the selected settlement: loading it, its attributes by group as the
// attribute schema of /api/config lists them (schema.js), whether the filters hide it, and the way
// out (close, Escape). Editing adds its buttons and form (editing.js).
import { $, el } from './dom.js';
import { failureText, getJson, send } from './api.js';
import { store } from './store.js';
import { zoomBesideDetails } from './map.js';
import { byId, featureBounds, generalisationRadius, restyle, setTileSelection, settlementBounds, usesTiles } from './settlement-layer.js';
import { leaveEditing, renderDetailsActions } from './editing.js';
import { detailsGroups, formatAttribute, labeller, pairScripts } from './schema.js';
import { asOf, formatDay } from './as-of.js';
import { measuresSection } from './measures.js';

let opener = null; // what opened the details (a list button, the search box, the map): focus goes back there on close
let openerListId = null; // a list button's settlement, to find its button again if the list was drawn anew

/** Notes what has the focus as the details' opener; from inside the details (an edit), the opener stays; from nowhere, the map. */
function rememberOpener() {
  const active = document.activeElement;
  if (active && $('details').contains(active)) return;
  opener = active && active !== document.body ? active : $('map');
  openerListId = opener.matches('#results button[data-id]') ? opener.dataset.id : null;
}

/** Focus back to the opener (its list button drawn anew, if so), else to the map when it is gone or hidden (a phone's closed panel). */
function returnFocus() {
  let target = opener;
  if (openerListId !== null && !(target && target.isConnected)) target = $('results').querySelector('button[data-id="' + CSS.escape(openerListId) + '"]');
  if (!target || !target.isConnected || !target.checkVisibility()) target = $('map');
  opener = null;
  openerListId = null;
  target.focus();
}

/** Selects a settlement: opens the panel, loads the settlement, and zooms to it when asked. */
export async function select(id, options = {}) {
  rememberOpener();
  if (store.get('view').selected !== id) leaveEditing();
  store.update('view', (v) => { v.selected = id; });
  setTileSelection(id);
  store.set('detail', null);
  restyle();
  const entry = byId.get(id);
  openDetails();
  if (options.zoom && entry) zoomBesideDetails(settlementBounds(entry.polygon));
  const result = await send('GET', 'api/settlements/' + encodeURIComponent(id));
  if (store.get('view').selected !== id) return;
  if (!result.ok) {
    // As of a past day the map may show a settlement deleted since: its details are gone, not failed.
    const gone = result.status === 404 && asOf();
    $('details-body').replaceChildren(gone
      ? el('p', { className: 'hint', id: 'details-gone' }, store.get('i18n').t('asof.details_gone', { date: formatDay(asOf()) }))
      : el('p', { className: 'field-error' }, store.get('i18n').t('details.failed', { message: failureText(result) })));
    return;
  }
  store.set('detailETag', result.etag);
  store.set('detail', result.json);
  renderDetails();
  if (options.zoom && !entry) zoomBesideDetails(featureBounds(result.json, generalisationRadius() || 0));
  await checkSelectionInFilters();
}

function openDetails() {
  const details = $('details');
  details.hidden = false;
  renderDetails();
  details.focus({ preventScroll: true });
}

/** Closes the details; closed by the person (Escape, ×), focus goes back to what opened them. */
export function closeDetails(options = {}) {
  leaveEditing();
  const hadFocus = $('details').contains(document.activeElement);
  $('details').hidden = true;
  setTileSelection(null);
  store.update('view', (v) => { v.selected = null; });
  store.set('detail', null);
  restyle();
  if (options.returnFocus || hadFocus) returnFocus();
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
    // A generalised settlement's point: a box of a metre around it (a box must have a size).
    params.set('bbox', featureBounds(detail, 1).toBBoxString());
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

let redrawWhenFormCloses = false; // the language changed while an edit form was open in the details

export function renderDetails() {
  if ($('details').hidden) return;
  redrawWhenFormCloses = false;
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
  const config = store.get('config');
  const label = labeller(config, i18n.lang);
  // The schema's attributes for the details, by group: the label in the page's language, its
  // description as the title; a place's name in both scripts is one row in the page's script.
  // An attribute the viewer may not see is absent from the feature: left out, not shown as unknown.
  // A generalised settlement says "fewer than N" and how approximate its place is instead of its estimate.
  const below = p.estimated_inhabitants_below !== null && p.estimated_inhabitants_below !== undefined;
  const generalised = below || (detail.geometry && detail.geometry.type === 'Point');
  const shown = (a) => a.name in p && !(a.name === 'estimated_inhabitants_below' && !below) && !(a.name === 'estimated_inhabitants' && below);
  const body = detailsGroups(config).map(({ group, attributes }) => ({ group, attributes: attributes.filter(shown) }))
    .filter(({ attributes }) => attributes.length > 0).map(({ group, attributes }) => {
    const section = el('section', { className: 'group', 'data-group': group });
    section.appendChild(el('h3', {}, label.group(group)));
    const list = el('dl');
    for (const row of pairScripts(attributes, label.field)) {
      const names = row.map((a) => a.name).join(' ');
      const value = row.length === 2
        ? formatAttribute(config, row[0], i18n.name(p[row[0].name], p[row[1].name]), i18n)
        : formatAttribute(config, row[0], p[row[0].name], i18n);
      list.append(el('dt', { title: label.description(row[0].name) || null, 'data-label-for': names }, label.field(row[0].name)),
        el('dd', { 'data-field': names }, value));
    }
    section.appendChild(list);
    return section;
  });
  if (generalised) {
    const radius = generalisationRadius();
    const place = radius ? t('details.approximate', { radius: i18n.number(radius) }) : t('details.approximate_no_radius');
    const text = below ? t('details.fewer_than', { below: i18n.number(p.estimated_inhabitants_below) }) + '; ' + place : place;
    body.unshift(el('p', { className: 'hint', id: 'details-generalised' }, text.charAt(0).toUpperCase() + text.slice(1)));
  }
  // The details are the settlement today; the map may show another day.
  if (asOf()) body.unshift(el('p', { className: 'hint', id: 'details-as-of' }, t('asof.details_today', { date: formatDay(asOf()) })));
  const report = el('a', { href: 'report.html?municipality=' + encodeURIComponent(p.municipality_code), className: 'report-link', target: '_blank', rel: 'noopener' },
    t('report.link', { name: i18n.name(p.municipality_name_latn, p.municipality_name_cyrl) }));
  // The settlement's measures (issue 26), filled in when they arrive.
  body.push(measuresSection(p.code));
  const reportLine = el('p');
  reportLine.appendChild(report);
  body.push(reportLine);
  $('details-body').replaceChildren(...body);
  renderDetailsActions($('details-body'));
  renderDetailsNote();
}

export function wireDetails() {
  $('details-close').addEventListener('click', () => closeDetails({ returnFocus: true }));
  $('details').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeDetails({ returnFocus: true }); });
  store.subscribe('i18n', () => {
    if (!store.get('config')) return;
    // Drawn anew, an open form would come back empty: the person's input stays, and the details follow the language when it closes.
    if ($('details-body').querySelector('form.edit-form')) { redrawWhenFormCloses = true; return; }
    renderDetails();
  });
  // A form that closes without drawing the details anew (a measure's) says so; cancelled: they were drawn in the new language.
  $('details').addEventListener('details-form-closed', (event) => {
    if (!redrawWhenFormCloses) return;
    event.preventDefault();
    renderDetails();
  });
}
