// The settlements as vector tiles (at scale, above config.tile_threshold): a Leaflet grid of canvases
// whose pictures a worker (tile-worker.js) fetches, decodes and draws. The page keeps, per tile, each
// drawn settlement's id, style and pixel geometry, to select what is clicked without asking the worker.
import { containsPoint, featureAt } from './mvt.js';

let worker = null;
const layersById = new Map();
let nextLayerId = 1;

function tileWorker() {
  if (!worker) {
    worker = new Worker(new URL('./tile-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => { const layer = layersById.get(data.layer); if (layer) layer._fromWorker(data); };
  }
  return worker;
}

/**
 * Options: url (a template with {z}, {x}, {y}, relative to the page), theme, closedLists, selected,
 * onSelect(id) for a click on a settlement, and Leaflet's GridLayer options.
 * Each tile is drawn at 512 pixels from the tile one zoom out (as GL map clients draw vector tiles):
 * a quarter of the canvases, each of which Chromium without a GPU copies in the frame it appears.
 */
export const SettlementTileLayer = L.GridLayer.extend({
  options: { tileSize: 512, zoomOffset: -1, maxNativeZoom: 17, className: 'settlement-tiles' },

  initialize(options) {
    L.GridLayer.prototype.initialize.call(this, options);
    this._layerId = nextLayerId;
    nextLayerId += 1;
    this._pending = new Map(); // request number → { key, canvas, done }
    this._drawn = new Map(); // tile key → { req, canvas, features }
    this._requests = 0;
    this._hovering = false;
  },

  onAdd(map) {
    layersById.set(this._layerId, this);
    tileWorker().postMessage({
      type: 'layer', layer: this._layerId, theme: this.options.theme, closedLists: this.options.closedLists, selected: this.options.selected,
      ringMetres: this.options.ringMetres,
    });
    this.on('tileunload', this._onTileUnload, this);
    map.on('click', this._onClick, this);
    map.on('mousemove', this._onMouseMove, this);
    L.GridLayer.prototype.onAdd.call(this, map);
  },

  onRemove(map) {
    // One drop-layer message for the worker, not a drop for each tile Leaflet now unloads.
    this.off('tileunload', this._onTileUnload, this);
    L.GridLayer.prototype.onRemove.call(this, map);
    map.off('click', this._onClick, this);
    map.off('mousemove', this._onMouseMove, this);
    map.getContainer().classList.remove('settlement-hover');
    this._hovering = false;
    tileWorker().postMessage({ type: 'drop-layer', layer: this._layerId });
    layersById.delete(this._layerId);
    this._pending.clear();
    this._drawn.clear();
  },

  createTile(coords, done) {
    const canvas = L.DomUtil.create('canvas', 'settlement-tile');
    const size = this.getTileSize();
    const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
    canvas.width = size.x * ratio;
    canvas.height = size.y * ratio;
    const key = this._tileCoordsToKey(coords);
    this._requests += 1;
    this._pending.set(this._requests, { key, canvas, done });
    // Resolved here, against the page: the worker's own base is its script's folder.
    const url = new URL(L.Util.template(this.options.url, { x: coords.x, y: coords.y, z: coords.z + this.options.zoomOffset }), document.baseURI).href;
    tileWorker().postMessage({ type: 'draw', layer: this._layerId, req: this._requests, key, url, size: size.x, ratio, z: coords.z + this.options.zoomOffset, y: coords.y });
    return canvas;
  },

  /** Draws the previous and the new selection again, in the tiles that hold them. */
  setSelected(id) {
    this.options.selected = id;
    if (this._map) tileWorker().postMessage({ type: 'select', layer: this._layerId, selected: id });
  },

  /**
   * What the tiles of the zoom being shown have drawn (a canvas has no elements to query; tiles of the
   * zoom before stay on screen until these are drawn, but clicks go to these): see settlementMap.drawnTileFeatures.
   */
  drawnFeatures() {
    const size = this.getTileSize().x;
    const drawn = [];
    for (const [tile, { canvas, features }] of this._drawn) {
      if (!canvas.isConnected || !tile.endsWith(':' + this._tileZoom)) continue;
      const box = canvas.getBoundingClientRect();
      const scale = box.width / size;
      for (const f of features) {
        const [x, y] = f.centre;
        drawn.push({
          id: f.id, fill: f.fill, stroke: f.stroke, x: box.left + x * scale, y: box.top + y * scale,
          inside: containsPoint(f, x, y), tile, size, local: [x, y],
        });
      }
    }
    return drawn;
  },

  _fromWorker(message) {
    if (message.type === 'error') {
      const pending = this._pending.get(message.req);
      this._pending.delete(message.req);
      if (pending) pending.done(new Error(message.message), pending.canvas);
      return;
    }
    // A new tile's first picture, or a tile drawn again (selection); anything else is for a tile since removed.
    const pending = this._pending.get(message.req);
    const drawn = this._drawn.get(message.key);
    const canvas = pending ? pending.canvas : drawn && drawn.req === message.req ? drawn.canvas : null;
    if (!canvas) { message.bitmap.close(); return; }
    canvas.getContext('bitmaprenderer').transferFromImageBitmap(message.bitmap);
    this._drawn.set(message.key, { req: message.req, canvas, features: message.features });
    if (pending) {
      this._pending.delete(message.req);
      pending.done(null, canvas);
    }
  },

  _onTileUnload({ coords }) {
    const key = this._tileCoordsToKey(coords);
    for (const [req, pending] of this._pending) if (pending.key === key) this._pending.delete(req);
    this._drawn.delete(key);
    tileWorker().postMessage({ type: 'drop', layer: this._layerId, key });
  },

  /** The settlement drawn at a map position, from the tile of the zoom being shown. */
  _featureAt(latlng) {
    if (this._tileZoom === undefined) return null;
    const size = this.getTileSize();
    const pixel = this._map.project(latlng, this._tileZoom);
    const coords = L.point(Math.floor(pixel.x / size.x), Math.floor(pixel.y / size.y));
    coords.z = this._tileZoom;
    const drawn = this._drawn.get(this._tileCoordsToKey(coords));
    return drawn ? featureAt(drawn.features, pixel.x - coords.x * size.x, pixel.y - coords.y * size.y) : null;
  },

  _onClick(event) {
    const feature = this._featureAt(event.latlng);
    if (feature && this.options.onSelect) this.options.onSelect(feature.id);
  },

  // The pointer cursor over a settlement. Not while dragging: a class change on the map's container
  // restyles everything in it, and a drag crosses many settlements.
  _onMouseMove(event) {
    if (this._map.dragging && this._map.dragging.moving()) return;
    const over = this._featureAt(event.latlng) !== null;
    if (over !== this._hovering) {
      this._hovering = over;
      this._map.getContainer().classList.toggle('settlement-hover', over);
    }
  },
});
