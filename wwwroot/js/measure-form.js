// Editing a settlement's measures in its details (issue 26): the form to add or change one, the quick status
// actions (start, mark done), delete and history. Who may: canEditIn (rights.js), the rule of the settlement editor;
// the server decides again. Every change carries the version read (If-Match), a create its Idempotency-Key; a
// refusal is shown at its field in the page's language (form-problems.js); a change made meanwhile (412) keeps the
// person's input and shows the current values beside it. After a write the section reloads and measuresVersion is
// bumped, so the map's measures layer reloads too. The pure part (form values → request body, the PATCH diff)
// is exported for node tests.
import { el } from './dom.js';
import { getJson, problemText, send } from './api.js';
import { store } from './store.js';
import { formatDay, today } from './as-of.js';
import { toCyrillic } from './i18n.js';
import { parseFieldValue } from './edit-values.js';
import { fieldLabel, problemMessages, requestProblemText } from './field-problems.js';
import { showFieldErrors, watchCorrections } from './form-problems.js';
import { closedLists, labeller } from './schema.js';
import { listLabel, measureTitle } from './measures.js';

const t = (key, params) => store.get('i18n').t(key, params);

// ------------------------------------------------------------ pure: values, body, diff

/** The days a status has (the server's rule, MeasureEdit.ApplyStatus): the others are not sent. */
export const STATUS_DAYS = { planned: [], in_progress: ['started_on'], done: ['started_on', 'done_on'], dropped: ['started_on', 'dropped_on'] };

const text = (value) => {
  const trimmed = String(value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

/** The form's values of a measure as the API serves it (a new measure: the settlement and the plan given). */
export function measureValues(measure) {
  const m = measure || {};
  return {
    action_plan_id: m.action_plan_id ?? null,
    priority_area: m.priority_area ?? '',
    title_latn: m.title_latn ?? '', title_cyrl: m.title_cyrl ?? '', title_en: m.title_en ?? '',
    settlement_codes: [...(m.settlement_codes || [])],
    target_attribute: m.target_attribute ?? '', target_value: m.target_value ?? '',
    responsible_body: m.responsible_body ?? '',
    funding_source: m.funding_source ?? 'municipal_budget', programme_code: m.programme_code ?? '', donor_name: m.donor_name ?? '',
    currency: m.budget?.currency ?? '', amount: m.budget?.amount ?? '', spent: m.budget?.spent ?? '',
    status: m.status ?? 'planned', started_on: m.started_on ?? '', done_on: m.done_on ?? '', dropped_on: m.dropped_on ?? '',
    indicators: (m.indicators || []).map((i) => ({ name: i.name ?? '', unit: i.unit ?? '', target: i.target ?? '', achieved: i.achieved ?? '' })),
  };
}

/**
 * The request body of the form's values: texts trimmed (empty is null), numbers as numbers (a typed non-number stays
 * text, so the server names the mistake), the programme or donor only with its funding source, only the days the status
 * has, the target value typed as its attribute's values (targetKind), the budget only when the viewer is shown budgets.
 */
export function measureBody(values, { targetKind = 'text', budgets = true } = {}) {
  const days = STATUS_DAYS[values.status] || [];
  const body = {
    action_plan_id: values.action_plan_id === null || values.action_plan_id === '' ? null : Number(values.action_plan_id),
    priority_area: text(values.priority_area),
    title_latn: text(values.title_latn), title_cyrl: text(values.title_cyrl), title_en: text(values.title_en),
    settlement_codes: [...values.settlement_codes].sort(),
    target_attribute: text(values.target_attribute),
    target_value: text(values.target_attribute) === null ? null : parseFieldValue(targetKind === 'enum' ? 'text' : targetKind, values.target_value),
    responsible_body: text(values.responsible_body),
    funding_source: values.funding_source,
    programme_code: values.funding_source === 'programme' ? text(values.programme_code) : null,
    donor_name: values.funding_source === 'donor' ? text(values.donor_name) : null,
    status: values.status,
    started_on: days.includes('started_on') ? text(values.started_on) : null,
    done_on: days.includes('done_on') ? text(values.done_on) : null,
    dropped_on: days.includes('dropped_on') ? text(values.dropped_on) : null,
    indicators: values.indicators.filter((i) => [i.name, i.unit, i.target, i.achieved].some((v) => text(v) !== null)).map((i) => ({
      name: text(i.name), unit: text(i.unit), target: parseFieldValue('number', i.target), achieved: parseFieldValue('number', i.achieved),
    })),
  };
  if (budgets) {
    const budget = { currency: text(values.currency), amount: parseFieldValue('number', values.amount), spent: parseFieldValue('number', values.spent) };
    body.budget = Object.values(budget).every((v) => v === null) ? null : budget;
  }
  return body;
}

/**
 * A PATCH's body: the members of `body` that differ from the measure as it was read (`base`, a body of its values),
 * and the target value again with a changed target attribute (the server asks for both then).
 */
export function measureChanges(body, base) {
  const changed = {};
  for (const [name, value] of Object.entries(body)) {
    if (JSON.stringify(value) !== JSON.stringify(base[name] ?? null)) changed[name] = value;
  }
  if ('target_attribute' in changed && !('target_value' in changed)) changed.target_value = body.target_value;
  return changed;
}

/** The body's members whose current value (after a change made meanwhile) differs from what was read: the fields to point at. */
export function changedMeanwhile(read, current) {
  return Object.keys(current).filter((name) => JSON.stringify(read[name] ?? null) !== JSON.stringify(current[name] ?? null));
}

/** An ETag for If-Match from a measure's version as a list serves it (the same value GET /api/measures/{id} sends). */
export const versionTag = (measure) => '"' + measure.version + '"';

// ------------------------------------------------------------ value texts

const LISTS = { priority_area: 'priority_area', status: 'measure_status', funding_source: 'funding_source', currency: 'currency' };

/** A member's value as a person reads it (history, the values changed meanwhile): labels, names, days; a dash for none. */
export function valueText(field, value, vocabulary, i18n) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return i18n.t('value.none_recorded');
  if (field in LISTS) return listLabel(vocabulary, LISTS[field], value, i18n.lang);
  if (field === 'programme_code') {
    const programme = (vocabulary.programmes || []).find((p) => p.value === value);
    return programme ? programme.label[i18n.lang] || programme.label.en : value;
  }
  if (field === 'target_attribute') {
    const attribute = (vocabulary.attributes || []).find((a) => a.name === value);
    return attribute ? attribute.label[i18n.lang] || attribute.label.en : value;
  }
  if (field === 'budget') {
    const amount = (n) => (n === null || n === undefined ? i18n.t('value.none_recorded') : i18n.number(n));
    return amount(value.amount) + ' / ' + amount(value.spent) + (value.currency ? ' ' + value.currency : '');
  }
  if (/^(started|done|dropped)_on$/.test(field)) return formatDay(value, i18n);
  if (field === 'indicators') return value.map((i) => i.name + (i.target !== null && i.target !== undefined ? ' (' + i18n.number(i.target) + ')' : '')).join('; ');
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'number') return i18n.number(value);
  return String(value);
}

// ------------------------------------------------------------ the form

const labelOf = (name) => {
  const indicator = /^indicators\[(\d+)\]\.(\w+)$/.exec(name);
  if (indicator) return t('problem.field.indicators') + ' ' + (Number(indicator[1]) + 1) + ': ' + t('measure_form.indicator_' + indicator[2]);
  return fieldLabel(name, store.get('config'), store.get('i18n'));
};

/** One field: its label, control, a hint, the value changed meanwhile and the refusal slot the control describes itself by. */
function field(name, control, options = {}) {
  const id = control.id || 'measure-' + name.replace(/[^\w-]/g, '-');
  control.id = id;
  if (!control.name) control.name = name;
  const error = el('span', { className: 'field-error', id: id + '-error', 'data-error-for': name, role: 'alert' });
  const now = el('span', { className: 'hint measure-now', id: id + '-now', 'data-now-for': name });
  const hint = options.hint ? el('span', { className: 'hint', id: id + '-hint' }, options.hint) : null;
  control.setAttribute('aria-describedby', [hint && hint.id, now.id, error.id].filter(Boolean).join(' '));
  const row = el('label', { className: 'field', for: id, 'data-field': name });
  const caption = el('span', { className: 'caption' }, options.label ?? labelOf(name));
  if (options.required) { control.required = true; caption.appendChild(el('abbr', { className: 'required', title: t('edit.required') }, '*')); }
  row.append(caption, control, ...(hint ? [hint] : []), now, error);
  return row;
}

function select(options, value, attributes = {}) {
  const control = el('select', attributes);
  for (const [v, label] of options) control.appendChild(el('option', { value: v }, label));
  control.value = value ?? '';
  return control;
}

const listOptions = (vocabulary, list) => (vocabulary.lists[list] || []).map((v) => [v.value, v.label[store.get('i18n').lang]]);

/** The target value's control for an attribute: its closed list, a number, or text. */
function targetControl(vocabulary, attributeName, value) {
  const attribute = (vocabulary.attributes || []).find((a) => a.name === attributeName);
  const kind = attribute ? attribute.type : 'text';
  let control;
  if (attribute && attribute.list) {
    const label = labeller(store.get('config'), store.get('i18n').lang);
    const values = closedLists(store.get('config'))[attribute.list] || [];
    control = select([['', t('measure_form.choose')], ...values.map((v) => [v, label.value(attribute.list, v)])], value ?? '');
    control.dataset.kind = 'enum';
  } else {
    const number = kind === 'number' || kind === 'whole_number';
    control = el('input', { type: number ? 'number' : 'text', step: number ? 'any' : null, maxlength: number ? null : '64' });
    control.value = value ?? '';
    control.dataset.kind = kind;
  }
  control.id = 'measure-target_value';
  control.name = 'target_value';
  control.disabled = !attribute;
  return control;
}

/** An indicator's row: name, unit, target, achieved, and its remove button. */
function indicatorRow(list, indicator) {
  const row = el('fieldset', { className: 'measure-indicator' });
  const legend = el('legend');
  row.appendChild(legend);
  for (const part of ['name', 'unit', 'target', 'achieved']) {
    const number = part === 'target' || part === 'achieved';
    const control = el('input', { type: number ? 'number' : 'text', step: number ? 'any' : null, maxlength: part === 'name' ? '200' : part === 'unit' ? '32' : null, 'data-part': part });
    control.value = indicator[part] ?? '';
    row.appendChild(field('indicators.' + part, control, { label: t('measure_form.indicator_' + part), required: part === 'name' }));
  }
  const remove = el('button', { type: 'button', className: 'link-button measure-indicator-remove' });
  remove.addEventListener('click', () => { row.remove(); numberIndicators(list); });
  row.appendChild(remove);
  list.appendChild(row);
  numberIndicators(list);
}

/** Rows numbered in order; each control's name is the API's (indicators[i].name), so a refusal finds its field. */
function numberIndicators(list) {
  [...list.querySelectorAll('.measure-indicator')].forEach((row, i) => {
    row.querySelector('legend').textContent = t('problem.field.indicators') + ' ' + (i + 1);
    row.querySelector('.measure-indicator-remove').textContent = t('measure_form.remove_indicator', { n: i + 1 });
    for (const control of row.querySelectorAll('[data-part]')) {
      const name = 'indicators[' + i + '].' + control.dataset.part;
      const id = 'measure-indicator-' + i + '-' + control.dataset.part;
      control.name = name;
      control.id = id;
      const slot = control.parentElement.querySelector('[data-error-for]');
      slot.dataset.errorFor = name;
      slot.id = id + '-error';
      const now = control.parentElement.querySelector('[data-now-for]');
      now.id = id + '-now';
      control.setAttribute('aria-describedby', now.id + ' ' + slot.id);
      control.parentElement.setAttribute('for', id);
    }
  });
}

/** The form's values, read from its controls (the same shape as measureValues). */
function readForm(form) {
  const value = (name) => (form.querySelector(`[name="${name}"]`) ? form.querySelector(`[name="${name}"]`).value : '');
  return {
    action_plan_id: value('action_plan_id') || null,
    priority_area: value('priority_area'),
    title_latn: value('title_latn'), title_cyrl: value('title_cyrl'), title_en: value('title_en'),
    settlement_codes: [...form.querySelectorAll('input[name="settlement_codes"]:checked')].map((c) => c.value),
    target_attribute: value('target_attribute'), target_value: value('target_value'),
    responsible_body: value('responsible_body'),
    funding_source: value('funding_source'), programme_code: value('programme_code'), donor_name: value('donor_name'),
    currency: value('budget.currency'), amount: value('budget.amount'), spent: value('budget.spent'),
    status: value('status'), started_on: value('started_on'), done_on: value('done_on'), dropped_on: value('dropped_on'),
    indicators: [...form.querySelectorAll('.measure-indicator')].map((row) => Object.fromEntries(
      [...row.querySelectorAll('[data-part]')].map((c) => [c.dataset.part, c.value]))),
  };
}

/** Shows what depends on another field: the programme or donor by funding source, the days by status. */
function showDependent(form) {
  const funding = form.querySelector('[name="funding_source"]').value;
  form.querySelector('[data-field="programme_code"]').hidden = funding !== 'programme';
  form.querySelector('[data-field="donor_name"]').hidden = funding !== 'donor';
  const days = STATUS_DAYS[form.querySelector('[name="status"]').value] || [];
  for (const day of ['started_on', 'done_on', 'dropped_on']) form.querySelector(`[data-field="${day}"]`).hidden = !days.includes(day);
}

/** The plans of the municipality as options, or null when it has none. */
async function planOptions(municipalityCode) {
  const page = await getJson('api/action-plans?municipality=' + encodeURIComponent(municipalityCode));
  if (page.items.length === 0) return null;
  const lang = store.get('i18n').lang;
  return page.items.map((p) => [String(p.id), t('measure_form.plan_option', {
    title: lang === 'sr-Cyrl' ? p.title_cyrl : lang === 'en' && p.title_en ? p.title_en : p.title_latn,
    start: p.period_start.slice(0, 4), end: p.period_end.slice(0, 4),
  })]);
}

/** The municipality's settlements (code, name in the page's script), sorted by name; the current one at least. */
async function municipalitySettlements(municipalityCode, current) {
  const i18n = store.get('i18n');
  const all = new Map([[current.code, i18n.name(current.name_latn, current.name_cyrl)]]);
  try {
    const layer = await getJson('api/layers/settlements?municipality=' + encodeURIComponent(municipalityCode));
    for (const f of layer.features) all.set(f.properties.code, i18n.name(f.properties.name_latn, f.properties.name_cyrl));
  } catch {
    // The list could not be read: the measure may still name the settlement at hand.
  }
  return [...all].sort((a, b) => a[1].localeCompare(b[1], i18n.locale));
}

/**
 * Opens the form in the measures section: a new measure of the settlement at hand (measure null), or one read
 * with its ETag. done() is called after a save (the section reloads) or a cancel.
 */
export async function openMeasureForm(section, { settlement, vocabulary, measure = null, etag = null, done }) {
  const i18n = store.get('i18n');
  const municipalityCode = measure ? measure.municipality_code : settlement.municipality_code;
  const heading = el('h3', {}, t(measure ? 'measure_form.edit_title' : 'measure_form.new_title'));
  section.replaceChildren(heading, el('p', { className: 'hint' }, t('details.loading')));
  let plans;
  let settlements;
  try {
    [plans, settlements] = await Promise.all([planOptions(municipalityCode), municipalitySettlements(municipalityCode, settlement)]);
  } catch (error) {
    section.replaceChildren(heading, el('p', { className: 'field-error' }, t('measure_form.plans_failed', { message: error.message })), backButton(done));
    return;
  }
  if (!plans) {
    section.replaceChildren(heading, el('p', { className: 'hint', id: 'measure-no-plan' }, t('measure_form.no_plan')), backButton(done));
    return;
  }
  const values = measure ? measureValues(measure) : { ...measureValues(null), action_plan_id: plans[0][0], settlement_codes: [settlement.code] };
  // Budgets: a measure as read has them only when this viewer is shown them; whoever may add a measure in a
  // municipality (its coordinator, an administrator) is shown its budgets (MeasureBudgets).
  const budgets = measure ? 'budget' in measure : true;
  const state = { base: measure, etag, budgets };

  const form = el('form', { id: 'measure-form', className: 'edit-form measure-form', novalidate: true, 'aria-labelledby': 'measure-form-title' });
  heading.id = 'measure-form-title';
  const plan = select(plans, String(values.action_plan_id), { disabled: Boolean(measure) });
  form.appendChild(field('action_plan_id', plan, { hint: measure ? t('measure_form.plan_fixed') : null }));
  form.appendChild(field('priority_area', select([['', t('measure_form.choose')], ...listOptions(vocabulary, 'priority_area')], values.priority_area), { required: true }));
  const latin = el('input', { type: 'text', maxlength: '300' });
  latin.value = values.title_latn;
  const cyrillic = el('input', { type: 'text', maxlength: '300', lang: 'sr-Cyrl' });
  cyrillic.value = values.title_cyrl;
  // The Cyrillic title follows the Latin one until the person writes it themselves.
  let offered = values.title_cyrl === toCyrillic(values.title_latn);
  latin.addEventListener('input', () => { if (offered) cyrillic.value = toCyrillic(latin.value); });
  cyrillic.addEventListener('input', () => { offered = cyrillic.value === toCyrillic(latin.value); });
  const english = el('input', { type: 'text', maxlength: '300', lang: 'en' });
  english.value = values.title_en;
  form.append(field('title_latn', latin, { required: true }), field('title_cyrl', cyrillic, { hint: t('measure_form.cyrl_hint') }), field('title_en', english));

  const places = el('fieldset', { className: 'measure-settlements', 'data-field': 'settlement_codes' });
  places.appendChild(el('legend', {}, labelOf('settlement_codes')));
  for (const [code, name] of settlements) {
    const box = el('input', { type: 'checkbox', name: 'settlement_codes', value: code, id: 'measure-settlement-' + code });
    box.checked = values.settlement_codes.includes(code);
    const row = el('label', { className: 'check', for: box.id });
    row.append(box, ' ' + name);
    places.appendChild(row);
  }
  places.appendChild(el('span', { className: 'hint measure-now', 'data-now-for': 'settlement_codes' }));
  places.appendChild(el('span', { className: 'field-error', 'data-error-for': 'settlement_codes', role: 'alert' }));
  form.appendChild(places);

  const lang = i18n.lang;
  const attribute = select([['', t('measure_form.no_target')], ...(vocabulary.attributes || []).map((a) => [a.name, a.label[lang] || a.label.en])], values.target_attribute);
  form.appendChild(field('target_attribute', attribute));
  const targetRow = field('target_value', targetControl(vocabulary, values.target_attribute, values.target_value));
  form.appendChild(targetRow);
  attribute.addEventListener('change', () => {
    const old = targetRow.querySelector('[name="target_value"]');
    const next = targetControl(vocabulary, attribute.value, '');
    next.setAttribute('aria-describedby', old.getAttribute('aria-describedby'));
    old.replaceWith(next);
  });
  const body = el('input', { type: 'text', maxlength: '200' });
  body.value = values.responsible_body;
  form.appendChild(field('responsible_body', body));

  form.appendChild(field('funding_source', select(listOptions(vocabulary, 'funding_source'), values.funding_source)));
  const programmes = (vocabulary.programmes || []).map((p) => [p.value, p.label[lang] || p.label.en]);
  form.appendChild(field('programme_code', select([['', t('measure_form.choose')], ...programmes], values.programme_code)));
  const donor = el('input', { type: 'text', maxlength: '200' });
  donor.value = values.donor_name;
  form.appendChild(field('donor_name', donor));

  if (budgets) {
    const money = el('fieldset', { className: 'measure-budget' });
    money.appendChild(el('legend', {}, t('measures.budget')));
    money.appendChild(field('budget.currency', select([['', t('measure_form.choose')], ...listOptions(vocabulary, 'currency')], values.currency)));
    for (const part of ['amount', 'spent']) {
      const control = el('input', { type: 'number', min: '0', step: '0.01' });
      control.value = values[part];
      money.appendChild(field('budget.' + part, control));
    }
    form.appendChild(money);
  }

  form.appendChild(field('status', select(listOptions(vocabulary, 'measure_status'), values.status)));
  for (const day of ['started_on', 'done_on', 'dropped_on']) {
    const control = el('input', { type: 'date', min: '1990-01-01', max: today() });
    control.value = values[day];
    form.appendChild(field(day, control));
  }

  const indicators = el('fieldset', { className: 'measure-indicators', 'data-field': 'indicators' });
  indicators.appendChild(el('legend', {}, labelOf('indicators')));
  const rows = el('div', { className: 'measure-indicator-rows' });
  indicators.append(rows, el('span', { className: 'hint measure-now', 'data-now-for': 'indicators' }),
    el('span', { className: 'field-error', 'data-error-for': 'indicators', role: 'alert' }));
  for (const indicator of values.indicators) indicatorRow(rows, indicator);
  const add = el('button', { type: 'button', id: 'measure-add-indicator' }, t('measure_form.add_indicator'));
  add.addEventListener('click', () => {
    indicatorRow(rows, { name: '', unit: '', target: '', achieved: '' });
    rows.lastElementChild.querySelector('input').focus();
  });
  indicators.appendChild(add);
  form.appendChild(indicators);

  const save = el('button', { type: 'submit', id: 'measure-save' }, t('edit.save'));
  const cancel = el('button', { type: 'button', id: 'measure-cancel' }, t('edit.cancel'));
  cancel.addEventListener('click', () => done(false));
  const bar = el('div', { className: 'form-buttons' });
  bar.append(el('p', { id: 'measure-message', className: 'edit-message', role: 'status' }), save, cancel);
  form.appendChild(bar);

  form.addEventListener('change', (event) => { if (event.target.name === 'funding_source' || event.target.name === 'status') showDependent(form); });
  form.addEventListener('submit', (event) => { event.preventDefault(); saveMeasure(form, state, vocabulary, done); });
  showDependent(form);
  watchCorrections(form);
  section.replaceChildren(heading, form);
  (measure ? latin : plan).focus();
}

function backButton(done) {
  const back = el('button', { type: 'button', id: 'measure-cancel' }, t('edit.cancel'));
  back.addEventListener('click', () => done(false));
  return back;
}

function formMessage(form, text, error) {
  const node = form.querySelector('.edit-message');
  node.textContent = text;
  node.classList.toggle('error', Boolean(error));
}

/** The target value's kind (its attribute's type) for the body. */
const targetKind = (form) => (form.querySelector('[name="target_value"]').dataset.kind || 'text');

async function saveMeasure(form, state, vocabulary, done) {
  const body = measureBody(readForm(form), { targetKind: targetKind(form), budgets: state.budgets });
  let result;
  if (state.base) {
    const base = measureBody(measureValues(state.base), { targetKind: targetKind(form), budgets: state.budgets });
    const changed = measureChanges(body, base);
    delete changed.action_plan_id; // a measure stays in its plan
    if (Object.keys(changed).length === 0) { formMessage(form, t('edit.no_changes')); return; }
    formMessage(form, t('edit.saving'));
    result = await send('PATCH', 'api/measures/' + state.base.id, changed, { etag: state.etag, key: crypto.randomUUID() });
  } else {
    formMessage(form, t('edit.saving'));
    // The key goes with the first try: a create whose answer was lost is answered when sent again, not made twice.
    result = await send('POST', 'api/measures', body, { key: crypto.randomUUID() });
  }
  if (result.ok) { done(true); return; }
  if (result.status === 412 && result.json && result.json.current) {
    showMeanwhile(form, state, result.json.current, result.etag, vocabulary);
    return;
  }
  if ((result.status === 400 || result.status === 422) && result.json && (result.json.errors || result.json.error_codes)) {
    showFieldErrors(form, result.json, labelOf);
    return;
  }
  formMessage(form, result.status === 401 ? t('edit.signed_out')
    : result.status === 412 ? t('measure_form.deleted_meanwhile')
      : requestProblemText(result.json, store.get('config'), store.get('i18n')) ?? t('edit.failed', { message: problemText(result) }), true);
}

/**
 * Someone changed the measure after it was read: the person's input stays in the form, and beside each field that
 * changed meanwhile its current value. The next save sends the person's own changes (what differs from the version
 * they read) to the current version: their values where the person changed nothing, the person's where they did.
 */
function showMeanwhile(form, state, current, etag, vocabulary) {
  const i18n = store.get('i18n');
  const options = { targetKind: targetKind(form), budgets: state.budgets };
  const read = measureBody(measureValues(state.base), options);
  const now = measureBody(measureValues(current), options);
  for (const node of form.querySelectorAll('[data-now-for]')) node.textContent = '';
  for (const name of changedMeanwhile(read, now)) {
    const slot = form.querySelector(`[data-now-for="${name}"]`) || form.querySelector('[data-now-for="budget.amount"]');
    if (slot) slot.textContent = t('measure_form.now', { value: valueText(name, current[name] ?? null, vocabulary, i18n) });
  }
  state.etag = etag;
  formMessage(form, t('measure_form.conflict'), true);
}

// ------------------------------------------------------------ a measure's actions in the list

/** Sends a change of one measure as it was listed (its version), then calls done(true) or says why not. */
async function quickChange(measure, body, note, done) {
  const result = await send('PATCH', 'api/measures/' + measure.id, body, { etag: versionTag(measure), key: crypto.randomUUID() });
  if (result.ok) { done(true); return; }
  note.classList.add('error');
  note.textContent = result.status === 412 ? t('measure_form.changed_meanwhile')
    : result.status === 400 && result.json ? Object.entries(problemMessages(result.json, store.get('config'), store.get('i18n')))
      .map(([name, texts]) => labelOf(name) + ': ' + texts.join(' ')).join(' ')
      : t('edit.failed', { message: problemText(result) });
}

/** "Start" or "Mark done": the day (today unless changed) and a confirm button, in the measure's item. */
function statusStep(measure, status, day, note, done) {
  const holder = el('form', { className: 'measure-step', 'data-step': status });
  const control = el('input', { type: 'date', name: day, id: 'measure-step-' + measure.id + '-' + day, max: today(), min: '1990-01-01', required: true });
  control.value = today();
  const row = el('label', { className: 'field', for: control.id });
  row.append(el('span', { className: 'caption' }, labelOf(day)), control);
  const confirm = el('button', { type: 'submit', className: 'measure-step-confirm' }, t('measure_form.confirm'));
  const cancel = el('button', { type: 'button' }, t('edit.cancel'));
  cancel.addEventListener('click', () => holder.remove());
  holder.append(row, confirm, cancel);
  holder.addEventListener('submit', (event) => {
    event.preventDefault();
    quickChange(measure, { status, [day]: control.value || null }, note, done);
  });
  return holder;
}

/** History of a measure: when, who, what; each changed member with its old and new value. */
async function loadHistory(measure, vocabulary, holder) {
  const i18n = store.get('i18n');
  holder.replaceChildren(el('p', { className: 'hint' }, t('history.loading')));
  const result = await send('GET', 'api/measures/' + measure.id + '/history');
  if (!result.ok) { holder.replaceChildren(el('p', { className: 'field-error' }, t('history.failed', { message: problemText(result) }))); return; }
  const when = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' });
  const list = el('ol', { className: 'history-list measure-history' });
  for (const entry of result.json) {
    const item = el('li', { 'data-change': String(entry.id), 'data-action': entry.action });
    item.appendChild(el('div', { className: 'history-head' }, when.format(new Date(entry.changed_at)) + ' · ' + entry.changed_by + ' · ' + t('history.action.' + entry.action)));
    const changes = el('ul', { className: 'history-changes' });
    if (entry.action === 'update') {
      for (const [name, change] of Object.entries(entry.changes || {})) {
        changes.appendChild(el('li', { 'data-field': name }, labelOf(name) + ': ' + valueText(name, change.old, vocabulary, i18n) + ' → ' + valueText(name, change.new, vocabulary, i18n)));
      }
    }
    if (changes.childElementCount) item.appendChild(changes);
    list.appendChild(item);
  }
  holder.replaceChildren(list.childElementCount ? list : el('p', { className: 'hint' }, t('history.none')));
}

/**
 * The buttons of one measure for whoever may edit it: Edit (the form, from the measure read afresh with its ETag),
 * Start or Mark done with the day, Delete (confirmed; If-Match) and History. done(saved) after a write.
 */
export function measureActions(measure, { section, settlement, vocabulary, done }) {
  const actions = el('div', { className: 'measure-actions', 'data-measure-actions': String(measure.id) });
  const buttons = el('div', { className: 'edit-actions' });
  const note = el('p', { className: 'edit-message', role: 'status' });
  const extra = el('div');
  const button = (action, key) => {
    const b = el('button', { type: 'button', className: 'link-button', 'data-action': action }, t(key));
    buttons.appendChild(b);
    return b;
  };
  button('edit', 'measure_form.edit').addEventListener('click', async () => {
    const result = await send('GET', 'api/measures/' + measure.id);
    if (!result.ok) { note.textContent = t('edit.failed', { message: problemText(result) }); return; }
    openMeasureForm(section, { settlement, vocabulary, measure: result.json, etag: result.etag, done });
  });
  if (measure.status === 'planned') {
    button('start', 'measure_form.start').addEventListener('click', () => extra.replaceChildren(statusStep(measure, 'in_progress', 'started_on', note, done)));
  }
  if (measure.status === 'planned' || measure.status === 'in_progress') {
    button('done', 'measure_form.mark_done').addEventListener('click', () => extra.replaceChildren(statusStep(measure, 'done', 'done_on', note, done)));
  }
  button('delete', 'measure_form.delete').addEventListener('click', async () => {
    if (!window.confirm(t('measure_form.confirm_delete', { title: measureTitle(measure, store.get('i18n')) }))) return;
    const result = await send('DELETE', 'api/measures/' + measure.id, undefined, { etag: versionTag(measure), key: crypto.randomUUID() });
    if (result.ok) { done(true); return; }
    note.classList.add('error');
    note.textContent = result.status === 412 ? t('measure_form.changed_meanwhile') : t('edit.failed', { message: problemText(result) });
  });
  const history = button('history', 'history.title');
  history.setAttribute('aria-expanded', 'false');
  history.addEventListener('click', () => {
    const open = history.getAttribute('aria-expanded') !== 'true';
    history.setAttribute('aria-expanded', String(open));
    if (open) loadHistory(measure, vocabulary, extra); else extra.replaceChildren();
  });
  actions.append(buttons, extra, note);
  return actions;
}
