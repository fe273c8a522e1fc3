// Texts that reach the page from the data or the server in a fixed English form, worded in the
// page's language: provenance the service itself writes (the demo loader, the map's edit form, the
// importer), and GEOS's reasons for an invalid outline. Any other text (a survey's own source) is
// shown as it was written. Pure: no DOM.
const PATTERNS = [
  [/^demo: synthetic estimate$/, 'provenance.demo_estimate'],
  [/^synthetic scale estimate$/, 'provenance.scale_estimate'],
  [/^demo$/, 'provenance.demo'],
  [/^entered by (?<user>.+)$/, 'provenance.entered_by'],
  [/^import: (?<file>.+)$/, 'provenance.import'],
  [/^demo-loader$/, 'provenance.demo_loader'],
  [/^demo-survey-(?<year>\d{4})$/, 'provenance.demo_survey'],
];

/** The attributes whose values can be such provenance texts (updated_by: an account's name, the demo loader or a demo survey). */
export const PROVENANCE_ATTRIBUTES = new Set(['source', 'population_source', 'updated_by']);

/** A provenance text in the page's language; `t` is i18n.js's. */
export function provenanceText(value, t) {
  const text = String(value);
  for (const [pattern, key] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return t(key, match.groups);
  }
  return text;
}

// GEOS's reasons for an invalid outline (ST_IsValidReason), worded for people by i18n.js keys.
const INVALID_REASONS = {
  'Self-intersection': 'self_intersection', 'Ring Self-intersection': 'ring_self_intersection',
  'Too few points in geometry component': 'too_few_points', 'Hole lies outside shell': 'hole_outside_shell',
  'Interior is disconnected': 'interior_disconnected', 'Nested shells': 'nested_shells', 'Nested holes': 'nested_holes',
  'Invalid Coordinate': 'invalid_coordinate', 'Ring is not closed': 'ring_not_closed', 'Duplicate Rings': 'duplicate_rings',
};

/** "Self-intersection[21.9 43.3]" as "The outline crosses itself, near 43.3, 21.9" in the page's language. */
export function repairReason(reason, i18n) {
  const { t } = i18n;
  const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);
  const match = /^(.*?)\s*(?:\[(-?[\d.eE+-]+) (-?[\d.eE+-]+)\])?$/.exec(String(reason));
  const key = INVALID_REASONS[match[1]];
  if (!key) return sentence(t('import.invalid.other', { reason }));
  const what = t('import.invalid.' + key);
  if (match[2] === undefined) return sentence(what);
  const degrees = (v) => new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: 5 }).format(Number(v));
  return sentence(t('import.invalid.near', { what, lat: degrees(match[3]), lon: degrees(match[2]) }));
}

/**
 * A district's name from a municipality's properties, in the page's script: the one name every part
 * of the page shows (filters, coverage, report, details), in English too, as municipalities' names are.
 */
export function districtName(p, i18n) {
  return i18n.name(p.district_name_latn, p.district_name_cyrl);
}
