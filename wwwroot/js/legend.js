// The legend over the map: the settlement theme's classes and the choropleth's, counted over the
// settlements shown, and the coverage overlays' blocks; with the colours the layers draw in.
import { el } from './dom.js';
import { store } from './store.js';
import { map } from './map.js';
import { choroplethClasses, classColour, classifyMunicipality, countByClass, themeClasses } from './themes.js';
import { legendBlocks as coverageLegendBlocks } from './coverage.js';
import { legendBlocks as freshnessLegendBlocks } from './freshness.js';
import { choroplethAggregates, legendBlocks as measuresLegendBlocks } from './measures-layer.js';
import { closedLists, labeller } from './schema.js';

let legend = null; // the L.Control, from createLegend on

const COLLAPSED_KEY = 'settlementmap.legendCollapsed';

function legendCollapsed() {
  try { return sessionStorage.getItem(COLLAPSED_KEY) === '1'; } catch { return false; }
}

/** Folds the legend to its button (on a phone it would cover the map), remembered for the browser session. */
function setLegendCollapsed(collapsed) {
  try { sessionStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0'); } catch { /* storage off: this page only */ }
  renderLegendToggle();
}

function renderLegendToggle() {
  const box = legend.getContainer();
  const collapsed = legendCollapsed();
  const toggle = box.querySelector('.legend-toggle');
  toggle.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
  toggle.title = store.get('i18n').t(collapsed ? 'legend.show' : 'legend.hide');
  toggle.lastChild.textContent = store.get('i18n').t('legend.title');
  box.querySelector('.legend-body').hidden = collapsed;
  box.classList.toggle('collapsed', collapsed);
}

export function createLegend() {
  legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => {
    const toggle = el('button', { type: 'button', className: 'legend-toggle', 'aria-controls': 'legend-body' });
    toggle.append(el('span', { className: 'legend-arrow', 'aria-hidden': 'true' }), el('span'));
    toggle.addEventListener('click', () => setLegendCollapsed(!legendCollapsed()));
    const box = el('div', { className: 'legend', role: 'region' });
    box.append(toggle, el('div', { id: 'legend-body', className: 'legend-body', tabindex: '0' })); // focusable: it scrolls on a phone
    // Only the button keeps its clicks from the map: a click elsewhere on the legend reaches the map, as it always did.
    L.DomEvent.disableClickPropagation(toggle);
    return box;
  };
  legend.addTo(map);
  L.DomEvent.disableScrollPropagation(legend.getContainer());
  store.subscribe('i18n', renderLegend);
}

// Built once a theme: the GeoJSON layer asks for a colour for each of up to config.tile_threshold settlements.
let themeClassesMemo = { theme: null, classes: [] };

export function currentThemeClasses() {
  const theme = store.get('view').theme;
  if (themeClassesMemo.theme !== theme) {
    themeClassesMemo = { theme, classes: themeClasses(theme, closedLists(store.get('config'))) };
  }
  return themeClassesMemo.classes;
}

/** A settlement's fill colour under the current theme. */
export function settlementColour(properties) {
  return classColour(currentThemeClasses(), store.get('view').theme, properties);
}

/** A class's range ({ kind, a, b } of themes.rangeOf) as text, with its unit. */
export function formatRange(range, unit) {
  const { t, number } = store.get('i18n');
  const a = range.a !== undefined ? number(range.a) : '';
  const b = range.b !== undefined ? number(range.b) : '';
  const text = { single: a, between: a + '–' + b, below: '< ' + b, at_least: '≥ ' + a }[range.kind];
  if (unit === 'm') return t('unit.m', { value: text });
  if (unit === 'pct') return t('unit.pct', { value: text });
  return text;
}

function classLabel(c) {
  const i18n = store.get('i18n');
  if (c.label) return c.label;
  if (c.unknown) return i18n.t('legend.unknown');
  if (c.empty) return i18n.t('choropleth.no_settlements');
  if (c.list) return labeller(store.get('config'), i18n.lang).value(c.list, c.value);
  return formatRange(c.range, c.unit);
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * A class's swatch: a filled square, or for a class drawn as a dashed outline (the coverage
 * overlays, c.dash) that outline in small, so the legend shows the dash the map draws.
 */
export function swatchOf(c) {
  if (!c.dash) {
    const swatch = el('span', { className: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = c.colour;
    return swatch;
  }
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({ class: 'swatch-outline', width: '18', height: '12', viewBox: '0 0 18 12', 'aria-hidden': 'true' })) svg.setAttribute(name, value);
  const rect = document.createElementNS(SVG, 'rect');
  for (const [name, value] of Object.entries({ x: '1', y: '1', width: '16', height: '10', fill: c.colour, 'fill-opacity': '0.35', stroke: c.colour, 'stroke-width': '2', 'stroke-dasharray': c.dash })) rect.setAttribute(name, value);
  svg.appendChild(rect);
  return svg;
}

/** One block of the legend: a title, a row per class (swatch, label, count) and an optional note. */
export function legendBlock(title, classes, counts, kind, note) {
  const block = el('div', { className: 'legend-block', 'data-legend': kind });
  block.appendChild(el('h2', {}, title));
  const list = el('ul');
  for (const c of classes) {
    const row = el('li', { 'data-class': c.key, 'data-colour': c.colour });
    row.append(swatchOf(c), el('span', { className: 'label' }, classLabel(c)), el('span', { className: 'count' }, counts ? store.get('i18n').number(counts[c.key] || 0) : ''));
    list.appendChild(row);
  }
  block.appendChild(list);
  if (note) block.appendChild(el('p', { className: 'hint' }, note));
  return block;
}

export function renderLegend() {
  if (!legend) return;
  const { t } = store.get('i18n');
  const view = store.get('view');
  const box = legend.getContainer();
  const blocks = [];
  if (view.layers.settlements) {
    const classes = currentThemeClasses();
    const summary = store.get('shownSummary');
    const counts = summary
      ? Object.fromEntries(classes.map((c) => [c.key, summary.classes[c.key] || 0]))
      : countByClass(view.theme, classes, store.get('settlements').map((f) => f.properties));
    blocks.push(legendBlock(labeller(store.get('config'), store.get('i18n').lang).field(view.theme), classes, counts, 'settlements'));
  }
  if (view.choropleth !== 'none' && view.layers.municipalities) {
    const classes = choroplethClasses(view.choropleth);
    const counts = Object.fromEntries(classes.map((c) => [c.key, 0]));
    const aggregates = choroplethAggregates(view.choropleth);
    for (const f of store.get('municipalities').features) counts[classifyMunicipality(view.choropleth, aggregates.get(f.properties.code))] += 1;
    // The measure coverage is of every settlement (the server's figures), the others of the settlements shown.
    const note = view.choropleth === 'measure_coverage' ? t('measures_map.coverage_note') : t('choropleth.note');
    blocks.push(legendBlock(t('choropleth.' + view.choropleth), classes, counts, 'municipalities', note));
  }
  blocks.push(...measuresLegendBlocks(), ...coverageLegendBlocks(), ...freshnessLegendBlocks());
  box.querySelector('.legend-body').replaceChildren(...blocks);
  box.hidden = blocks.length === 0;
  box.setAttribute('aria-label', t('legend.title'));
  renderLegendToggle();
}
