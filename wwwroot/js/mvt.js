// Mapbox Vector Tile (spec 2.1) features for drawing and for finding what is under the pointer.
// Pure functions: the tile worker decodes and draws with them, the page hit-tests with them.

const POINT = 1;
const POLYGON = 3;

/**
 * The features of one layer of a tile, read with a Pbf reader (the pbf package), their coordinates
 * scaled from the tile's extent to `size` pixels: { id, type (1 point, 2 line, 3 polygon), properties,
 * geometry }. A point's geometry is a Float32Array [x, y, x, y, …]; a line's or polygon's an array of
 * Float32Array parts (rings; outer and holes alike, drawn and hit-tested with the even-odd rule).
 */
export function decodeLayer(pbf, layerName, size) {
  let found = null;
  pbf.readFields((tag, _, reader) => {
    if (tag !== 3 || found) return;
    const layer = reader.readMessage(readLayer, { name: '', extent: 4096, keys: [], values: [], features: [] });
    if (layer.name === layerName) found = layer;
  }, null);
  if (!found) return [];
  const scale = size / found.extent;
  return found.features.map((raw) => {
    const properties = {};
    for (let i = 0; i + 1 < raw.tags.length; i += 2) properties[found.keys[raw.tags[i]]] = found.values[raw.tags[i + 1]];
    return { id: raw.id, type: raw.type, properties, geometry: decodeGeometry(raw.type, raw.commands, scale) };
  });
}

function readLayer(tag, layer, pbf) {
  if (tag === 1) layer.name = pbf.readString();
  else if (tag === 2) layer.features.push(pbf.readMessage(readFeature, { id: undefined, type: 0, tags: [], commands: [] }));
  else if (tag === 3) layer.keys.push(pbf.readString());
  else if (tag === 4) layer.values.push(pbf.readMessage(readValue, { value: null }).value);
  else if (tag === 5) layer.extent = pbf.readVarint();
}

function readFeature(tag, feature, pbf) {
  if (tag === 1) feature.id = pbf.readVarint();
  else if (tag === 2) pbf.readPackedVarint(feature.tags);
  else if (tag === 3) feature.type = pbf.readVarint();
  else if (tag === 4) pbf.readPackedVarint(feature.commands);
}

function readValue(tag, holder, pbf) {
  if (tag === 1) holder.value = pbf.readString();
  else if (tag === 2) holder.value = pbf.readFloat();
  else if (tag === 3) holder.value = pbf.readDouble();
  else if (tag === 4) holder.value = pbf.readVarint64();
  else if (tag === 5) holder.value = pbf.readVarint();
  else if (tag === 6) holder.value = pbf.readSVarint();
  else if (tag === 7) holder.value = pbf.readBoolean();
}

// Commands: MoveTo (1) and LineTo (2) with `count` zigzag-encoded (dx, dy) pairs, ClosePath (7).
function decodeGeometry(type, commands, scale) {
  let x = 0;
  let y = 0;
  const points = [];
  const parts = [];
  let part = null;
  for (let i = 0; i < commands.length;) {
    const command = commands[i] & 0x7;
    const count = commands[i] >> 3;
    i += 1;
    if (command === 7) continue; // the ring is closed when drawn
    for (let n = 0; n < count && i + 1 < commands.length; n += 1, i += 2) {
      x += (commands[i] >>> 1) ^ -(commands[i] & 1);
      y += (commands[i + 1] >>> 1) ^ -(commands[i + 1] & 1);
      if (type === POINT) { points.push(x * scale, y * scale); continue; }
      if (command === 1) { part = []; parts.push(part); }
      part.push(x * scale, y * scale);
    }
  }
  return type === POINT ? Float32Array.from(points) : parts.map((p) => Float32Array.from(p));
}

/** The pixel box of a feature's geometry: [minX, minY, maxX, maxY]. */
export function boundsOf(feature) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const part of feature.type === POINT ? [feature.geometry] : feature.geometry) {
    for (let i = 0; i < part.length; i += 2) {
      box[0] = Math.min(box[0], part[i]); box[1] = Math.min(box[1], part[i + 1]);
      box[2] = Math.max(box[2], part[i]); box[3] = Math.max(box[3], part[i + 1]);
    }
  }
  return box;
}

/**
 * Whether the pixel (x, y) is on a feature: within its `radius` (the drawn circle and half its stroke)
 * of a point, or inside a polygon (even-odd).
 */
export function containsPoint(feature, x, y) {
  if (feature.type === POINT) {
    const g = feature.geometry;
    for (let i = 0; i < g.length; i += 2) if (Math.hypot(g[i] - x, g[i + 1] - y) <= feature.radius) return true;
    return false;
  }
  if (feature.type !== POLYGON) return false;
  let inside = false;
  for (const ring of feature.geometry) {
    for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      const xi = ring[i]; const yi = ring[i + 1]; const xj = ring[j]; const yj = ring[j + 1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The topmost of `features` (drawn in order, the last on top) at the pixel (x, y), or null. */
export function featureAt(features, x, y) {
  for (let i = features.length - 1; i >= 0; i -= 1) if (containsPoint(features[i], x, y)) return features[i];
  return null;
}
