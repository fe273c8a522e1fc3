// The pages' one global: window.settlementMap, the hook the browser tests
// (tests/SettlementMap.Tests/Browser/) read. Every page sets it once with at least `ready`, a promise
// that settles when the page has drawn its first data; the map page adds its reads (view, lang,
// counts, idle, missingLabels, drawnTileFeatures, tilesLoading: see app.js). Nothing in the pages
// reads it: it is for tests and for a curious reader at the console only.

/** Sets window.settlementMap to the page's hook (an object whose `ready` is a promise). */
export function exposeTestHook(hook) {
  window.settlementMap = hook;
  return hook;
}
