// The change between two dates (issue 23): its classes with their colours and outline dashes, the
// counts, the list's order and the permalink's compare=A,B,attribute. The server classes each
// settlement (api/history/changes, from SettlementSchema's ChangeOrder); this only draws and sorts.
// Pure: no DOM. tests/web/palettes.test.js holds the colours to its colour-blind checks.

/**
 * The classes in the legend's order. Okabe–Ito hues (chosen for colour-vision deficiencies); each
 * class also has its own outline (solid, dashed, dotted), so the map reads without colour and in print.
 */
export const CHANGE_CLASSES = [
  { key: 'improved', colour: '#0072b2', dash: null, weight: 2 },
  { key: 'worsened', colour: '#d55e00', dash: null, weight: 3 },
  { key: 'changed', colour: '#cc79a7', dash: '6 3', weight: 2 },
  { key: 'new', colour: '#009e73', dash: '2 3', weight: 2 },
  { key: 'gone', colour: '#1a1a1a', dash: '8 4 2 4', weight: 2 },
  { key: 'unchanged', colour: '#bdbdbd', dash: null, weight: 1 },
  { key: 'hidden', colour: '#f0e442', dash: '1 3', weight: 1 },
];

const BY_KEY = new Map(CHANGE_CLASSES.map((c) => [c.key, c]));

/** The class of a key (an unknown key draws as "unchanged", never as a judgement). */
export function changeClass(key) {
  return BY_KEY.get(key) || BY_KEY.get('unchanged');
}

/** Settlements per class, every class present (0 where none): the legend's counts. */
export function changeCounts(featuresProperties) {
  const counts = Object.fromEntries(CHANGE_CLASSES.map((c) => [c.key, 0]));
  for (const p of featuresProperties) counts[changeClass(p.change).key] += 1;
  return counts;
}

const CLASS_ORDER = new Map(CHANGE_CLASSES.map((c, i) => [c.key, i]));

/**
 * Rows of the list sorted by a column: 'name' and 'municipality' by their text in the locale,
 * 'change' by the legend's order; ties by name, then id, so the order is stable. Rows are
 * { id, name, municipality, change }; `collator` is an Intl.Collator of the page's language.
 */
export function sortChanges(rows, column, ascending, collator) {
  const byText = (a, b) => collator.compare(a, b);
  const compare = {
    name: (a, b) => byText(a.name, b.name),
    municipality: (a, b) => byText(a.municipality, b.municipality) || byText(a.name, b.name),
    change: (a, b) => (CLASS_ORDER.get(a.change) ?? 99) - (CLASS_ORDER.get(b.change) ?? 99) || byText(a.name, b.name),
  }[column];
  if (!compare) throw new Error('Unknown column ' + column);
  const sign = ascending ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b) || a.id - b.id);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ATTRIBUTE = /^[a-z][a-z0-9_]{1,60}$/;

/** A real calendar day written yyyy-MM-dd (2019-02-30 is not one). */
export function isDay(text) {
  if (!DAY.test(text || '')) return false;
  const date = new Date(text + 'T00:00:00Z');
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The permalink's compare value of { from, to, attribute }: "2019-01-01,2026-12-03,water_supply". */
export function encodeCompare(compare) {
  return [compare.from, compare.to, compare.attribute].join(',');
}

/** { from, to, attribute } from a permalink's compare value, or null when it is not one (two days in order and a name). */
export function decodeCompare(text) {
  const parts = String(text || '').split(',');
  if (parts.length !== 3) return null;
  const [from, to, attribute] = parts;
  if (!isDay(from) || !isDay(to) || from > to || !ATTRIBUTE.test(attribute)) return null;
  return { from, to, attribute };
}

/** The query of api/history/changes for a comparison and the map's place filters. */
export function changesQuery(compare, placeFilters, extra) {
  const query = new URLSearchParams({ attribute: compare.attribute, from: compare.from, to: compare.to });
  for (const name of ['municipality', 'district']) if (placeFilters && placeFilters[name]) query.set(name, placeFilters[name]);
  for (const [name, value] of Object.entries(extra || {})) if (value) query.set(name, value);
  return query.toString();
}

// Worst to best, for the before/after maps of an attribute the themes do not colour (themes.js's hues).
const RANK_COLOURS = { 2: ['#d7191c', '#2c7bb6'], 3: ['#d7191c', '#fdae61', '#2c7bb6'] };
const RANK_UNKNOWN = '#9e9e9e';

/**
 * The colour of a closed-list value by its rank (ranks: worst first, as api/history/changes/attributes
 * gives them): red for the worst, blue for the best, orange between; grey for a value without a rank.
 */
export function rankColour(ranks, value) {
  const index = (ranks || []).findIndex((values) => values.includes(value));
  if (index < 0) return RANK_UNKNOWN;
  const colours = RANK_COLOURS[Math.min(ranks.length, 3)] || RANK_COLOURS[3];
  if (ranks.length <= 3) return colours[index] || RANK_UNKNOWN;
  return index === 0 ? colours[0] : index === ranks.length - 1 ? colours[2] : colours[1];
}
