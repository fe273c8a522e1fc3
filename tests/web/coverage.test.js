import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAP_CLASSES, KIND_COLOURS, gapClass, gapCounts, presence, kindColour, kindDash } from '../../wwwroot/js/coverage-classes.js';

test('gap classes start at 1 and split at 500, 2000 and 5000 estimated inhabitants', () => {
  assert.equal(gapClass(0), null, 'a gap without any estimated inhabitants has no class');
  assert.equal(gapClass(1).key, 'g0');
  assert.equal(gapClass(499).key, 'g0');
  assert.equal(gapClass(500).key, 'g1');
  assert.equal(gapClass(4999).key, 'g2');
  assert.equal(gapClass(5000).key, 'g3');
  assert.equal(gapClass(1e6).key, GAP_CLASSES.at(-1).key);
});

test('presence counts the municipalities of the base (with settlements) whose coverage has the kind, whatever its count', () => {
  const features = [
    { properties: { settlement_count: 2, coverage: { coordinator: 1 } } },
    { properties: { settlement_count: 1, coverage: { coordinator: null, 'programme:romacted': null } } },
    { properties: { settlement_count: 5, coverage: {} } },
    { properties: { settlement_count: 0, coverage: { coordinator: 1, 'programme:romacted': 1 } } },
  ];
  assert.deepEqual(presence(features, 'coordinator'), { present: 2, absent: 1 });
  assert.deepEqual(presence(features, 'programme:romacted'), { present: 1, absent: 2 });
  assert.deepEqual(presence(features, 'health_mediator'), { present: 0, absent: 3 });
});

test('the gap counts cover the base only, and a gap of unseen population is "unknown", not "none"', () => {
  const features = [
    { properties: { settlement_count: 2, gap: true, gap_inhabitants: 700 } },
    { properties: { settlement_count: 1, gap: true, gap_inhabitants: 0 } },
    { properties: { settlement_count: 3, gap: false, gap_inhabitants: 0 } },
    { properties: { settlement_count: 0, gap: false, gap_inhabitants: 0 } },
  ];
  assert.deepEqual(gapCounts(features), { none: 1, unknown: 1, g0: 0, g1: 1, g2: 0, g3: 0 });
});

test('kinds have fixed colours and programmes take theirs in turn', () => {
  assert.equal(kindColour({ key: 'coordinator' }, 0), '#0072b2');
  assert.notEqual(kindColour({ key: 'programme:a' }, 6), kindColour({ key: 'programme:b' }, 7));
});

test('the overlays shown together differ in their outline\'s dash too', () => {
  const dashes = Object.keys(KIND_COLOURS).map((key, index) => kindDash(index));
  assert.equal(new Set(dashes).size, dashes.length);
});
