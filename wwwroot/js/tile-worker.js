// Fetches, decodes and draws the settlement vector tiles off the page's main thread, and hands each
// tile back as a bitmap with the few figures the page needs to find the settlement under the pointer.
// On the main thread, decoding and drawing tiles gave the garbage collector and the canvas copies
// frames of 50-180 ms while panning at 100k settlements (bench/RESULTS.md, g).
import Pbf from '../vendor/pbf/index.js';
import { boundsOf, decodeLayer } from './mvt.js';
import { classColour, themeClasses } from './themes.js';

const LAYER = 'settlements'; // the layer name TileSql gives ST_AsMVT
const STROKE = '#1d2733';
const SELECTED_STROKE = '#000';
const OUTLINE_MIN_ZOOM = 12; // TileSql.OutlineMinZoom: from it tiles carry outlines, and a point is a generalised settlement

/** A tile layer's styling: { theme, classes, selected }, by the page's layer id. */
const styles = new Map();
/** Tiles asked for or drawn, by "layer/key": { req, key, size, ratio, controller, features }. */
const tiles = new Map();

self.onmessage = ({ data }) => {
  switch (data.type) {
    case 'layer':
      styles.set(data.layer, { theme: data.theme, classes: themeClasses(data.theme, data.closedLists), selected: data.selected, ringMetres: data.ringMetres });
      break;
    case 'draw': draw(data); break;
    case 'drop': drop(data.layer + '/' + data.key); break;
    case 'drop-layer':
      for (const id of [...tiles.keys()]) if (id.startsWith(data.layer + '/')) drop(id);
      styles.delete(data.layer);
      break;
    case 'select': select(data.layer, data.selected); break;
    default: break;
  }
};

async function draw({ layer, req, key, url, size, ratio, z, y }) {
  const id = layer + '/' + key;
  drop(id);
  const tile = { req, key, size, ratio, controller: new AbortController(), features: null, z, metresPerPixel: metresPerPixel(z, y, size) };
  tiles.set(id, tile);
  try {
    const response = await fetch(url, { signal: tile.controller.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${new URL(url).pathname}`);
    const bytes = await response.arrayBuffer();
    if (tiles.get(id) !== tile) return;
    tile.features = decodeLayer(new Pbf(bytes), LAYER, size);
    render(layer, tile);
  } catch (error) {
    if (tiles.get(id) !== tile) return; // dropped while loading: nobody waits for it
    tiles.delete(id);
    self.postMessage({ type: 'error', layer, req, key, message: error.message });
  }
}

function drop(id) {
  const tile = tiles.get(id);
  if (!tile) return;
  tiles.delete(id);
  if (!tile.features) tile.controller.abort();
}

/** Draws the tiles holding the previously or the newly selected settlement again. */
function select(layer, selected) {
  const style = styles.get(layer);
  if (!style) return;
  const previous = style.selected;
  style.selected = selected;
  for (const [id, tile] of tiles) {
    if (id.startsWith(layer + '/') && tile.features
      && tile.features.some((f) => f.properties.id === previous || f.properties.id === selected)) render(layer, tile);
  }
}

function render(layer, tile) {
  const style = styles.get(layer);
  if (!style) return;
  const canvas = new OffscreenCanvas(tile.size * tile.ratio, tile.size * tile.ratio);
  const context = canvas.getContext('2d');
  context.scale(tile.ratio, tile.ratio);
  // The selected settlement last, so that its outline is on top.
  const ordered = tile.features.filter((f) => f.properties.id !== style.selected)
    .concat(tile.features.filter((f) => f.properties.id === style.selected));
  const drawn = ordered.map((feature) => drawFeature(context, feature, style, tile));
  const bitmap = canvas.transferToImageBitmap();
  self.postMessage({ type: 'tile', layer, req: tile.req, key: tile.key, bitmap, features: drawn }, [bitmap]);
}

/** Ground metres a pixel of tile row y at zoom z (the tile drawn `size` pixels wide), at the row's middle latitude. */
function metresPerPixel(z, y, size) {
  if (z === undefined || y === undefined) return null;
  const n = Math.PI - (2 * Math.PI * (y + 0.5)) / 2 ** z;
  const latitude = Math.atan(Math.sinh(n));
  return (40075016.686 * Math.cos(latitude)) / 2 ** z / size;
}

/**
 * A settlement the public view generalises (a point with estimated_inhabitants_below) gets a dashed
 * ring of the radius its point may be off by, when the ring is wider than the marker.
 */
function drawRing(context, feature, style, tile) {
  // From OUTLINE_MIN_ZOOM on a point is a generalised settlement; below it, one with estimated_inhabitants_below
  // (a generalised one whose estimate is unknown has none: its point gets no ring there).
  const below = feature.properties.estimated_inhabitants_below;
  const generalised = tile.z >= OUTLINE_MIN_ZOOM || (below !== undefined && below !== null);
  if (feature.type !== 1 || !generalised || !style.ringMetres || !tile.metresPerPixel) return;
  const radius = style.ringMetres / tile.metresPerPixel;
  if (radius < 8) return;
  const g = feature.geometry;
  context.save();
  context.setLineDash([4, 4]);
  context.lineWidth = 1;
  context.strokeStyle = STROKE;
  context.beginPath();
  for (let i = 0; i < g.length; i += 2) {
    context.moveTo(g[i] + radius, g[i + 1]);
    context.arc(g[i], g[i + 1], radius, 0, 2 * Math.PI);
  }
  context.stroke();
  context.restore();
}

// Points as circles of radius 4 (6 when selected), polygons filled; outline 1 pixel (3 and black when selected).
function drawFeature(context, feature, style, tile) {
  const selected = feature.properties.id === style.selected;
  const fill = classColour(style.classes, style.theme, feature.properties);
  const stroke = selected ? SELECTED_STROKE : STROKE;
  const weight = selected ? 3 : 1;
  const radius = selected ? 6 : 4;
  context.beginPath();
  if (feature.type === 1) {
    const g = feature.geometry;
    for (let i = 0; i < g.length; i += 2) {
      context.moveTo(g[i] + radius, g[i + 1]);
      context.arc(g[i], g[i + 1], radius, 0, 2 * Math.PI);
    }
  } else {
    for (const part of feature.geometry) {
      context.moveTo(part[0], part[1]);
      for (let i = 2; i < part.length; i += 2) context.lineTo(part[i], part[i + 1]);
      if (feature.type === 3) context.closePath();
    }
  }
  if (feature.type !== 2) {
    context.globalAlpha = 0.85;
    context.fillStyle = fill;
    context.fill('evenodd');
    context.globalAlpha = 1;
  }
  context.lineWidth = weight;
  context.lineJoin = 'round';
  context.strokeStyle = stroke;
  context.stroke();
  drawRing(context, feature, style, tile);
  const box = boundsOf(feature);
  return {
    id: feature.properties.id, type: feature.type, geometry: feature.geometry, radius: radius + weight / 2,
    fill, stroke, centre: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2],
  };
}
