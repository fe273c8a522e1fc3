// Who sees what, for administrators: each settlement attribute's level (public, signed-in users,
// administrators only), the public view's generalisation of small settlements, and the audited
// changes of both. The server applies a change to every output at its next request. Text from the
// server is set with textContent only.
import { el } from './dom.js';
import { getJson, send } from './api.js';

/** Text of a label object ({ "sr-Latn", "sr-Cyrl", en }) in the page's language. */
const labelIn = (label, lang) => (label && (label[lang] ?? label.en)) || '';

/** Field messages in the page's language for the fields the server names (its own English text as a fallback). */
function fieldMessage(t, field, result) {
  const key = 'sensitivity.error.' + field;
  const own = t(key);
  if (own !== key) return own;
  const errors = (result.json && result.json.errors) || {};
  return (errors[field] || []).join(' ') || t('sensitivity.failed');
}

/**
 * Fills a section of the administration page. i18n is the page's translator ({ t, lang, number }).
 * Resolves when the settings are shown; an error is shown in the section, not thrown.
 */
export async function mountSensitivity(section, i18n) {
  const { t } = i18n;
  section.replaceChildren(el('h2', { id: 'sensitivity-heading' }, t('sensitivity.heading')), el('p', { class: 'hint' }, t('sensitivity.intro')));
  section.setAttribute('aria-labelledby', 'sensitivity-heading');
  let settings;
  let config;
  try {
    [settings, config] = await Promise.all([getJson('api/sensitivity'), getJson('api/config')]);
  } catch (error) {
    section.append(el('p', { class: 'error', role: 'alert' }, t('sensitivity.load_failed', { message: error.message })));
    return;
  }
  section.append(levelsTable(settings, config.groups, i18n), generalisationForm(settings.generalisation, i18n), changesList(settings.changes, i18n));
}

function levelsTable(settings, groups, i18n) {
  const { t, lang } = i18n;
  const table = el('table', { class: 'sensitivity-levels', id: 'sensitivity-levels' });
  table.append(el('caption', {}, t('sensitivity.levels_caption')));
  const head = el('tr');
  for (const text of [t('sensitivity.attribute'), t('sensitivity.level'), t('sensitivity.default'), '']) head.append(el('th', { scope: 'col' }, text));
  table.append(el('thead', {}, undefined), el('tbody'));
  table.tHead.append(head);
  const levelLabel = (value) => labelIn((settings.levels.find((l) => l.value === value) || {}).label, lang) || value;
  let group = null;
  // By group in the page's order (the schema's order mixes them), the identity attributes that cannot be restricted in a note.
  const order = (name) => groups.findIndex((g) => g.name === name);
  const restrictable = settings.attributes.filter((a) => a.restrictable).sort((a, b) => order(a.group) - order(b.group));
  for (const attribute of restrictable) {
    if (attribute.group !== group) {
      group = attribute.group;
      const heading = el('tr', { class: 'group' });
      heading.append(el('th', { scope: 'rowgroup', colspan: '4' }, labelIn((groups.find((g) => g.name === group) || {}).label, lang) || group));
      table.tBodies[0].append(heading);
    }
    const row = el('tr', { 'data-attribute': attribute.name });
    const name = el('th', { scope: 'row' }, labelIn(attribute.label, lang));
    name.append(el('span', { class: 'code' }, ' ' + attribute.name));
    const select = el('select', { 'aria-label': t('sensitivity.level_of', { attribute: labelIn(attribute.label, lang) }) });
    for (const level of settings.levels) select.append(el('option', { value: level.value, selected: level.value === attribute.level }, labelIn(level.label, lang)));
    const status = el('td', { class: 'save-state', 'aria-live': 'polite' });
    select.addEventListener('change', async () => {
      const previous = attribute.level;
      const chosen = select.value;
      if (chosen === 'public' && previous !== 'public' && !window.confirm(t('sensitivity.confirm_public', { attribute: labelIn(attribute.label, lang) }))) {
        select.value = previous;
        return;
      }
      select.disabled = true;
      status.textContent = t('sensitivity.saving');
      const result = await send('PUT', 'api/sensitivity/attributes/' + encodeURIComponent(attribute.name), { level: chosen });
      select.disabled = false;
      if (result.ok) {
        attribute.level = chosen;
        status.textContent = t('sensitivity.saved_level', { level: levelLabel(chosen) });
        status.className = 'save-state saved';
      } else {
        select.value = previous;
        status.textContent = fieldMessage(t, 'level', result);
        status.className = 'save-state error';
      }
    });
    const cell = el('td');
    cell.append(select);
    row.append(name, cell, el('td', { 'data-caption': t('sensitivity.default') }, levelLabel(attribute.default_level)), status);
    table.tBodies[0].append(row);
  }
  const fixed = settings.attributes.filter((a) => !a.restrictable).map((a) => labelIn(a.label, lang));
  const wrapper = el('div');
  wrapper.append(table, el('p', { class: 'hint', id: 'always-public' }, t('sensitivity.always_public', { attributes: fixed.join(', ') })));
  return wrapper;
}

function generalisationForm(generalisation, i18n) {
  const { t } = i18n;
  const form = el('form', { id: 'generalisation-form', class: 'generalisation', novalidate: true });
  form.append(el('h3', {}, t('sensitivity.generalisation')), el('p', { class: 'hint' }, t('sensitivity.generalisation_intro')));
  const field = (name, input, label) => {
    const id = 'generalisation-' + name;
    input.id = id;
    const message = el('span', { class: 'field-error', id: id + '-error', 'aria-live': 'polite' });
    input.setAttribute('aria-describedby', message.id);
    const wrapper = el('p', { class: 'field' });
    wrapper.append(el('label', { for: id }, label), input, message);
    form.append(wrapper);
    return message;
  };
  const enabled = el('input', { type: 'checkbox', name: 'enabled', checked: generalisation.enabled });
  const threshold = el('input', { type: 'number', name: 'threshold', min: '1', max: '10000', step: '1', value: String(generalisation.threshold), inputmode: 'numeric' });
  const radius = el('input', { type: 'number', name: 'radius_m', min: '100', max: '5000', step: '10', value: String(generalisation.radius_m), inputmode: 'numeric' });
  const messages = {
    enabled: field('enabled', enabled, t('sensitivity.generalise_small')),
    threshold: field('threshold', threshold, t('sensitivity.threshold')),
    radius_m: field('radius_m', radius, t('sensitivity.radius')),
  };
  const save = el('button', { type: 'submit' }, t('sensitivity.save_generalisation'));
  const status = el('span', { class: 'save-state', role: 'status' });
  const actions = el('p');
  actions.append(save, status);
  form.append(actions);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const message of Object.values(messages)) message.textContent = '';
    save.disabled = true;
    status.textContent = t('sensitivity.saving');
    const number = (input) => (input.value.trim() === '' || !Number.isInteger(Number(input.value)) ? null : Number(input.value));
    const result = await send('PUT', 'api/sensitivity/generalisation', { enabled: enabled.checked, threshold: number(threshold), radius_m: number(radius) });
    save.disabled = false;
    if (result.ok) {
      status.textContent = t('sensitivity.saved');
      return;
    }
    status.textContent = t('sensitivity.not_saved');
    const errors = (result.json && result.json.errors) || {};
    for (const name of Object.keys(errors)) if (messages[name]) messages[name].textContent = fieldMessage(t, name, result);
    const first = Object.keys(errors).find((name) => messages[name]);
    if (first) form.elements[first].focus();
  });
  return form;
}

function changesList(changes, i18n) {
  const { t } = i18n;
  const wrapper = el('div', { class: 'sensitivity-changes' });
  wrapper.append(el('h3', {}, t('sensitivity.changes')));
  if (!changes.length) {
    wrapper.append(el('p', { class: 'hint' }, t('sensitivity.no_changes')));
    return wrapper;
  }
  const list = el('ol', { reversed: true });
  const describe = (value) => (value ? Object.entries(value).map(([k, v]) => k + ': ' + v).join(', ') : '—');
  for (const change of changes) {
    list.append(el('li', {}, `${new Date(change.changed_at).toLocaleString(i18n.locale)} · ${change.changed_by} · ${change.subject}: ${describe(change.before)} → ${describe(change.after)}`));
  }
  wrapper.append(list);
  return wrapper;
}
