// A settlement's measures in its details (issue 26): read from GET /api/measures?settlement=<code>; the closed
// lists' labels come from GET /api/measures/lists, read once, never repeated here.
import { el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { formatDay } from './as-of.js';
import { toCyrillic } from './i18n.js';
import { canEditIn } from './rights.js';
import { measureActions, openMeasureForm } from './measure-form.js';

let lists = null;

/** The closed lists of measures (value → label per language), read once per page. */
function measureLists() {
  if (!lists) lists = getJson('api/measures/lists').catch((error) => { lists = null; throw error; });
  return lists;
}

/** A closed list's label for a value in the page's language; the value itself when the list lacks it. */
export function listLabel(vocabulary, list, value, lang) {
  const found = (vocabulary.lists[list] || []).find((v) => v.value === value);
  return found ? found.label[lang] : value;
}

/** A measure's title in the page's language (English falls back to the Latin title). */
export function measureTitle(measure, i18n) {
  if (i18n.lang === 'en' && measure.title_en) return measure.title_en;
  return i18n.lang === 'sr-Cyrl' ? measure.title_cyrl : measure.title_latn;
}

/** The day a measure's status began: done, dropped or started on; none for a planned one. */
function statusDay(measure) {
  return measure.done_on || measure.dropped_on || measure.started_on || null;
}

/** One measure as a list item: title, area, status with its day, funding, budget (when served) and indicators. */
export function measureItem(measure, vocabulary, i18n) {
  const { t, lang } = i18n;
  const item = el('li', { className: 'measure', 'data-measure': String(measure.id), 'data-status': measure.status });
  item.appendChild(el('strong', { className: 'measure-title' }, measureTitle(measure, i18n)));
  const list = el('dl');
  const row = (key, value) => list.append(el('dt', {}, t(key)), el('dd', { 'data-measure-field': key }, value));
  row('measures.area', listLabel(vocabulary, 'priority_area', measure.priority_area, lang));
  const day = statusDay(measure);
  const status = listLabel(vocabulary, 'measure_status', measure.status, lang);
  row('measures.status', day ? t('measures.status_on', { status, date: formatDay(day) }) : status);
  const source = listLabel(vocabulary, 'funding_source', measure.funding_source, lang);
  // A programme by its name in the page's language (the lists carry the programmes), never its code.
  const programme = measure.programme_code && (vocabulary.programmes || []).find((p) => p.value === measure.programme_code);
  const funder = (programme && (programme.label[lang] || programme.label.en)) || measure.programme_code || measure.donor_name;
  row('measures.funding', funder ? source + ': ' + funder : source);
  // Absent, not null, for a viewer below the budgets' level: then the row is left out.
  if (measure.budget && measure.budget.amount !== null && measure.budget.amount !== undefined) {
    const currency = measure.budget.currency ? ' ' + measure.budget.currency : '';
    row('measures.budget', i18n.number(measure.budget.amount) + currency);
  }
  // An indicator's name and unit are one text, kept in Latin script: the Cyrillic page shows them in its script.
  const script = (text) => (lang === 'sr-Cyrl' ? toCyrillic(text) : text);
  for (const indicator of measure.indicators || []) {
    const unit = indicator.unit ? ' ' + script(indicator.unit) : '';
    const achieved = indicator.achieved === null ? '–' : i18n.number(indicator.achieved);
    const target = indicator.target === null ? '–' : i18n.number(indicator.target);
    list.append(el('dt', {}, script(indicator.name)), el('dd', { 'data-measure-field': 'indicator' }, t('measures.indicator_value', { achieved, target, unit })));
  }
  item.appendChild(list);
  return item;
}

let asked = 0;

/**
 * A details section for the settlement's measures, filled when the answers come; a later call makes an
 * earlier answer stale (the viewer moved on), so it is dropped rather than shown in the wrong details.
 * Whoever may edit the settlement's municipality also gets "Add a measure" and each measure's actions.
 */
export function measuresSection(settlementCode) {
  const section = el('section', { className: 'group measures', id: 'details-measures' });
  fillSection(section, settlementCode);
  return section;
}

function fillSection(section, settlementCode, note = null) {
  const i18n = store.get('i18n');
  const detail = store.get('detail');
  const settlement = detail && detail.properties.code === settlementCode ? detail.properties : null;
  const editable = settlement !== null && canEditIn(settlement.municipality_code);
  section.replaceChildren(el('h3', {}, i18n.t('measures.title')), el('p', { id: 'measure-saved', className: 'edit-message', role: 'status' }, note));
  const body = el('p', { className: 'hint' }, i18n.t('details.loading'));
  section.appendChild(body);
  const mine = ++asked;
  Promise.all([measureLists(), getJson('api/measures?settlement=' + encodeURIComponent(settlementCode) + '&limit=200')])
    .then(([vocabulary, page]) => {
      if (mine !== asked) return;
      // After a save or delete: this list again, and the map's measures layer (measuresVersion) reloads.
      const done = (saved) => {
        if (saved) store.update('measuresVersion', (n) => n + 1);
        // Cancelled when the language changed while the form was open: details.js drew them all in it, this section too.
        if (!section.dispatchEvent(new CustomEvent('details-form-closed', { bubbles: true, cancelable: true }))) return;
        fillSection(section, settlementCode, saved ? i18n.t('edit.saved') : null);
      };
      const context = { section, settlement, vocabulary, done };
      if (editable) {
        const add = el('button', { type: 'button', id: 'measure-add' }, i18n.t('measure_form.add'));
        add.addEventListener('click', () => openMeasureForm(section, context));
        section.insertBefore(el('div', { className: 'edit-actions' }), body).appendChild(add);
      }
      if (page.items.length === 0) { body.textContent = i18n.t('measures.none'); return; }
      const items = el('ul', { className: 'measure-list' });
      for (const measure of page.items) {
        const item = measureItem(measure, vocabulary, i18n);
        if (editable) item.appendChild(measureActions(measure, context));
        items.appendChild(item);
      }
      body.replaceWith(items);
    })
    .catch((error) => { if (mine === asked) body.textContent = i18n.t('measures.failed', { message: error.message }); });
}
