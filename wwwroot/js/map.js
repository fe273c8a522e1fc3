// The Leaflet map of the page, made by createMap once the page starts (nothing runs on import).
import { $ } from './dom.js';

/** Below this zoom a settlement (a few hundred metres) is a speck: a marker stands in for its outline. */
export const MARKER_MAX_ZOOM = 12;

/** The page's L.Map (null until createMap). */
export let map = null;

export function createMap() {
  // Leaflet's own attribution control writes its text as HTML: the base map's is shown by addBaseLayer, as text.
  map = L.map('map', { zoomSnap: 0.5, attributionControl: false });
  // Metric only: the page's readers measure in metres and kilometres. Shown on screen and on the printed sheet.
  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
  return map;
}

/** Fits bounds into the part of the map the details panel leaves visible (right side, or bottom sheet on a phone). */
export function zoomBesideDetails(bounds, minZoom) {
  const details = $('details');
  const mapBox = $('map').getBoundingClientRect();
  const box = details.hidden ? null : details.getBoundingClientRect();
  const right = box && box.height >= mapBox.height - 1 ? box.width : 0;
  const bottom = box && box.height < mapBox.height - 1 ? box.height : 0;
  map.fitBounds(bounds, { maxZoom: 16, paddingTopLeft: [40, 40], paddingBottomRight: [40 + right, 40 + bottom], animate: false });
  if (minZoom && map.getZoom() < minZoom) map.setZoom(minZoom, { animate: false });
}
