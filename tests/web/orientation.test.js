import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intersectsBox, labelPoint, outerEdges, placeLabels, viewBox } from '../../wwwroot/js/orientation-geometry.js';
import { decodeView, defaultView, encodeView } from '../../wwwroot/js/state.js';
import { closedLists } from './closed-lists.js';

const square = (x, y, size = 1) => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
const polygon = (...rings) => ({ type: 'Polygon', coordinates: rings });

test('a convex shape is labelled at its centroid', () => {
  assert.deepEqual(labelPoint(polygon(square(20, 44, 2))), [21, 45]);
});

test('a MultiPolygon is labelled on its largest part', () => {
  const point = labelPoint({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(10, 10, 4)]] });
  assert.deepEqual(point, [12, 12]);
});

test('a C-shape whose centroid falls in its gap is labelled inside the shape', () => {
  // A "C" open to the right: its centroid lies in the opening.
  const c = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]];
  const [x, y] = labelPoint(polygon(c));
  assert.ok(x >= 0 && x <= 1 && y > 0 && y < 3, `(${x}, ${y}) is on the C's back`);
});

test('labels that overlap keep the higher priority one; separate ones all stay', () => {
  const label = (id, x, y, priority) => ({ id, x, y, width: 60, height: 14, priority });
  assert.deepEqual(placeLabels([label('small', 100, 100, 1), label('big', 120, 104, 9), label('far', 400, 100, 0)]), ['big', 'far']);
  // The gap counts: 62 px apart with a 4 px gap each side overlaps, 70 px apart does not.
  assert.deepEqual(placeLabels([label('a', 0, 0, 2), label('b', 62, 0, 1)]), ['a']);
  assert.deepEqual(placeLabels([label('a', 0, 0, 2), label('b', 70, 0, 1)]), ['a', 'b']);
  // Ties keep the given order.
  assert.deepEqual(placeLabels([label('first', 0, 0, 5), label('second', 10, 0, 5)]), ['first']);
});

test('the outer boundary of two neighbours leaves out the border they share', () => {
  const lines = outerEdges([polygon(square(0, 0)), polygon(square(1, 0))]);
  const segments = lines.flatMap((line) => line.slice(1).map((p, i) => [line[i], p]));
  assert.equal(segments.length, 6); // 8 edges, minus the shared one counted in both squares
  assert.ok(!segments.some(([a, b]) => a[0] === 1 && b[0] === 1), 'no segment along x = 1');
  assert.equal(lines.length, 1, 'joined into one line');
  assert.deepEqual(lines[0][0], lines[0][lines[0].length - 1]);
});

test('a single municipality is outlined whole', () => {
  const lines = outerEdges([polygon(square(20, 44))]);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].length, 5);
});

test('the view box is rounded outwards to 5 decimals and clamped to the globe', () => {
  assert.deepEqual(viewBox(21.123456, 43.123454, 21.999991, 43.5), [21.12345, 43.12345, 22, 43.5]);
  assert.deepEqual(viewBox(-200, -95, 200, 95), [-180, -90, 180, 90]);
});

test('a settlement intersects the view by any part, as ST_Intersects decides', () => {
  const box = [0, 0, 10, 10];
  assert.equal(intersectsBox(polygon(square(2, 2)), box), true, 'inside');
  assert.equal(intersectsBox(polygon(square(9.5, 9.5)), box), true, 'over a corner');
  assert.equal(intersectsBox(polygon(square(20, 20)), box), false, 'outside');
  assert.equal(intersectsBox(polygon(square(-5, -5, 30)), box), true, 'around the whole view');
  // A thin bar across the view: no vertex inside, no corner inside, only crossing edges.
  assert.equal(intersectsBox(polygon([[-1, 4], [11, 4], [11, 5], [-1, 5], [-1, 4]]), box), true, 'across');
  // An L whose bounding box covers the view's corner but whose arms miss it.
  const l = [[8, 11], [11, 11], [11, 8], [12, 8], [12, 12], [8, 12], [8, 11]];
  assert.equal(intersectsBox(polygon(l), [9, 9, 10.5, 10.5]), false, 'its box overlaps, the shape does not');
  assert.equal(intersectsBox({ type: 'Point', coordinates: [5, 5] }, box), true);
  assert.equal(intersectsBox({ type: 'Point', coordinates: [15, 5] }, box), false);
  assert.equal(intersectsBox(null, box), false);
});

test('"only in the map view" is in the permalink as in_view=1 and read back; a bad value is dropped', () => {
  const view = { ...defaultView(), inView: true };
  assert.equal(encodeView(view), 'in_view=1');
  assert.equal(encodeView(defaultView()), '');
  assert.equal(decodeView('#in_view=1', closedLists).view.inView, true);
  assert.equal(decodeView('', closedLists).view.inView, false);
  const bad = decodeView('#in_view=yes', closedLists);
  assert.equal(bad.view.inView, false);
  assert.deepEqual(bad.dropped, ['in_view=yes']);
});
