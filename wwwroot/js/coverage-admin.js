// Administrators edit coverage records of one municipality at a time: who covers it, how many,
// and for which period. The server validates and audits every change; its field errors are
// shown next to the fields. Text from the data is only ever set with textContent.
import { pageTranslator } from './i18n.js';
import { $, el } from './dom.js';
import { currentUser, getJson, problemText, send } from './api.js';
import { exposeTestHook } from './test-hook.js';
import { programmeName } from './coverage-classes.js';

const i18n = pageTranslator();
const { t } = i18n;
let kinds = [];
let editing = null; // the record being edited, or null for a new one


function kindLabel(record) {
  if (record.kind !== 'programme') return t('coverage.kind.' + record.kind);
  const kind = kinds.find((k) => k.programme_code === record.programme_code);
  // A programme is read by its name; one unknown to the figures (added since) by the kind's label, not its code.
  return kind ? programmeName(kind, i18n.lang) : t('admin.kind.programme');
}

async function loadRecords() {
  const code = $('municipality').value;
  const records = await getJson('api/coverage?municipality=' + encodeURIComponent(code));
  const table = $('records');
  const head = el('tr');
  for (const h of [t('coverage.kind'), t('report.number'), t('report.period'), t('admin.source'), '']) head.appendChild(el('th', { scope: 'col' }, h));
  const rows = records.map((r) => {
    const tr = el('tr', { 'data-record': String(r.id) });
    tr.append(el('td', {}, kindLabel(r)), el('td', { class: 'num' }, r.count ?? '—'), el('td', {}, (r.valid_from || '…') + ' – ' + (r.valid_to || '…')),
      el('td', {}, r.source));
    const actions = el('td');
    const edit = el('button', { type: 'button', class: 'edit' }, t('admin.edit'));
    edit.addEventListener('click', () => showForm(r));
    const remove = el('button', { type: 'button', class: 'delete' }, t('admin.delete'));
    remove.addEventListener('click', async () => {
      if (!window.confirm(t('admin.confirm_delete'))) return;
      const result = await send('DELETE', 'api/coverage/' + r.id);
      say(result.ok ? t('admin.saved') : t('edit.failed', { message: problemText(result) }), !result.ok);
      await loadRecords();
    });
    actions.append(edit, remove);
    tr.appendChild(actions);
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

function say(text, error) {
  $('message').textContent = text;
  $('message').className = error ? 'error' : '';
}

function showForm(record) {
  editing = record;
  $('form-title').textContent = record ? t('admin.editing', { id: record.id }) : t('admin.new');
  const kind = el('select', { id: 'f-kind', name: 'kind' });
  for (const k of ['coordinator', 'health_mediator', 'pedagogical_assistant', 'mobile_team', 'local_action_plan', 'inter_ethnic_council']) {
    kind.appendChild(el('option', { value: k }, t('coverage.kind.' + k)));
  }
  kind.appendChild(el('option', { value: 'programme' }, t('admin.kind.programme')));
  const programme = el('select', { id: 'f-programme_code', name: 'programme_code' });
  programme.appendChild(el('option', { value: '' }, '—'));
  for (const k of kinds.filter((x) => x.programme_code)) programme.appendChild(el('option', { value: k.programme_code }, programmeName(k, i18n.lang)));
  const fields = [
    ['kind', t('coverage.kind'), kind],
    ['programme_code', t('admin.programme'), programme],
    ['count', t('admin.count'), el('input', { id: 'f-count', name: 'count', type: 'number', min: '0', max: '10000', step: '1' })],
    ['valid_from', t('admin.valid_from'), el('input', { id: 'f-valid_from', name: 'valid_from', type: 'date' })],
    ['valid_to', t('admin.valid_to'), el('input', { id: 'f-valid_to', name: 'valid_to', type: 'date' })],
    ['source', t('admin.source'), el('input', { id: 'f-source', name: 'source', type: 'text', maxlength: '200' })],
    ['note', t('admin.note'), el('input', { id: 'f-note', name: 'note', type: 'text', maxlength: '500' })],
  ];
  const nodes = fields.map(([name, label, control]) => {
    control.value = record ? (record[name] ?? '') : (name === 'kind' ? 'coordinator' : '');
    const wrapper = el('p');
    const caption = el('label', { for: control.id }, label);
    wrapper.append(caption, el('br'), control, el('br'), el('span', { class: 'error', 'data-error-for': name, role: 'alert' }));
    return wrapper;
  });
  $('fields').replaceChildren(...nodes);
}

async function save(event) {
  event.preventDefault();
  const value = (id) => $(id).value.trim();
  const body = {
    municipality_code: $('municipality').value,
    kind: value('f-kind'),
    programme_code: value('f-kind') === 'programme' ? (value('f-programme_code') || null) : null,
    count: value('f-count') === '' ? null : Number(value('f-count')),
    valid_from: value('f-valid_from') || null,
    valid_to: value('f-valid_to') || null,
    source: value('f-source'),
    note: value('f-note') || null,
  };
  const result = editing ? await send('PUT', 'api/coverage/' + editing.id, body) : await send('POST', 'api/coverage', body);
  for (const slot of document.querySelectorAll('[data-error-for]')) slot.textContent = '';
  if (result.ok) {
    say(t('admin.saved'));
    showForm(null);
    await loadRecords();
    return;
  }
  say(t('edit.failed', { message: problemText(result) }), true);
  for (const [name, texts] of Object.entries(result.json?.errors || {})) {
    const slot = document.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (slot) slot.textContent = texts.join(' ');
  }
}

async function start() {
  document.documentElement.lang = i18n.lang;
  $('back').textContent = t('report.back');
  $('title').textContent = t('admin.coverage');
  $('municipality-label').textContent = t('admin.municipality');
  $('save').textContent = t('admin.save');
  $('new').textContent = t('admin.new');
  const user = await currentUser();
  if (!user.signed_in || user.role !== 'administrator') { say(t('admin.only'), true); return; }
  const [municipalities, figures] = await Promise.all([
    getJson('api/layers/municipalities?zoom=0'),
    getJson('api/coverage/figures'),
  ]);
  kinds = figures.kinds;
  const select = $('municipality');
  const collator = new Intl.Collator(i18n.locale);
  const named = municipalities.features.map((x) => ({ code: x.properties.code, name: i18n.name(x.properties.name_latn, x.properties.name_cyrl) }));
  for (const f of named.sort((a, b) => collator.compare(a.name, b.name))) select.appendChild(el('option', { value: f.code }, f.name));
  const wanted = new URLSearchParams(location.search).get('municipality');
  if (wanted) select.value = wanted;
  select.addEventListener('change', () => { showForm(null); loadRecords(); });
  $('record-form').addEventListener('submit', save);
  $('new').addEventListener('click', () => showForm(null));
  $('editor').hidden = false;
  showForm(null);
  await loadRecords();
}

exposeTestHook({ ready: start() });
