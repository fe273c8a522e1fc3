// One small store for the map page: the state every section reads, and change events so a section
// redraws its own part when something it shows changes (the language, the user, the status line…).
// A plain object behind get/set/update; no framework. Pure: no DOM, so tests import it as it is.

/**
 * A store over an initial state object. subscribe(key, fn) calls fn(value, key) after each set or
 * update of that key; subscribe('*', fn) after every one. Both return a function that unsubscribes.
 * set notifies even when the value is the same object: the view is changed in place by update.
 */
export function createStore(initial) {
  const state = { ...initial };
  const listeners = new Map(); // key or '*' → Set of functions

  function notify(key) {
    for (const fn of [...(listeners.get(key) || []), ...(listeners.get('*') || [])]) fn(state[key], key);
  }

  return {
    get: (key) => state[key],
    set(key, value) {
      if (!(key in state)) throw new Error('Unknown store key ' + key);
      state[key] = value;
      notify(key);
    },
    /** Changes a value through fn: fn may change it in place (return nothing) or return the new value. */
    update(key, fn) {
      if (!(key in state)) throw new Error('Unknown store key ' + key);
      const next = fn(state[key]);
      if (next !== undefined) state[key] = next;
      notify(key);
    },
    subscribe(key, fn) {
      if (!listeners.has(key)) listeners.set(key, new Set());
      listeners.get(key).add(fn);
      return () => listeners.get(key).delete(fn);
    },
  };
}

/** The map page's state: every key it has, and what it holds. */
export const store = createStore({
  i18n: null, // translator(lang) of i18n.js: the page's language
  config: null, // /api/config
  view: null, // state.js's view: filters, theme, layers, selection, overlays, map position (the permalink)
  municipalities: null, // FeatureCollection, unfiltered
  total: 0, // settlements in the database (the municipalities' counts summed)
  settlements: [], // features shown (filtered); empty when the map draws tiles
  loading: true, // a settlements load runs (the page starts with the first): the count says so instead of its last figures
  searchedMunicipality: null, // the code of the municipality last chosen in search: outlined while no filter names a place
  shownSummary: null, // at scale (tiles): the server's figures of the filtered settlements (totals, municipalities, legend classes)
  tileQuery: null, // at scale: the filter query the tiles were drawn with
  aggregates: new Map(), // municipality code → figures of the settlements shown (themes.aggregateByMunicipality)
  detail: null, // the selected settlement's Feature from /api/settlements/{id}
  detailETag: null, // its version, sent back as If-Match by an edit
  measuresVersion: 0, // bumped after a measure is saved or deleted: the measures layer and choropleth reload
  selectedInFilters: null, // at scale: whether the selected settlement passes the filters (null: not known)
  user: null, // /api/auth/me: who is signed in, where they may edit
  status: { key: null, params: null, error: false }, // the status line: an i18n key and its parameters
  baseUnreachable: false, // the base map failed: offline-note.js says so until the reader dismisses it
});
