// Finding one's way on the map: municipality names from city zoom on, a "whole country" button, the
// district or municipality chosen in the filters outlined, and the map's own controls (Leaflet's
// zoom buttons, Leaflet-Geoman's drawing hints) in the page's language.
//
// The labels are a small layer of our own rather than Leaflet's permanent tooltips: each municipality
// already carries a hover tooltip (a layer holds one), Leaflet has no collision handling, and a
// label layer placed once per zoom can skip the names that would overlap (orientation-geometry.js's
// placeLabels, the municipalities with the most settlements first). Labels are text nodes in a pane
// that takes no pointer events, so a click on a settlement under a name reaches the settlement.
import { el } from './dom.js';
import { getJson } from './api.js';
import { store } from './store.js';
import { map } from './map.js';
import { layers } from './settlement-layer.js';
import { labelPoint, outerEdges, placeLabels } from './orientation-geometry.js';

/** From this zoom on the municipalities are named: at country zoom 160 names would cover the map. */
export const LABEL_MIN_ZOOM = 9;

/** Serbia as the municipalities cover it, the map's starting extent. */
export function fitCountry() {
  map.fitBounds(layers.municipalities.getBounds(), { padding: [8, 8], animate: false });
}

// ------------------------------------------------------------ municipality labels

const MunicipalityLabels = L.Layer.extend({
  onAdd(target) {
    this._labels = [];
    this._build();
    target.on('zoomend viewreset resize', this._place, this);
    target.on('zoomstart', this._hideAll, this);
    this._place();
  },

  onRemove(target) {
    target.off('zoomend viewreset resize', this._place, this);
    target.off('zoomstart', this._hideAll, this);
    for (const label of this._labels) label.node.remove();
    this._labels = [];
  },

  /** One text node a municipality, in the page's script; measured once so placing needs no layout. */
  _build() {
    const { name } = store.get('i18n');
    const pane = map.getPane('municipalityLabels');
    for (const label of this._labels) label.node.remove();
    this._labels = store.get('municipalities').features.map((f) => {
      const p = f.properties;
      const node = el('span', { className: 'municipality-label', 'data-code': p.code }, name(p.name_latn, p.name_cyrl));
      pane.appendChild(node);
      const [lon, lat] = labelPoint(f.geometry);
      return { node, latlng: L.latLng(lat, lon), priority: (p.settlement_count || 0) * 1e7 + (p.population || 0), code: p.code };
    });
    for (const label of this._labels) { label.width = label.node.offsetWidth; label.height = label.node.offsetHeight; }
  },

  /** Named again (a language change): the same places, new words and sizes. */
  rename() {
    if (!this._map) return;
    this._build();
    this._place();
  },

  _hideAll() {
    for (const label of this._labels) label.node.hidden = true;
  },

  _place() {
    if (!this._map) return;
    if (map.getZoom() < LABEL_MIN_ZOOM) { this._hideAll(); return; }
    const candidates = this._labels.map((label) => {
      const point = map.latLngToLayerPoint(label.latlng);
      label.point = point;
      return { id: label.code, x: point.x, y: point.y, width: label.width, height: label.height, priority: label.priority };
    });
    const kept = new Set(placeLabels(candidates));
    for (const label of this._labels) {
      label.node.hidden = !kept.has(label.code);
      // Centred on its point: the layer point is the label's middle.
      L.DomUtil.setPosition(label.node, label.point.subtract([label.width / 2, label.height / 2]));
    }
  },
});

let labels = null;

/** The labels go with the municipalities layer. */
function syncLabels() {
  const view = store.get('view');
  const wanted = Boolean(view && view.layers.municipalities);
  if (wanted && !map.hasLayer(labels)) labels.addTo(map);
  if (!wanted && map.hasLayer(labels)) map.removeLayer(labels);
}

// ------------------------------------------------------------ whole country

let countryButton = null;

function createCountryControl() {
  const control = L.control({ position: 'topleft' });
  control.onAdd = () => {
    const box = el('div', { className: 'leaflet-bar leaflet-control-country' });
    countryButton = el('button', { type: 'button', id: 'whole-country' });
    countryButton.append(el('span', { className: 'country-icon', 'aria-hidden': 'true' }, '⤢'), el('span', { className: 'visually-hidden' }));
    countryButton.addEventListener('click', fitCountry);
    box.appendChild(countryButton);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
}

// ------------------------------------------------------------ chosen place

let outline = null; // the L.LayerGroup drawn, with the place it outlines
let outlined = null; // "municipality:nis", "district:RS.SE.20" or null
let outlineRequest = 0;

/**
 * The outline of the place the filters choose (the municipality's boundary, or the district's outer one),
 * or else of the municipality last found by search.
 */
async function syncOutline() {
  const view = store.get('view');
  if (!view || !store.get('municipalities')) return;
  const { district } = view.filters;
  const municipality = view.filters.municipality || (district ? null : store.get('searchedMunicipality'));
  const key = municipality ? 'municipality:' + municipality : district ? 'district:' + district : null;
  if (key === outlined) return;
  outlined = key;
  const request = ++outlineRequest;
  let lines = [];
  if (municipality) {
    const feature = store.get('municipalities').features.find((f) => f.properties.code === municipality);
    if (feature) lines = outerEdges([feature.geometry]);
  } else if (district) {
    // The district's municipalities at full detail: simplified ones no longer share their border vertices.
    try {
      const collection = await getJson('api/layers/municipalities?district=' + encodeURIComponent(district));
      lines = outerEdges(collection.features.map((f) => f.geometry));
    } catch {
      lines = []; // no outline rather than a wrong one; the filter itself still applies
    }
  }
  if (request !== outlineRequest) return; // another place was chosen meanwhile
  if (outline) { map.removeLayer(outline); outline = null; }
  if (lines.length === 0) { delete map.getContainer().dataset.outlined; return; }
  const latlngs = lines.map((line) => line.map(([lon, lat]) => [lat, lon]));
  // A light casing under a dark line: distinct from the municipalities' grey edges and any choropleth colour.
  outline = L.layerGroup([
    L.polyline(latlngs, { pane: 'placeOutline', interactive: false, color: '#ffffff', weight: 7, opacity: 0.9, className: 'place-outline-casing' }),
    L.polyline(latlngs, { pane: 'placeOutline', interactive: false, color: '#111111', weight: 3, opacity: 1, className: 'place-outline' }),
  ]).addTo(map);
  map.getContainer().dataset.outlined = key;
}

// ------------------------------------------------------------ the map's controls in the page's language

function translateControls(i18n) {
  const { t } = i18n;
  const zoom = map.zoomControl;
  if (zoom) {
    // Leaflet writes its titles once, when the control is added: changed here on every language change.
    zoom.options.zoomInTitle = t('map.zoom_in');
    zoom.options.zoomOutTitle = t('map.zoom_out');
    for (const [selector, text] of [['.leaflet-control-zoom-in', t('map.zoom_in')], ['.leaflet-control-zoom-out', t('map.zoom_out')]]) {
      const button = zoom.getContainer().querySelector(selector);
      button.title = text;
      button.setAttribute('aria-label', text);
    }
  }
  if (countryButton) {
    countryButton.title = t('map.whole_country');
    countryButton.lastChild.textContent = t('map.whole_country');
  }
  // Leaflet-Geoman's hints while an outline is drawn. setLang merges these into its English texts
  // (it changes that dictionary in place), so every language sets the same keys, English included.
  if (map.pm) {
    map.pm.setLang(i18n.lang, {
      tooltips: { firstVertex: t('draw.first_vertex'), continueLine: t('draw.continue'), finishPoly: t('draw.finish') },
    }, 'en');
  }
}

// ------------------------------------------------------------ wiring

/** Once the municipalities are loaded: labels, the country button, the outline, translated controls. */
export function wireOrientation() {
  map.createPane('municipalityLabels').style.zIndex = 420;
  map.createPane('placeOutline').style.zIndex = 410;
  labels = new MunicipalityLabels();
  createCountryControl();
  store.subscribe('view', () => { syncLabels(); syncOutline(); });
  store.subscribe('searchedMunicipality', syncOutline);
  store.subscribe('i18n', (i18n) => {
    translateControls(i18n);
    if (map.hasLayer(labels)) labels.rename();
  });
  translateControls(store.get('i18n'));
}
