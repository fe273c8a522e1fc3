// A form's refused fields, shown where the person corrects them: the settlement forms (editing.js) and the
// measure form (measure-form.js). A form has a message bar (.edit-message) in its .form-buttons, and beside
// each field a slot [data-error-for="<field>"] that the control names in aria-describedby.
import { el } from './dom.js';
import { store } from './store.js';
import { parseFieldValue } from './edit-values.js';
import { checkValue, fieldLabel, problemMessages, wordRefusal } from './field-problems.js';
import { labeller } from './schema.js';

const t = (key, params) => store.get('i18n').t(key, params);
const defaultLabel = (name) => fieldLabel(name, store.get('config'), store.get('i18n'));

/**
 * A refused save (a problem+json): each field's message, in the page's language, beside its field
 * (aria-invalid, and its message slot is the control's aria-describedby); the bar's message names
 * every field to correct as a button that goes to it; the first field is brought clear of the
 * sticky bar and focused.
 */
export function showFieldErrors(form, problem, labelOf = defaultLabel) {
  const messages = problemMessages(problem, store.get('config'), store.get('i18n'));
  for (const node of form.querySelectorAll('[data-error-for]')) node.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const targets = [];
  const elsewhere = [];
  for (const [name, texts] of Object.entries(messages)) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (slot) slot.textContent = texts.join(' ');
    else elsewhere.push(labelOf(name) + ': ' + texts.join(' '));
    if (control) { control.setAttribute('aria-invalid', 'true'); targets.push(control); }
    else if (slot) targets.push(slot);
  }
  showSummary(form, targets, elsewhere, labelOf);
  if (targets.length) goToField(form, targets[0]);
}

/** "Nothing was saved. Correct: [field] [field]" in the bar, each field a button that goes to it; texts of fields the form lacks follow. */
function showSummary(form, targets, elsewhere, labelOf) {
  const node = form.querySelector('.edit-message');
  if (!node) return;
  const buttons = targets.map((target) => {
    const name = target.name || target.dataset.errorFor;
    const button = el('button', { type: 'button', className: 'link-button problem-link', 'data-field': name, title: t('problem.summary_hint') },
      labelOf(name));
    button.addEventListener('click', () => goToField(form, target));
    return button;
  });
  node.replaceChildren(t('problem.summary'), ...buttons.flatMap((b) => [' ', b]), ...elsewhere.map((text) => el('span', { className: 'problem-elsewhere' }, ' ' + text)));
  node.classList.add('error');
}

/** Scrolls a field into the middle of the form's scroller, clear of the sticky Save bar (its height is the field's scroll margin), and focuses it. */
function goToField(form, target) {
  const bar = form.querySelector('.form-buttons');
  form.style.setProperty('--form-bar-height', (bar ? bar.getBoundingClientRect().height : 0) + 'px');
  const field = target.closest('.field') || target;
  field.scrollIntoView({ block: 'center', inline: 'nearest' });
  if (typeof target.focus === 'function') target.focus({ preventScroll: true });
}

/**
 * A refused field's message follows its value: the form's own check words a number still out of
 * range (or no number) as the server would; a corrected value clears the message, its
 * aria-invalid and its button in the bar.
 */
export function watchCorrections(form) {
  const recheck = (event) => {
    const control = event.target;
    if (!control.name || control.getAttribute('aria-invalid') !== 'true') return;
    const attribute = labeller(store.get('config'), store.get('i18n').lang).attribute(control.name);
    const refusal = checkValue(attribute, parseFieldValue(control.dataset.kind, control.value));
    const slot = form.querySelector(`[data-error-for="${CSS.escape(control.name)}"]`);
    const text = refusal && wordRefusal(control.name, refusal, store.get('config'), store.get('i18n'));
    if (text) { if (slot) slot.textContent = text; return; }
    if (slot) slot.textContent = '';
    control.removeAttribute('aria-invalid');
    const link = form.querySelector(`.problem-link[data-field="${CSS.escape(control.name)}"]`);
    if (link) link.remove();
    const bar = form.querySelector('.edit-message');
    if (bar && !form.querySelector('[aria-invalid="true"]')) { bar.textContent = ''; bar.classList.remove('error'); }
  };
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);
}
