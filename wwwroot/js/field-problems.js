// The API's validation problems in the page's language. A problem+json carries, by field, the
// English messages (errors) and the same refusals as a code with parameters (error_codes); each
// code has one template in i18n.js ("problem.<code>"), filled with the field's label from the
// schema and the parameters formatted in the page's locale. A code the page does not know keeps
// the server's English message. The form's own checks build the same codes. Pure: no DOM.
import { formatAttribute, labeller, unitText } from './schema.js';

const FIXED = new Set(['year', 'decade']); // numbers written as they are (no grouping): years
const DATES = new Set(['since', 'earliest', 'latest']); // instants and days of date refusals (ISO), shown in the page's locale

/** An ISO date or instant in the page's locale: the day, and the time (UTC) when it is not midnight. */
function dateText(value, i18n) {
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  const midnight = date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0;
  const day = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  return midnight ? day : day + ', ' + new Intl.DateTimeFormat(i18n.locale, { timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';
}

/** The label of a field in the page's language: the schema's, else the dictionary's (geometry), else its name. */
export function fieldLabel(field, config, i18n) {
  const labels = labeller(config, i18n.lang);
  if (labels.attribute(field)) return labels.field(field);
  const key = 'problem.field.' + field;
  const text = i18n.t(key);
  return text === key ? field : text;
}

function numberText(value, attribute, i18n) {
  if (typeof value !== 'number') return String(value);
  if (attribute && FIXED.has(attribute.format)) return String(value);
  return new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: 6 }).format(value);
}

/** A refused value as the message shows it: a number with the field's unit, a text in quotes. */
function gotText(value, attribute, config, i18n) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return attribute && !FIXED.has(attribute.format) && (attribute.type === 'number' || attribute.type === 'whole_number')
      ? formatAttribute(config, attribute, value, i18n)
      : numberText(value, attribute, i18n);
  }
  return i18n.t('problem.quoted', { text: String(value) });
}

/**
 * One refusal ({ code, params }) of a field as a sentence in the page's language, or null when
 * the page has no template for its code.
 */
export function wordRefusal(field, refusal, config, i18n) {
  const key = 'problem.' + (refusal && refusal.code);
  if (!refusal || typeof refusal.code !== 'string' || i18n.t(key) === key) return null;
  const labels = labeller(config, i18n.lang);
  const attribute = labels.attribute(field);
  const params = refusal.params || {};
  const words = { label: fieldLabel(field, config, i18n) };
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) words[name] = '';
    else if (name === 'got') words[name] = gotText(value, attribute, config, i18n);
    else if (name === 'unit') words[name] = value ? '\u00a0' + unitText(value, i18n.t) : ''; // "100 %" stays on one line
    else if (name === 'allowed' && Array.isArray(value)) words[name] = value.map((v) => labels.value(params.list, v)).join(', ');
    else if (name === 'other') words[name] = fieldLabel(value, config, i18n);
    else if (DATES.has(name)) words[name] = dateText(value, i18n);
    else if (name === 'other_value' || name === 'min' || name === 'max') {
      words[name] = numberText(value, name === 'other_value' ? labels.attribute(params.other) : attribute, i18n);
    } else words[name] = typeof value === 'number' ? numberText(value, null, i18n) : String(value);
  }
  if (!('unit' in words)) words.unit = '';
  return i18n.t(key, words);
}

/**
 * A problem's refusals by field in the page's language: { field: [sentence, …] } in the order of
 * its errors; each sentence from error_codes when the page knows its code, else the English message.
 */
export function problemMessages(problem, config, i18n) {
  const errors = (problem && problem.errors) || {};
  const codes = (problem && problem.error_codes) || {};
  const out = {};
  for (const field of new Set([...Object.keys(errors), ...Object.keys(codes)])) {
    const english = Array.isArray(errors[field]) ? errors[field] : [];
    const refusals = Array.isArray(codes[field]) ? codes[field] : [];
    const count = Math.max(english.length, refusals.length);
    out[field] = [];
    for (let i = 0; i < count; i += 1) {
      const text = wordRefusal(field, refusals[i], config, i18n) ?? english[i];
      if (text) out[field].push(text);
    }
  }
  return out;
}

/**
 * The form's own check of a number field as the server would refuse it ({ code, params }), or null:
 * typed text that is no number, a fraction in a whole number, a value out of the schema's range.
 * `value` is edit-values.js's parseFieldValue of the control's text.
 */
export function checkValue(attribute, value) {
  if (!attribute || (attribute.type !== 'number' && attribute.type !== 'whole_number') || value === null || value === '') return null;
  const { min = null, max = null } = attribute;
  const whole = attribute.type === 'whole_number';
  if (typeof value !== 'number' || (whole && !Number.isInteger(value))) {
    return { code: whole ? 'not_integer' : 'not_number', params: { min, max, got: value } };
  }
  if ((min !== null && value < min) || (max !== null && value > max)) {
    return { code: 'range', params: { min, max, unit: attribute.unit ?? null, got: value } };
  }
  return null;
}

/** A problem about the request as a whole (error_code: a version conflict) in the page's language, or null. */
export function requestProblemText(problem, config, i18n) {
  const refusal = problem && problem.error_code;
  return refusal ? wordRefusal('', refusal, config, i18n) : null;
}
