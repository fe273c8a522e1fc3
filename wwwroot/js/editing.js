// Editing for signed-in coordinators and administrators: sign-in, the attribute form, outline
// editing and drawing with Leaflet-Geoman, delete, history and restore. Every write sends the
// antiforgery token and the version it read (If-Match); the server decides, the page shows its
// answer (field errors next to the fields, a conflict as a message with the current values).
import { $, el } from './dom.js';
import { currentUser, problemText, send } from './api.js';
import { store } from './store.js';
import { changedProperties, parseFieldValue } from './edit-values.js';
import { problemMessages, requestProblemText } from './field-problems.js';
import { showFieldErrors, watchCorrections } from './form-problems.js';
import { MARKER_MAX_ZOOM, map, zoomBesideDetails } from './map.js';
import { byId, loadSettlements } from './settlement-layer.js';
import { closeDetails, renderDetails, select } from './details.js';
import { setStatus } from './status.js';
import { closedLists, editableAttributes, editableGroups, labeller, unitText } from './schema.js';
import { inPast } from './as-of.js';
import { queueCreate, queueDelete, queueEdit, startOfflineEdits } from './offline-edits.js';
import { locate } from './locate.js';
import { canEditIn } from './rights.js';

let outlineEdit = null; // { id, polygon, original } while an outline is being reshaped
let drawn = null; // the layer of a new settlement being drawn or described

const t = (key, params) => store.get('i18n').t(key, params);
/** The schema's labels in the page's language. */
const label = () => labeller(store.get('config'), store.get('i18n').lang);
/** A problem's refusals by field, in the page's language. */
const worded = (problem) => problemMessages(problem, store.get('config'), store.get('i18n'));

// ------------------------------------------------------------ account

async function refreshUser() {
  store.set('user', await currentUser());
}

function renderAccount() {
  const box = $('account');
  const user = store.get('user');
  if (user && user.signed_in) {
    const out = el('button', { type: 'button', id: 'sign-out', className: 'account-button' }, t('account.sign_out'));
    out.addEventListener('click', signOut);
    const importLink = el('a', { href: 'import.html', id: 'import-link', className: 'account-link' }, t('import.link'));
    // Account administration is for administrators only (the server refuses the others anyway).
    const adminLink = user.role === 'administrator' ? [el('a', { href: 'admin.html', id: 'admin-link', className: 'account-link' }, t('accounts.link'))] : [];
    box.replaceChildren(el('span', { className: 'account-name', title: user.display_name || user.user_name },
      user.user_name + ' · ' + t('account.role.' + user.role)), importLink, ...adminLink, out);
  } else {
    const button = el('button', { type: 'button', id: 'sign-in', className: 'account-button' }, t('account.sign_in'));
    button.addEventListener('click', openSignIn);
    box.replaceChildren(button);
  }
  renderDrawButton();
}

function openSignIn() {
  const dialog = $('sign-in-dialog');
  $('sign-in-error').textContent = '';
  $('sign-in-form').reset();
  $('sign-in-code-field').hidden = true;
  for (const node of dialog.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  dialog.showModal();
  $('sign-in-user').focus();
}

async function submitSignIn(event) {
  event.preventDefault();
  const submit = $('sign-in-submit');
  submit.disabled = true;
  try {
    if (!store.get('user') || !store.get('user').csrf_token) await refreshUser();
    const withCode = !$('sign-in-code-field').hidden;
    const result = await send('POST', 'api/auth/sign-in', {
      user_name: $('sign-in-user').value, password: $('sign-in-password').value, code: withCode ? $('sign-in-code').value.trim() : null,
    });
    if (!result.ok && result.json && result.json.code_required) {
      // Two-step sign-in: the same form asks for the authenticator app's code and sends all three again.
      $('sign-in-code-field').hidden = false;
      $('sign-in-error').textContent = withCode ? t('accounts.rule.code_wrong') : t('accounts.code_needed');
      $('sign-in-code').value = '';
      $('sign-in-code').focus();
      return;
    }
    if (!result.ok) {
      $('sign-in-error').textContent = t('account.failed', { message: problemText(result) });
      $('sign-in-password').select();
      return;
    }
    // What the map may show depends on who is signed in (the attributes, filters, themes, outlines of small
    // settlements): the page starts again as this viewer, at the same view and selection (the address keeps them).
    location.reload();
  } finally {
    submit.disabled = false;
  }
}

async function signOut() {
  await send('POST', 'api/auth/sign-out');
  stopOutlineEdit(true);
  // Back to the public view: nothing a signed-in viewer saw may stay in the page.
  location.reload();
}

const canEdit = (properties) => canEditIn(properties.municipality_code);

// ------------------------------------------------------------ details: actions, form, history

export function renderDetailsActions(container) {
  const p = store.get('detail').properties;
  if (!store.get('user') || !store.get('user').signed_in) return;
  const actions = el('div', { className: 'edit-actions' });
  if (canEdit(p)) {
    const editButton = el('button', { type: 'button', id: 'edit-attributes' }, t('edit.attributes'));
    editButton.addEventListener('click', () => renderForm(container));
    const outlineButton = el('button', { type: 'button', id: 'edit-outline' }, t('edit.outline'));
    outlineButton.addEventListener('click', startOutlineEdit);
    const deleteButton = el('button', { type: 'button', id: 'delete-settlement', className: 'danger' }, t('edit.delete'));
    deleteButton.addEventListener('click', deleteSettlement);
    actions.append(editButton, outlineButton, deleteButton);
  } else if (inPast()) {
    actions.appendChild(el('p', { className: 'hint', id: 'edit-past' }, t('asof.no_editing')));
  } else {
    actions.appendChild(el('p', { className: 'hint' }, t('edit.not_yours')));
  }
  actions.appendChild(el('p', { id: 'edit-message', className: 'edit-message', role: 'status' }));
  container.prepend(actions);
  const history = el('section', { id: 'history', className: 'group history' });
  history.appendChild(el('h3', {}, t('history.title')));
  history.appendChild(el('p', { className: 'hint' }, t('history.loading')));
  container.appendChild(history);
  loadHistory(store.get('detail').id, history);
}

function message(text, error) {
  const node = $('edit-message');
  if (!node) return;
  node.textContent = text;
  node.classList.toggle('error', Boolean(error));
}

function renderForm(container, errors) {
  const p = store.get('detail').properties;
  const form = el('form', { id: 'edit-form', className: 'edit-form', novalidate: true });
  // The schema's editable attributes, by group.
  for (const { group, attributes } of editableGroups(store.get('config'))) {
    const fieldset = el('fieldset', { 'data-group': group });
    fieldset.appendChild(el('legend', {}, label().group(group)));
    for (const attribute of attributes) fieldset.appendChild(formField(attribute, p[attribute.name]));
    form.appendChild(fieldset);
  }
  form.appendChild(observedField());
  const save = el('button', { type: 'submit', id: 'edit-save' }, t('edit.save'));
  const cancel = el('button', { type: 'button', id: 'edit-cancel' }, t('edit.cancel'));
  cancel.addEventListener('click', () => renderDetails());
  form.appendChild(formButtons(save, cancel));
  form.addEventListener('submit', (event) => { event.preventDefault(); saveForm(form); });
  container.replaceChildren(form);
  watchCorrections(form);
  if (errors) showFieldErrors(form, errors);
  form.querySelector('input, select').focus();
}

/**
 * "Observed on": the optional day the change was seen (the API's valid_from); empty dates it now. Bounded
 * like the server's check (1900 to today); the server's refusals (future, before the current version)
 * are shown in its error slot.
 */
function observedField() {
  const control = el('input', { id: 'edit-valid_from', name: 'valid_from', type: 'date', min: '1900-01-01', max: new Date().toISOString().slice(0, 10) });
  const error = el('span', { className: 'field-error', id: 'edit-valid_from-error', 'data-error-for': 'valid_from', role: 'alert' });
  const hint = el('span', { className: 'hint', id: 'edit-valid_from-hint' }, t('surveys.observed_hint'));
  control.setAttribute('aria-describedby', hint.id + ' ' + error.id);
  // Not a schema attribute: no data-label-for (the form's attributes are exactly the schema's editable ones).
  const field = el('label', { className: 'field observed-on', for: control.id });
  field.append(el('span', { className: 'caption' }, t('surveys.observed_on')), control, hint, error);
  return field;
}

/** Save and cancel stay in view at the bottom of a long form, with the message about the last try. */
function formButtons(...buttons) {
  const bar = el('div', { className: 'form-buttons' });
  bar.append(el('p', { id: 'edit-message', className: 'edit-message', role: 'status' }), ...buttons);
  return bar;
}

const INPUT_TYPES = { text: 'text', whole_number: 'number', number: 'number', date: 'date', date_time: 'datetime-local' };

/** One attribute's control, from its type, bounds, unit and closed list; a required one is marked. */
function formField(attribute, value) {
  const id = 'edit-' + attribute.name;
  const labels = label();
  let control;
  if (attribute.type === 'enum') {
    const values = closedLists(store.get('config'))[attribute.list] || [];
    control = el('select', { id, name: attribute.name, required: attribute.required || null });
    for (const option of values) control.appendChild(el('option', { value: option }, labels.value(attribute.list, option)));
    control.value = value ?? (values.includes('unknown') ? 'unknown' : values[0] ?? '');
  } else {
    const type = INPUT_TYPES[attribute.type] || 'text';
    control = el('input', {
      id, name: attribute.name, type,
      min: attribute.min ?? null, max: attribute.max ?? null,
      step: attribute.type === 'number' ? '0.01' : attribute.type === 'whole_number' ? (attribute.format === 'decade' ? '10' : '1') : null,
      required: attribute.required || null, maxlength: attribute.type === 'text' ? '200' : null,
    });
    control.value = value ?? '';
  }
  control.dataset.kind = attribute.type;
  const field = el('label', { className: 'field', for: id, 'data-label-for': attribute.name });
  const unit = unitText(attribute.unit, t);
  const caption = el('span', { className: 'caption', title: labels.description(attribute.name) || null }, labels.field(attribute.name) + (unit ? ' (' + unit + ')' : ''));
  if (attribute.required) caption.appendChild(el('abbr', { className: 'required', title: t('edit.required') }, '*'));
  const error = el('span', { className: 'field-error', id: id + '-error', 'data-error-for': attribute.name, role: 'alert' });
  control.setAttribute('aria-describedby', error.id);
  field.append(caption, control, error);
  return field;
}

async function saveForm(form) {
  const values = {};
  for (const control of form.elements) {
    if (control.name && control.name !== 'valid_from') values[control.name] = parseFieldValue(control.dataset.kind, control.value);
  }
  const changed = changedProperties(editableAttributes(store.get('config')), store.get('detail').properties, values);
  if (Object.keys(changed).length === 0) { message(t('edit.no_changes')); return; }
  message(t('edit.saving'));
  const body = { properties: changed };
  const observed = form.elements.valid_from && form.elements.valid_from.value;
  if (observed) body.valid_from = observed;
  // The key goes with the first try too: if that reached the server and only its answer was lost, the queued copy is answered, not saved twice.
  const key = crypto.randomUUID();
  const result = await send('PATCH', 'api/settlements/' + store.get('detail').id, body, { etag: store.get('detailETag'), key });
  if (result.status === 0) {
    // No network: kept on this device and sent later with the version it was based on (offline-edits.js).
    store.set('detail', await queueEdit(store.get('detail'), store.get('detailETag'), changed, null, observed || null, key));
    renderDetails();
    message(t('offline.queued'));
    return;
  }
  await handleWrite(result, (problem) => showFieldErrors(form, problem));
}

/** The shared ending of every write: success refreshes, 400 and 409 (a taken code) show field errors, 412 shows the conflict. */
async function handleWrite(result, onFieldErrors) {
  if (result.ok) {
    store.set('detail', result.json);
    store.set('detailETag', result.etag);
    // Redraw the layer first: the details' buttons then act on the new polygons.
    await loadSettlements();
    renderDetails();
    message(t('edit.saved'));
    return true;
  }
  if (result.status === 401) {
    await refreshUser();
    message(t('edit.signed_out'), true);
  } else if ((result.status === 400 || result.status === 409 || result.status === 422) && result.json && (result.json.errors || result.json.error_codes) && onFieldErrors) {
    onFieldErrors(result.json);
  } else if (result.status === 412 && result.json && result.json.current) {
    store.set('detail', result.json.current);
    store.set('detailETag', result.etag);
    await loadSettlements();
    renderDetails();
    message(t('edit.conflict'), true);
  } else {
    message(requestProblemText(result.json, store.get('config'), store.get('i18n')) ?? t('edit.failed', { message: problemText(result) }), true);
  }
  return false;
}

async function deleteSettlement() {
  const p = store.get('detail').properties;
  const name = store.get('i18n').name(p.name_latn, p.name_cyrl);
  if (!window.confirm(t('edit.confirm_delete', { name }))) return;
  const key = crypto.randomUUID(); // as in saveForm
  const result = await send('DELETE', 'api/settlements/' + store.get('detail').id, undefined, { etag: store.get('detailETag'), key });
  if (result.status === 0) {
    // No network: the delete waits on the device with the version it was based on (offline-edits.js).
    await queueDelete(store.get('detail'), store.get('detailETag'), key);
    message(t('offline.queued_delete'));
    return;
  }
  if (result.status === 204) {
    closeDetails();
    setStatus('edit.deleted', { name });
    await loadSettlements();
  } else {
    await handleWrite(result);
  }
}

async function loadHistory(id, section) {
  const result = await send('GET', 'api/settlements/' + id + '/history');
  if (!section.isConnected) return;
  const list = el('ol', { className: 'history-list' });
  if (!result.ok) {
    section.replaceChildren(el('h3', {}, t('history.title')), el('p', { className: 'field-error' }, t('history.failed', { message: problemText(result) })));
    return;
  }
  const when = new Intl.DateTimeFormat(store.get('i18n').locale, { dateStyle: 'medium', timeStyle: 'short' });
  for (const entry of result.json) {
    const item = el('li', { 'data-change': String(entry.id), 'data-action': entry.action });
    item.appendChild(el('div', { className: 'history-head' },
      when.format(new Date(entry.changed_at)) + ' · ' + entry.changed_by + ' · ' + t('history.action.' + entry.action)));
    const changes = el('ul', { className: 'history-changes' });
    for (const [field, change] of Object.entries(entry.changes)) {
      if (field === 'geometry') { changes.appendChild(el('li', { 'data-field': 'geometry' }, t('history.outline_changed'))); continue; }
      if (entry.action !== 'update' && entry.action !== 'restore') continue;
      changes.appendChild(el('li', { 'data-field': field },
        label().field(field) + ': ' + historyValue(field, change.old) + ' → ' + historyValue(field, change.new)));
    }
    if (changes.childElementCount) item.appendChild(changes);
    // A dated change (an observed day, a survey's date) says when it takes effect, beside when it was written.
    if (entry.effective_at && entry.effective_at !== entry.changed_at) {
      item.appendChild(el('div', { className: 'hint history-effective' }, t('surveys.in_effect', { date: when.format(new Date(entry.effective_at)) })));
    }
    if (entry.note) item.appendChild(el('div', { className: 'hint' }, entry.note));
    if (entry.restorable && store.get('user').role === 'administrator') {
      const restore = el('button', { type: 'button', className: 'link-button restore', 'data-change': String(entry.id) }, t('history.restore'));
      restore.addEventListener('click', () => restoreBefore(id, entry.id));
      item.appendChild(restore);
    }
    list.appendChild(item);
  }
  section.replaceChildren(el('h3', {}, t('history.title')), list.childElementCount ? list : el('p', { className: 'hint' }, t('history.none')));
}

function historyValue(field, value) {
  if (value === null || value === undefined || value === '') return t('value.none_recorded');
  return label().valueOf(field, value);
}

async function restoreBefore(id, changeId) {
  const result = await send('POST', 'api/settlements/' + id + '/restore', { change_id: changeId }, { etag: store.get('detailETag') });
  if (await handleWrite(result)) message(t('history.restored'));
}

// ------------------------------------------------------------ outlines (Leaflet-Geoman)

function startOutlineEdit() {
  const id = store.get('detail').id;
  const entry = byId.get(id);
  if (!entry) { message(t('status.selection_hidden'), true); return; }
  stopOutlineEdit(true);
  // Reshaping needs the polygon itself on the map, which is drawn from city zoom on.
  zoomBesideDetails(entry.polygon.getBounds(), MARKER_MAX_ZOOM);
  const polygon = entry.polygon;
  outlineEdit = { id, polygon, original: polygon.getLatLngs() };
  polygon.pm.enable({ allowSelfIntersection: false, snappable: false });
  const actions = document.querySelector('#details .edit-actions');
  const save = el('button', { type: 'button', id: 'outline-save' }, t('edit.save_outline'));
  const cancel = el('button', { type: 'button', id: 'outline-cancel' }, t('edit.cancel'));
  save.addEventListener('click', saveOutline);
  cancel.addEventListener('click', () => { stopOutlineEdit(true); renderDetails(); });
  actions.replaceChildren(save, cancel, el('p', { id: 'edit-message', className: 'edit-message', role: 'status' }, t('edit.outline_hint')));
}

function stopOutlineEdit(restore) {
  if (!outlineEdit) return;
  outlineEdit.polygon.pm.disable();
  if (restore) outlineEdit.polygon.setLatLngs(outlineEdit.original);
  outlineEdit = null;
}

async function saveOutline() {
  const { polygon, id } = outlineEdit;
  const geometry = polygon.toGeoJSON(7).geometry;
  message(t('edit.saving'));
  const key = crypto.randomUUID(); // as in saveForm
  const result = await send('PATCH', 'api/settlements/' + id, { geometry }, { etag: store.get('detailETag'), key });
  if (result.status === 0) {
    // No network: the reshaped outline stays drawn and waits on the device (offline-edits.js).
    store.set('detail', await queueEdit(store.get('detail'), store.get('detailETag'), {}, geometry, null, key));
    stopOutlineEdit(false);
    message(t('offline.queued'));
    return;
  }
  if (result.ok) stopOutlineEdit(false);
  await handleWrite(result, (problem) => message(Object.values(worded(problem)).flat().join(' '), true));
}

function renderDrawButton() {
  const slot = $('draw-slot');
  if (!slot) return;
  if (!store.get('user') || !store.get('user').signed_in) { slot.replaceChildren(); return; }
  // A past day is for looking: a new settlement would be drawn into today's map, unseen.
  const past = inPast();
  const button = el('button', { type: 'button', id: 'draw-settlement', disabled: past, 'aria-describedby': past ? 'draw-past' : null }, t('edit.draw'));
  button.addEventListener('click', startDrawing);
  const here = el('button', { type: 'button', id: 'draw-here', disabled: past || !('geolocation' in navigator) }, t('edit.draw_here'));
  here.addEventListener('click', drawFromPosition);
  slot.replaceChildren(button, ' ', here, ...(past ? [el('span', { className: 'hint', id: 'draw-past' }, ' ' + t('asof.no_editing'))] : []));
}

/** The map went to another day: editing stops in the past (an open form, outline edit or drawing is dropped) and comes back at today. */
export function editingTimeChanged() {
  if (inPast()) {
    const describing = drawn !== null; // a new settlement's form is open in the details
    cancelDrawing();
    if (describing) closeDetails();
    leaveEditing();
  }
  renderDrawButton();
  renderDetails(); // its edit buttons, or the note that editing is off (nothing when the details are closed)
}

function startDrawing() {
  cancelDrawing();
  closeDetails();
  setStatus('edit.draw_hint');
  map.pm.enableDraw('Polygon', { allowSelfIntersection: false, snappable: false, finishOn: null });
}

// The side of the square a settlement drawn from the device's position starts as: a small settlement's size, and
// larger than a phone's usual accuracy outdoors, so its corners are apart enough to drag.
const HERE_SIZE_M = 40;

/** A new settlement started at the device's position: a square around it to reshape, and the form to describe it. */
async function drawFromPosition() {
  cancelDrawing();
  closeDetails();
  let position;
  try { position = await locate(); } catch { return; } // the status line says why
  const bounds = position.latlng.toBounds(HERE_SIZE_M);
  drawn = L.polygon([bounds.getSouthWest(), bounds.getSouthEast(), bounds.getNorthEast(), bounds.getNorthWest()]).addTo(map);
  drawn.pm.enable({ allowSelfIntersection: false, snappable: false });
  renderNewForm();
  setStatus('edit.draw_here_hint', { size: HERE_SIZE_M });
}

function cancelDrawing() {
  map.pm.disableDraw();
  if (drawn) { map.removeLayer(drawn); drawn = null; }
}

function onDrawn(event) {
  drawn = event.layer;
  setStatus(null);
  renderNewForm();
}

function renderNewForm(errors) {
  const details = $('details');
  details.hidden = false;
  $('details-title').textContent = t('edit.new_title');
  $('details-subtitle').textContent = '';
  $('details-note').hidden = true;
  const form = el('form', { id: 'new-form', className: 'edit-form', novalidate: true });
  const municipality = el('select', { id: 'new-municipality_code', name: 'municipality_code' });
  municipality.appendChild(el('option', { value: '' }, t('edit.municipality_auto')));
  for (const f of store.get('municipalities').features) {
    const p = f.properties;
    if (store.get('user').role === 'administrator' || store.get('user').municipalities.includes(p.code)) {
      municipality.appendChild(el('option', { value: p.code }, store.get('i18n').name(p.name_latn, p.name_cyrl)));
    }
  }
  const fields = [
    ['name_latn', el('input', { id: 'new-name_latn', name: 'name_latn', type: 'text', maxlength: '200' })],
    ['name_cyrl', el('input', { id: 'new-name_cyrl', name: 'name_cyrl', type: 'text', maxlength: '200' })],
    ['municipality_code', municipality],
    ['estimated_inhabitants', el('input', { id: 'new-estimated_inhabitants', name: 'estimated_inhabitants', type: 'number', min: '0', step: '1' })],
    ['source', el('input', { id: 'new-source', name: 'source', type: 'text', maxlength: '200' })],
  ];
  const labels = label();
  for (const [name, control] of fields) {
    control.dataset.kind = name === 'estimated_inhabitants' ? 'whole_number' : 'text';
    const error = el('span', { className: 'field-error', id: control.id + '-error', 'data-error-for': name, role: 'alert' });
    control.setAttribute('aria-describedby', error.id);
    const row = el('label', { className: 'field', for: control.id });
    const optional = name === 'name_latn' || name === 'municipality_code' ? '' : ' ' + t('edit.optional');
    row.append(el('span', {}, labels.field(name) + optional), control, error);
    form.appendChild(row);
  }
  form.appendChild(el('p', { className: 'field-error', 'data-error-for': 'geometry', role: 'alert' }));
  const create = el('button', { type: 'submit', id: 'new-save' }, t('edit.create'));
  const cancel = el('button', { type: 'button', id: 'new-cancel' }, t('edit.cancel'));
  cancel.addEventListener('click', () => { cancelDrawing(); details.hidden = true; });
  form.appendChild(formButtons(create, cancel));
  form.addEventListener('submit', (event) => { event.preventDefault(); createSettlement(form); });
  $('details-body').replaceChildren(form);
  watchCorrections(form);
  if (errors) showFieldErrors(form, errors);
  $('new-name_latn').focus();
}

async function createSettlement(form) {
  const properties = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    const value = parseFieldValue(control.dataset.kind, control.value);
    if (value !== null && value !== '') properties[control.name] = value;
  }
  message(t('edit.saving'));
  const geometry = drawn.toGeoJSON(7).geometry;
  const key = crypto.randomUUID(); // as in saveForm: a create whose answer was lost is not made twice
  const result = await send('POST', 'api/settlements', { type: 'Feature', properties, geometry }, { key });
  if (result.status === 0) {
    // No network: the new settlement waits on the device, sent once (its key) when online again.
    await queueCreate(properties, geometry, key);
    message(t('offline.queued'));
    return;
  }
  if (result.status === 201) {
    map.removeLayer(drawn);
    drawn = null;
    await loadSettlements();
    select(result.json.id);
    return;
  }
  if ((result.status === 400 || result.status === 409) && result.json && (result.json.errors || result.json.error_codes)) {
    showFieldErrors(form, result.json);
  } else {
    message(t('edit.failed', { message: problemText(result) }), true);
  }
}

/** Leaving a settlement (or the page's language changing) ends an unsaved outline edit. */
export function leaveEditing() {
  stopOutlineEdit(true);
}

/** Wires the sign-in dialog and drawing, and reads who is signed in. */
export async function startEditing() {
  $('sign-in-form').addEventListener('submit', submitSignIn);
  $('sign-in-cancel').addEventListener('click', () => $('sign-in-dialog').close());
  map.on('pm:create', onDrawn);
  store.subscribe('user', renderAccount);
  store.subscribe('i18n', () => { if (store.get('config')) renderAccount(); });
  await refreshUser();
  await startOfflineEdits(loadSettlements);
}
