// The plane geometry behind the map's orientation aids (orientation.js, list-view.js): where a
// municipality's label goes, which labels fit without overlapping, a district's outer boundary from
// its municipalities, and whether a settlement lies in the map view. Pure: no DOM, no Leaflet, so
// tests/web/orientation.test.js imports it as it is. Coordinates are GeoJSON [lon, lat].

/** Twice the signed area of a ring (positive counter-clockwise). */
function doubleArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum;
}

/** Even-odd test of a point against one ring. */
function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point is inside a polygon (outer ring, minus its holes). */
function inPolygon(point, rings) {
  return inRing(point, rings[0]) && !rings.slice(1).some((hole) => inRing(point, hole));
}

/** The polygons of a Polygon or MultiPolygon geometry (each an array of rings). */
function polygonsOf(geometry) {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

/**
 * Where a municipality's name is written: the centroid of its largest polygon, or, when that falls
 * outside (a bent or clipped shape), the middle of the longest stretch of the polygon on the
 * centroid's parallel, so the name always sits on the area it names.
 */
export function labelPoint(geometry) {
  const polygons = polygonsOf(geometry);
  if (polygons.length === 0) return geometry.type === 'Point' ? geometry.coordinates : null;
  const rings = polygons.reduce((best, p) => (Math.abs(doubleArea(p[0])) > Math.abs(doubleArea(best[0])) ? p : best));
  const outer = rings[0];
  const a = doubleArea(outer);
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const cross = outer[j][0] * outer[i][1] - outer[i][0] * outer[j][1];
    cx += (outer[j][0] + outer[i][0]) * cross;
    cy += (outer[j][1] + outer[i][1]) * cross;
  }
  const centroid = a === 0 ? outer[0] : [cx / (3 * a), cy / (3 * a)];
  if (inPolygon(centroid, rings)) return centroid;
  // Crossings of every ring with the parallel y = centroid's latitude, sorted: inside between pairs.
  const y = centroid[1];
  const xs = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y)) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
    }
  }
  xs.sort((p, q) => p - q);
  let best = null;
  for (let i = 0; i + 1 < xs.length; i += 2) if (!best || xs[i + 1] - xs[i] > best[1] - best[0]) best = [xs[i], xs[i + 1]];
  return best ? [(best[0] + best[1]) / 2, y] : outer[0];
}

/**
 * Which labels fit: candidates ({ id, x, y, width, height, priority }, x and y the centre in screen
 * pixels) are taken from the highest priority down (ties keep the given order), each kept only when
 * its box, grown by `gap` pixels, overlaps none kept before. Returns the kept ids in that order.
 */
export function placeLabels(candidates, gap = 4) {
  const order = candidates.map((c, index) => ({ c, index }))
    .sort((p, q) => (q.c.priority - p.c.priority) || (p.index - q.index));
  const kept = [];
  const boxes = [];
  for (const { c } of order) {
    const box = { left: c.x - c.width / 2 - gap, right: c.x + c.width / 2 + gap, top: c.y - c.height / 2 - gap, bottom: c.y + c.height / 2 + gap };
    if (boxes.some((b) => box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom)) continue;
    boxes.push(box);
    kept.push(c.id);
  }
  return kept;
}

/**
 * The outer boundary of neighbouring polygons (a district's municipalities) as lines: every edge
 * that belongs to one polygon only. Edges two polygons share (the same two vertices, in either
 * direction) are inner borders and left out; the rest is joined into as few lines as it takes.
 */
export function outerEdges(geometries) {
  const key = (p) => p[0].toFixed(6) + ',' + p[1].toFixed(6);
  const edges = new Map(); // "a|b" (a < b) → { from, to, count }
  for (const geometry of geometries) {
    for (const rings of polygonsOf(geometry)) {
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i += 1) {
          const [a, b] = [key(ring[i]), key(ring[i + 1])];
          if (a === b) continue;
          const id = a < b ? a + '|' + b : b + '|' + a;
          const edge = edges.get(id);
          if (edge) edge.count += 1;
          else edges.set(id, { from: ring[i], to: ring[i + 1], count: 1 });
        }
      }
    }
  }
  // Chain the single edges end to start, so the outline is drawn as lines, not as loose segments.
  const single = [...edges.values()].filter((e) => e.count === 1);
  const starting = new Map();
  for (const e of single) {
    const k = key(e.from);
    if (!starting.has(k)) starting.set(k, []);
    starting.get(k).push(e);
  }
  const used = new Set();
  const lines = [];
  for (const first of single) {
    if (used.has(first)) continue;
    used.add(first);
    const line = [first.from, first.to];
    for (;;) {
      const next = (starting.get(key(line[line.length - 1])) || []).find((e) => !used.has(e));
      if (!next) break;
      used.add(next);
      line.push(next.to);
    }
    lines.push(line);
  }
  return lines;
}

/**
 * The map view as the box the list and the export links use: [west, south, east, north] rounded
 * outwards to 5 decimals (about a metre), clamped to the globe, so the box written into a link
 * holds at least what the list counted.
 */
export function viewBox(west, south, east, north) {
  const down = (v) => Math.floor(v * 1e5) / 1e5;
  const up = (v) => Math.ceil(v * 1e5) / 1e5;
  return [Math.max(-180, down(west)), Math.max(-90, down(south)), Math.min(180, up(east)), Math.min(90, up(north))];
}

function pointInBox([x, y], [w, s, e, n]) {
  return x >= w && x <= e && y >= s && y <= n;
}

/** Whether two segments touch (collinear overlaps included). */
function segmentsTouch(p1, p2, q1, q2) {
  const orient = (a, b, c) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
  const onSegment = (a, b, c) => Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  const [o1, o2, o3, o4] = [orient(p1, p2, q1), orient(p1, p2, q2), orient(q1, q2, p1), orient(q1, q2, p2)];
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(p1, p2, q1)) || (o2 === 0 && onSegment(p1, p2, q2))
    || (o3 === 0 && onSegment(q1, q2, p1)) || (o4 === 0 && onSegment(q1, q2, p2));
}

/**
 * Whether a geometry (Point, Polygon, MultiPolygon) intersects a box [west, south, east, north],
 * as PostGIS's ST_Intersects decides it for the export's bbox: a vertex inside the box, a box corner
 * inside the polygon, or an edge crossing the box's edges.
 */
export function intersectsBox(geometry, box) {
  if (!geometry) return false;
  if (geometry.type === 'Point') return pointInBox(geometry.coordinates, box);
  const [w, s, e, n] = box;
  const corners = [[w, s], [e, s], [e, n], [w, n]];
  const sides = corners.map((c, i) => [c, corners[(i + 1) % 4]]);
  for (const rings of polygonsOf(geometry)) {
    if (rings.some((ring) => ring.some((p) => pointInBox(p, box)))) return true;
    if (corners.some((c) => inPolygon(c, rings))) return true;
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i += 1) {
        if (sides.some(([a, b]) => segmentsTouch(ring[i], ring[i + 1], a, b))) return true;
      }
    }
  }
  return false;
}
