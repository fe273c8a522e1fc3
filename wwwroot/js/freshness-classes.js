// The data-freshness overlay's classes: by the age of a municipality's latest settlement update, with a colour
// each (a blue-to-red scale that tests/web/palettes.test.js keeps apart under colour-vision deficiencies) and one
// for a municipality whose dates the viewer does not see. Pure functions, no DOM.

/** The overlay's key in the view's overlays (the permalink's overlays=). */
export const FRESHNESS_KEY = 'freshness';

/** The stale threshold the page starts with: two years, the server's default too (FreshnessApi.DefaultThresholdDays). */
export const DEFAULT_THRESHOLD_DAYS = 730;

/** The threshold as field-problems.js checks a typed value: whole days within the server's bounds. */
export const THRESHOLD = { name: 'threshold_days', type: 'whole_number', min: 1, max: 36500 };

/** Classes by years since the latest update; `below` is exclusive, in years (null: no upper end). */
export const FRESHNESS_CLASSES = [
  { key: 'y1', below: 1, colour: '#2166ac' },
  { key: 'y2', below: 2, colour: '#67a9cf' },
  { key: 'y5', below: 5, colour: '#ef8a62' },
  { key: 'old', below: null, colour: '#b2182b' },
  { key: 'none', below: null, colour: '#bababa', undated: true },
];

const NONE = FRESHNESS_CLASSES[FRESHNESS_CLASSES.length - 1];

/** Whole years and the rest between a UTC day ("2024-05-31") and now, as a number of years (calendar years, not 365 days). */
export function yearsSince(day, now) {
  const [y, m, d] = day.split('-').map(Number);
  let years = now.getUTCFullYear() - y;
  const anniversary = Date.UTC(now.getUTCFullYear(), m - 1, d);
  if (now.getTime() < anniversary) years -= 1;
  const last = Date.UTC(y + years, m - 1, d);
  const next = Date.UTC(y + years + 1, m - 1, d);
  return years + (now.getTime() - last) / (next - last);
}

/** The class of a latest update (a UTC day, or null when the viewer sees none). */
export function freshnessClass(day, now) {
  if (!day) return NONE;
  const age = yearsSince(day, now);
  return FRESHNESS_CLASSES.find((c) => !c.undated && (c.below === null || age < c.below));
}

/** The legend's counts: municipalities (the features: those with settlements) per class. */
export function freshnessCounts(features, now) {
  const counts = {};
  for (const c of FRESHNESS_CLASSES) counts[c.key] = 0;
  for (const f of features) counts[freshnessClass(f.properties.last_updated, now).key] += 1;
  return counts;
}

/** Settlements older than the threshold, over all municipalities of the layer. */
export function staleTotal(features) {
  return features.reduce((sum, f) => sum + f.properties.stale_count, 0);
}
