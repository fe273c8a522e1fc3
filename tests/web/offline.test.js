// The offline copy's tile list (wwwroot/js/offline-tiles.js): the page's Web Mercator scheme, and only tiles that hold a settlement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geometryBounds, tileOf, tilesFor } from '../../wwwroot/js/offline-tiles.js';

test('tileOf follows the XYZ scheme: the origin, and the centre of Niš at zooms 12 and 17', () => {
  assert.deepEqual(tileOf(0, 0, 1), { x: 1, y: 1 });
  assert.deepEqual(tileOf(-180, 85.0511, 3), { x: 0, y: 0 });
  assert.deepEqual(tileOf(180, -90, 3), { x: 7, y: 7 }); // the last tile, not one past it
  assert.deepEqual(tileOf(21.8958, 43.3209, 12), { x: 2297, y: 1500 });
  assert.deepEqual(tileOf(21.8958, 43.3209, 17), { x: 73508, y: 48002 });
});

test('geometryBounds walks polygons, multipolygons and points', () => {
  assert.deepEqual(geometryBounds({ type: 'Point', coordinates: [21.9, 43.3] }), [21.9, 43.3, 21.9, 43.3]);
  assert.deepEqual(geometryBounds({
    type: 'MultiPolygon',
    coordinates: [[[[21.8, 43.3], [21.9, 43.3], [21.9, 43.35], [21.8, 43.3]]], [[[22.0, 43.2], [22.1, 43.2], [22.0, 43.25], [22.0, 43.2]]]],
  }), [21.8, 43.2, 22.1, 43.35]);
});

test('tilesFor lists each tile of zooms 12 to 17 that a box reaches, once', () => {
  const small = [21.8958, 43.3209, 21.8959, 43.3210]; // about 10 m: one tile per zoom
  assert.deepEqual(tilesFor([small]), ['12/2297/1500', '13/4594/3000', '14/9188/6000', '15/18377/12000', '16/36754/24001', '17/73508/48002']);
  // The same box twice, and a second box in the same tiles: no tile twice.
  assert.equal(tilesFor([small, small, [21.89585, 43.32095, 21.89586, 43.32096]]).length, 6);
  // A box across a zoom-17 tile's edge takes both tiles there.
  const edge = 73509 / 2 ** 17 * 360 - 180;
  const across = tilesFor([[edge - 0.0001, 43.3209, edge + 0.0001, 43.3209]], [17]);
  assert.deepEqual(across, ['17/73508/48002', '17/73509/48002']);
});
