// The tiles of an offline copy (offline.js): the page's Web Mercator XYZ scheme
// (tiles/settlements/{z}/{x}/{y}.mvt, see tile-layer.js), zooms 12–17, only where a settlement is.

const ZOOMS = [12, 13, 14, 15, 16, 17];

/** The Web Mercator tile holding a position at a zoom (the page's tile scheme: tiles/settlements/{z}/{x}/{y}.mvt). */
export function tileOf(lon, lat, z) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/** [west, south, east, north] of a GeoJSON geometry. */
export function geometryBounds(geometry) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]); box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
    } else c.forEach(walk);
  };
  walk(geometry.coordinates);
  return box;
}

/**
 * The tiles "z/x/y" of the zooms that hold one of the boxes. Not the municipalities' whole extent: Niš's
 * alone is about 25,000 tiles at zoom 17, nearly all without a settlement (the worker draws those empty).
 */
export function tilesFor(boxes, zooms = ZOOMS) {
  const tiles = new Set();
  for (const z of zooms) {
    for (const [west, south, east, north] of boxes) {
      const a = tileOf(west, north, z);
      const b = tileOf(east, south, z);
      for (let x = a.x; x <= b.x; x += 1) for (let y = a.y; y <= b.y; y += 1) tiles.add(z + '/' + x + '/' + y);
    }
  }
  return [...tiles];
}
