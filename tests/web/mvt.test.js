import { test } from 'node:test';
import assert from 'node:assert/strict';
import Pbf from 'pbf';
import { boundsOf, containsPoint, decodeLayer, featureAt } from '../../wwwroot/js/mvt.js';

const zigzag = (n) => (n << 1) ^ (n >> 31);
const command = (id, count) => (count << 3) | id;

/** Geometry commands from absolute tile coordinates: rings (closed) or one multipoint. */
function encode(type, parts) {
  const out = [];
  let x = 0;
  let y = 0;
  const delta = ([px, py]) => { out.push(zigzag(px - x), zigzag(py - y)); x = px; y = py; };
  if (type === 1) {
    out.push(command(1, parts.length));
    parts.forEach(delta);
    return out;
  }
  for (const ring of parts) {
    out.push(command(1, 1));
    delta(ring[0]);
    out.push(command(2, ring.length - 1));
    ring.slice(1).forEach(delta);
    out.push(command(7, 1));
  }
  return out;
}

/** A tile as PostGIS's ST_AsMVT writes it: features first, then the keys and values they index. */
function tile(layers) {
  const pbf = new Pbf();
  for (const layer of layers) {
    pbf.writeMessage(3, (l, p) => {
      p.writeVarintField(15, 2);
      p.writeStringField(1, l.name);
      const keys = [];
      const values = [];
      for (const f of l.features) {
        const tags = [];
        for (const [k, v] of Object.entries(f.properties)) {
          if (!keys.includes(k)) keys.push(k);
          if (!values.includes(v)) values.push(v);
          tags.push(keys.indexOf(k), values.indexOf(v));
        }
        p.writeMessage(2, (feature, q) => {
          q.writePackedVarint(2, tags);
          q.writeVarintField(3, feature.type);
          q.writePackedVarint(4, encode(feature.type, feature.parts));
        }, f);
      }
      keys.forEach((k) => p.writeStringField(3, k));
      for (const v of values) {
        p.writeMessage(4, (value, q) => {
          if (typeof value === 'string') q.writeStringField(1, value);
          else if (Number.isInteger(value) && value < 0) q.writeSVarintField(6, value);
          else if (Number.isInteger(value)) q.writeVarintField(5, value);
          else if (typeof value === 'boolean') q.writeBooleanField(7, value);
          else q.writeDoubleField(3, value);
        }, v);
      }
      p.writeVarintField(5, l.extent);
    }, layer);
  }
  return pbf.finish();
}

const sample = tile([
  { name: 'municipalities', extent: 4096, features: [{ type: 1, properties: { id: 99 }, parts: [[1, 1]] }] },
  {
    name: 'settlements',
    extent: 4096,
    features: [
      // A square with a square hole, 0..2048 with the hole 512..1536 (half a 512-pixel tile: 0..256, hole 64..192).
      { type: 3, properties: { id: 1, water_supply: 'network', substandard_share_pct: 37.5 }, parts: [
        [[0, 0], [0, 2048], [2048, 2048], [2048, 0], [0, 0]],
        [[512, 512], [1536, 512], [1536, 1536], [512, 1536], [512, 512]],
      ] },
      { type: 1, properties: { id: 2, water_supply: 'none', households: -1 }, parts: [[3072, 3072]] },
      // Overlaps the square's corner: drawn later, so on top.
      { type: 3, properties: { id: 3 }, parts: [[[1800, 1800], [1800, 2600], [2600, 2600], [2600, 1800], [1800, 1800]]] },
    ],
  },
]);

test('a layer is found by name, its properties resolved and coordinates scaled to the tile size', () => {
  const features = decodeLayer(new Pbf(sample), 'settlements', 512);
  assert.deepEqual(features.map((f) => f.properties.id), [1, 2, 3]);
  assert.deepEqual(features[0].properties, { id: 1, water_supply: 'network', substandard_share_pct: 37.5 });
  assert.deepEqual(features[1].properties, { id: 2, water_supply: 'none', households: -1 });
  assert.equal(features[0].geometry.length, 2);
  assert.deepEqual([...features[0].geometry[1]], [64, 64, 192, 64, 192, 192, 64, 192, 64, 64]);
  assert.deepEqual([...features[1].geometry], [384, 384]);
  assert.deepEqual(boundsOf(features[0]), [0, 0, 256, 256]);
  assert.deepEqual(decodeLayer(new Pbf(sample), 'municipalities', 256)[0].properties, { id: 99 });
  assert.deepEqual(decodeLayer(new Pbf(sample), 'roads', 512), []);
  assert.deepEqual(decodeLayer(new Pbf(new Uint8Array(0)), 'settlements', 512), [], 'an empty tile (no settlements there)');
});

test('hit testing: inside a polygon but not its hole, within a point\'s radius, the topmost first', () => {
  const features = decodeLayer(new Pbf(sample), 'settlements', 512).map((f) => ({ ...f, radius: 4.5 }));
  const [square, point] = features;
  assert.equal(containsPoint(square, 20, 20), true);
  assert.equal(containsPoint(square, 128, 128), false, 'in the hole');
  assert.equal(containsPoint(square, 300, 20), false);
  assert.equal(containsPoint(point, 384 + 4, 384), true);
  assert.equal(containsPoint(point, 384 + 5, 384), false);
  assert.equal(featureAt(features, 240, 240).properties.id, 3, 'the later feature is drawn over the square');
  assert.equal(featureAt(features, 20, 20).properties.id, 1);
  assert.equal(featureAt(features, 128, 128), null);
});
