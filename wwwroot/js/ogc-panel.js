// "Use in QGIS / GDAL": the OGC API – Features address of this service (absolute, so it can be pasted
// into a desktop client) and a two-line how-to. Product and menu names stay as the programs show them.
import { $ } from './dom.js';
import { store } from './store.js';
import { asOf, formatDay } from './as-of.js';

let rendered = null; // the day the GDAL line was written for

const QGIS_MENU = 'Layer → Add Layer → Add WFS / OGC API – Features Layer…';

/** The landing page's absolute address, relative to this page (so a path prefix behind a proxy is kept). */
export function ogcAddress() {
  return new URL('ogc', document.baseURI).href;
}

function render() {
  const { t } = store.get('i18n');
  const url = ogcAddress();
  $('ogc-title').textContent = t('ogc.title', { apps: 'QGIS / GDAL' });
  $('ogc-address').textContent = t('ogc.address', { service: 'OGC API – Features' });
  $('ogc-url').value = url;
  $('ogc-qgis').textContent = t('ogc.qgis', { qgis: 'QGIS', menu: QGIS_MENU });
  $('ogc-gdal-label').textContent = t('ogc.gdal', { gdal: 'GDAL' });
  // As of a past day the line asks for that day's settlements: OGC datetime on the collection, which
  // GDAL keeps in every page it fetches (tests/SettlementMap.Tests/History/AsOfRealClientTests.cs).
  const day = asOf();
  rendered = day;
  $('ogc-gdal').textContent = day
    ? 'ogr2ogr -f GPKG out.gpkg "OAPIF:' + url + '/collections/settlements?datetime=' + day + '"'
    : 'ogr2ogr -f GPKG out.gpkg "OAPIF:' + url + '"';
  const hint = $('ogc-as-of');
  hint.hidden = !day;
  hint.textContent = day ? t('asof.ogc', { date: formatDay(day), datetime: 'datetime=' + day }) : '';
}

async function copy() {
  const input = $('ogc-url');
  input.select();
  const { t } = store.get('i18n');
  try {
    await navigator.clipboard.writeText(input.value);
    $('ogc-copy').textContent = t('ogc.copied');
    setTimeout(() => { $('ogc-copy').textContent = store.get('i18n').t('ogc.copy'); }, 2500);
  } catch { /* no clipboard (plain http, permissions): the address stays selected for Ctrl+C */ }
}

export function wireOgcPanel() {
  store.subscribe('i18n', render);
  store.subscribe('view', () => { if (store.get('i18n') && asOf() !== rendered) render(); });
  $('ogc-copy').addEventListener('click', copy);
}
