import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRESHNESS_CLASSES, freshnessClass, freshnessCounts, staleTotal, yearsSince } from '../../wwwroot/js/freshness-classes.js';

const now = new Date(Date.UTC(2026, 11, 3, 18, 0, 0)); // 2026-12-03 18:00 UTC

test('the classes split at 1, 2 and 5 calendar years before now; no date is its own class', () => {
  assert.equal(freshnessClass('2026-12-03', now).key, 'y1');
  assert.equal(freshnessClass('2025-12-04', now).key, 'y1');
  assert.equal(freshnessClass('2025-12-03', now).key, 'y2', 'exactly a year ago (and some hours) is not under a year');
  assert.equal(freshnessClass('2024-12-04', now).key, 'y2');
  assert.equal(freshnessClass('2024-12-03', now).key, 'y5');
  assert.equal(freshnessClass('2021-12-04', now).key, 'y5');
  assert.equal(freshnessClass('2021-12-03', now).key, 'old');
  assert.equal(freshnessClass('1999-01-01', now).key, 'old');
  assert.equal(freshnessClass(null, now).key, 'none');
  assert.equal(FRESHNESS_CLASSES.length, 5);
});

test('years count calendar years, 29 February included', () => {
  assert.ok(Math.abs(yearsSince('2024-02-29', new Date(Date.UTC(2025, 1, 28))) - 0.997) < 0.01);
  assert.equal(Math.floor(yearsSince('2020-06-15', new Date(Date.UTC(2026, 5, 15, 12)))), 6);
  assert.equal(Math.floor(yearsSince('2020-06-15', new Date(Date.UTC(2026, 5, 14, 23)))), 5);
});

test('the legend counts every municipality of the layer in one class, and the stale settlements add up', () => {
  const features = [
    { properties: { last_updated: '2026-10-01', stale_count: 0 } },
    { properties: { last_updated: '2019-06-01', stale_count: 4 } },
    { properties: { last_updated: null, stale_count: 0 } },
    { properties: { last_updated: '2025-01-01', stale_count: 2 } },
  ];
  assert.deepEqual(freshnessCounts(features, now), { y1: 1, y2: 1, y5: 0, old: 1, none: 1 });
  assert.equal(staleTotal(features), 6);
});
