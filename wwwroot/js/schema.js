// The settlement attribute schema as /api/config sends it (attributes, lists, groups; each label in
// sr-Latn, sr-Cyrl and en), declared once on the server: the labels of fields, closed-list values and
// groups, the attributes of the details panel and of the edit form in their groups, and a value
// formatted by its type and unit. Pure: no DOM.
import { PROVENANCE_ATTRIBUTES, provenanceText } from './data-text.js';

/** A label object ({ 'sr-Latn': …, 'sr-Cyrl': …, en: … }) in a language; English, then any, when that one is missing. */
export function labelIn(labels, lang) {
  if (!labels) return '';
  return labels[lang] ?? labels.en ?? Object.values(labels)[0] ?? '';
}

const schemas = new WeakMap(); // config → its schema, built once

/** Lookups over a config's schema: attributes in order, attribute by name, list values with labels, groups in order. */
export function schemaOf(config) {
  if (schemas.has(config)) return schemas.get(config);
  const attributes = config.attributes || [];
  const schema = {
    attributes,
    byName: new Map(attributes.map((a) => [a.name, a])),
    lists: new Map(Object.entries(config.lists || {}).map(([name, values]) => [name, new Map(values.map((v) => [v.value, v.label]))])),
    groups: config.groups || [],
  };
  schemas.set(config, schema);
  return schema;
}

const valueLists = new WeakMap(); // config → its closed lists' values

/** Every closed list's values in order ({ water_supply: ['unknown', 'network', …], … }): what filters, themes and permalinks accept. */
export function closedLists(config) {
  if (!valueLists.has(config)) valueLists.set(config, Object.fromEntries([...schemaOf(config).lists].map(([name, values]) => [name, [...values.keys()]])));
  return valueLists.get(config);
}

/**
 * The schema's labels in one language: field(name) and description(name) of an attribute (its name
 * when the schema does not know it), value(list, value) of a closed list's value (the value when
 * the list lacks it), group(name), and attribute(name).
 */
export function labeller(config, lang) {
  const schema = schemaOf(config);
  return {
    lang,
    attribute: (name) => schema.byName.get(name) ?? null,
    field: (name) => (schema.byName.has(name) ? labelIn(schema.byName.get(name).label, lang) : name),
    description: (name) => labelIn(schema.byName.get(name)?.description, lang),
    value: (list, value) => {
      const labels = schema.lists.get(list)?.get(value);
      return labels ? labelIn(labels, lang) : String(value);
    },
    /** The label of an attribute's value, through its closed list when it has one. */
    valueOf: (name, value) => {
      const list = schema.byName.get(name)?.list;
      const labels = list ? schema.lists.get(list)?.get(value) : null;
      return labels ? labelIn(labels, lang) : String(value);
    },
    group: (name) => labelIn(schema.groups.find((g) => g.name === name)?.label, lang) || name,
  };
}

/**
 * The attributes that pass `keep`, by group: [{ group, attributes }] in the groups' order, each
 * group's attributes in schema order; a group the groups list does not name comes last.
 */
export function attributesByGroup(config, keep) {
  const schema = schemaOf(config);
  const byGroup = new Map(schema.groups.map((g) => [g.name, []]));
  for (const attribute of schema.attributes) {
    if (!keep(attribute)) continue;
    if (!byGroup.has(attribute.group)) byGroup.set(attribute.group, []);
    byGroup.get(attribute.group).push(attribute);
  }
  return [...byGroup].filter(([, attributes]) => attributes.length).map(([group, attributes]) => ({ group, attributes }));
}

/** The attributes of the details panel (outputs include "details"), by group. */
export const detailsGroups = (config) => attributesByGroup(config, (a) => (a.outputs || []).includes('details'));

/**
 * The rows of a group in the details panel: one attribute each, except that a name written in both
 * scripts (X_latn then X_cyrl) whose two labels are the same in this language is one row, shown in
 * the page's script. `field` is a labeller's field().
 */
export function pairScripts(attributes, field) {
  const rows = [];
  for (let i = 0; i < attributes.length; i += 1) {
    const [a, b] = [attributes[i], attributes[i + 1]];
    if (b && a.name.endsWith('_latn') && b.name === a.name.slice(0, -'_latn'.length) + '_cyrl' && field(a.name) === field(b.name)) {
      rows.push([a, b]);
      i += 1;
    } else {
      rows.push([a]);
    }
  }
  return rows;
}

/** The attributes of the edit form (editable), by group. */
export const editableGroups = (config) => attributesByGroup(config, (a) => a.editable);

/** The editable attributes in schema order. */
export const editableAttributes = (config) => schemaOf(config).attributes.filter((a) => a.editable);

// Units the dictionaries write together with the value (i18n.js unit.* keys); any other unit follows the number.
const UNIT_KEYS = { '%': 'unit.pct', m: 'unit.m', km: 'unit.km', m2: 'unit.m2', 'm²': 'unit.m2' };
const AREA_UNITS = new Set(['m2', 'm²']);

/** A unit as a form's caption shows it after the label ("%", "m", "m²"); '' for none. `t` is i18n.js's. */
export function unitText(unit, t) {
  if (!unit) return '';
  const key = UNIT_KEYS[unit];
  return key ? t(key, { value: '' }).trim() : unit;
}

/**
 * A value of an attribute as the page shows it, in the language of `i18n` (an i18n.js translator):
 * enum values through the list's labels; numbers by their format: grouped in the locale with their
 * unit (areas to whole square metres), a year as written, a decade as "1970s"; dates and times in
 * the locale; null, undefined and '' as "none recorded".
 */
export function formatAttribute(config, attribute, value, i18n) {
  const { t, number, locale, lang } = i18n;
  if (value === null || value === undefined || value === '') return t('value.none_recorded');
  switch (attribute.type) {
    case 'enum': return labeller(config, lang).value(attribute.list, value);
    case 'date': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(value + 'T00:00:00Z'));
    case 'date_time': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
    case 'whole_number':
    case 'number': {
      if (typeof value !== 'number' || attribute.format === 'year') return String(value);
      if (attribute.format === 'decade') return t('unit.decade', { value: String(value) });
      const shown = number(AREA_UNITS.has(attribute.unit) ? Math.round(value) : value);
      const key = UNIT_KEYS[attribute.unit];
      if (key) return t(key, { value: shown });
      return attribute.unit ? shown + ' ' + attribute.unit : shown;
    }
    default: return PROVENANCE_ATTRIBUTES.has(attribute.name) ? provenanceText(value, t) : String(value);
  }
}

/** Labels the schema lacks in a language (expected: none): "lang: attribute", "lang: list.value", "lang: group.name". */
export function missingSchemaLabels(config, languages) {
  const schema = schemaOf(config);
  const missing = [];
  const lacks = (labels, lang) => !labels || typeof labels[lang] !== 'string' || labels[lang].trim() === '';
  for (const lang of languages) {
    for (const a of schema.attributes) if (lacks(a.label, lang)) missing.push(lang + ': ' + a.name);
    for (const [list, values] of schema.lists) for (const [value, labels] of values) if (lacks(labels, lang)) missing.push(lang + ': ' + list + '.' + value);
    for (const g of schema.groups) if (lacks(g.label, lang)) missing.push(lang + ': group.' + g.name);
  }
  return missing;
}
