// Validates a GeoJSON file with @placemarkio/check-geojson (RFC 7946 rules, including the
// right-hand rule for polygon rings). Prints "valid: N features" or each problem; exit 1 if any.
import { readFileSync } from 'node:fs';
import { check } from '@placemarkio/check-geojson';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/validate-geojson.mjs FILE');
  process.exit(2);
}
try {
  const geojson = check(readFileSync(file, 'utf8'));
  console.log(`valid: ${geojson.features ? geojson.features.length : 1} features`);
} catch (error) {
  for (const issue of error.issues || [{ message: error.message }]) console.error(`${issue.message}${issue.from !== undefined ? ` (at ${issue.from})` : ''}`);
  process.exit(1);
}
