// The settlement attribute schema as /api/config sends it (attributes, lists, groups, each label in
// sr-Latn, sr-Cyrl and en): the labels of fields, closed-list values and groups, the attributes of
// each output in their groups, and a value formatted by its type and unit. Pure: no DOM.

/** A label object ({ 'sr-Latn': …, 'sr-Cyrl': …, en: … }) in a language; English, then any, when that one is missing. */
export function labelIn(labels, lang) {
  if (!labels) return '';
  return labels[lang] ?? labels.en ?? Object.values(labels)[0] ?? '';
}

/** Lookups over a config's schema: attribute by name, list value labels, group labels. */
export function schemaOf(config) {
  const attributes = (config && config.attributes) || [];
  const byName = new Map(attributes.map((a) => [a.name, a]));
  const lists = new Map(Object.entries((config && config.lists) || {}).map(([name, values]) => [name, new Map(values.map((v) => [v.value, v.label]))]));
  const groups = (config && config.groups) || [];
  return { attributes, byName, lists, groups };
}

/** The attribute's label in a language; its name when the schema does not know it. */
export function attributeLabel(schema, name, lang) {
  const attribute = schema.byName.get(name);
  return attribute ? labelIn(attribute.label, lang) : name;
}

/** The attribute's one-line description in a language ('' when none). */
export function attributeDescription(schema, name, lang) {
  const attribute = schema.byName.get(name);
  return attribute ? labelIn(attribute.description, lang) : '';
}

/** The label of a closed list's value in a language; the value itself when the list does not have it. */
export function listValueLabel(schema, list, value, lang) {
  const labels = schema.lists.get(list)?.get(value);
  return labels ? labelIn(labels, lang) : String(value);
}

/** The values of a closed list in the schema's order. */
export function listValues(schema, list) {
  return [...(schema.lists.get(list)?.keys() ?? [])];
}

export function groupLabel(schema, group, lang) {
  const found = schema.groups.find((g) => g.name === group);
  return found ? labelIn(found.label, lang) : group;
}

/**
 * The attributes that pass `keep`, by group: [{ group, attributes }] in the groups' order, each
 * group's attributes in schema order; a group the groups list does not name comes last.
 */
export function attributesByGroup(schema, keep) {
  const order = schema.groups.map((g) => g.name);
  const byGroup = new Map(order.map((name) => [name, []]));
  for (const attribute of schema.attributes) {
    if (!keep(attribute)) continue;
    if (!byGroup.has(attribute.group)) byGroup.set(attribute.group, []);
    byGroup.get(attribute.group).push(attribute);
  }
  return [...byGroup].filter(([, attributes]) => attributes.length).map(([group, attributes]) => ({ group, attributes }));
}

/** The attributes of the details panel, by group. */
export const detailsGroups = (schema) => attributesByGroup(schema, (a) => (a.outputs || []).includes('details'));

/** The attributes of the edit form, by group. */
export const editableGroups = (schema) => attributesByGroup(schema, (a) => a.editable);

// Units the dictionaries write with the value (i18n unit.* keys); any other unit follows the number.
const UNIT_KEYS = { '%': 'unit.pct', pct: 'unit.pct', m: 'unit.m', km: 'unit.km', m2: 'unit.m2', 'm²': 'unit.m2', decade: 'unit.decade' };

/** A unit as the form's caption shows it after the label: "%", "m", "m²"; '' when none. */
export function unitText(unit, i18n) {
  if (!unit) return '';
  const key = UNIT_KEYS[unit];
  return key ? i18n.t(key, { value: '' }).trim() : unit;
}

/**
 * A value of an attribute as the page shows it, in the language of `i18n` (i18n.js's translator):
 * enum values through the list labels, numbers grouped in the locale with the unit, calendar years
 * (unit "year") and decades as written, dates and times in the locale; null, undefined and '' as
 * "none recorded".
 */
export function formatAttribute(schema, attribute, value, i18n) {
  const { t, number, locale, lang } = i18n;
  if (value === null || value === undefined || value === '') return t('value.none_recorded');
  switch (attribute.type) {
    case 'enum': return listValueLabel(schema, attribute.list, value, lang);
    case 'date': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(value + 'T00:00:00Z'));
    case 'date_time': return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
    case 'whole_number':
    case 'number': {
      if (attribute.unit === 'year') return String(value);
      if (attribute.unit === 'decade') return t('unit.decade', { value: String(value) });
      const rounded = attribute.unit === 'm2' || attribute.unit === 'm²' ? Math.round(value) : value;
      const key = UNIT_KEYS[attribute.unit];
      if (key) return t(key, { value: number(rounded) });
      return attribute.unit ? number(rounded) + ' ' + attribute.unit : number(rounded);
    }
    default: return String(value);
  }
}

/** Labels the schema lacks in a language (expected: none): "lang: attribute", "lang: list.value", "lang: group.name". */
export function missingSchemaLabels(schema, languages) {
  const missing = [];
  const lacks = (labels, lang) => !labels || typeof labels[lang] !== 'string' || labels[lang].trim() === '';
  for (const lang of languages) {
    for (const a of schema.attributes) if (lacks(a.label, lang)) missing.push(lang + ': ' + a.name);
    for (const [list, values] of schema.lists) for (const [value, labels] of values) if (lacks(labels, lang)) missing.push(lang + ': ' + list + '.' + value);
    for (const g of schema.groups) if (lacks(g.label, lang)) missing.push(lang + ': group.' + g.name);
  }
  return missing;
}
