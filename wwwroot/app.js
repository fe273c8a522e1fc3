'use strict';
// The first map: settlements and municipality outlines from the GeoJSON API, drawn by Leaflet
// without any base map (tiles are optional and may be unreachable). Text from the data is only
// ever set with textContent, never parsed as HTML.
(function () {
  const WATER = {
    network: { label: 'Water network', color: '#2c7fb8' },
    wells: { label: 'Wells', color: '#fdae61' },
    none: { label: 'No water supply', color: '#d7191c' },
    unknown: { label: 'Unknown', color: '#9e9e9e' },
  };
  const VALUE_LABELS = {
    network: 'network', wells: 'wells', none: 'none', unknown: 'unknown', septic: 'septic tank',
    legal: 'legal', partial: 'partial', illegal: 'illegal', district: 'district heating',
    electricity_gas: 'electricity or gas', wood_coal: 'wood or coal',
    legalised: 'legalised', in_process: 'in process', not_legalised: 'not legalised',
  };

  const status = document.getElementById('status');
  const map = L.map('map', { preferCanvas: false, zoomSnap: 0.5 }).setView([44.1, 20.9], 7);
  const api = {
    ready: null,
    counts: { settlements: 0, municipalities: 0 },
  };
  window.settlementMap = api;

  function setStatus(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function label(value) {
    return VALUE_LABELS[value] || value || '—';
  }

  function popupContent(p) {
    const root = el('div', null, 'popup');
    root.appendChild(el('h2', p.name_latn));
    root.appendChild(el('p', p.name_cyrl + ' · ' + p.municipality_name_latn, 'alt'));
    const list = el('dl');
    const rows = [
      ['Estimated inhabitants', p.estimated_inhabitants == null ? '—' : p.estimated_inhabitants.toLocaleString('en')],
      ['Households', p.households == null ? '—' : p.households],
      ['Water supply', label(p.water_supply)],
      ['Sewerage', label(p.sewerage)],
      ['Electricity', label(p.electricity)],
      ['Heating', label(p.heating)],
      ['Legal status', label(p.legal_status)],
      ['Source', p.source],
    ];
    for (const [name, value] of rows) {
      list.appendChild(el('dt', name));
      list.appendChild(el('dd', value));
    }
    root.appendChild(list);
    return root;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/geo+json, application/json' } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).title || detail; } catch (_) { /* not JSON */ }
      throw new Error(url + ': ' + response.status + ' ' + detail);
    }
    return response.json();
  }

  function addBaseLayer(config, control) {
    if (!config.base_layer) return;
    const base = L.tileLayer(config.base_layer.url_template, {
      attribution: config.base_layer.attribution,
      maxZoom: config.base_layer.max_zoom,
    });
    let failures = 0;
    base.on('tileerror', () => {
      failures += 1;
      if (failures === 4) setStatus('The base map cannot be reached (offline?); settlements are still shown.');
    });
    base.addTo(map);
    control.addBaseLayer(base, 'OpenStreetMap');
    control.addBaseLayer(L.layerGroup(), 'No base map');
  }

  function addLegend() {
    const legend = L.control({ position: 'bottomright' });
    legend.onAdd = () => {
      const box = el('div', null, 'legend');
      box.appendChild(el('h2', 'Water supply'));
      for (const key of Object.keys(WATER)) {
        const row = el('div');
        const swatch = el('span', null, 'swatch');
        swatch.style.background = WATER[key].color;
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(WATER[key].label));
        box.appendChild(row);
      }
      return box;
    };
    legend.addTo(map);
  }

  async function start() {
    const control = L.control.layers({}, {}, { collapsed: window.innerWidth < 600 }).addTo(map);
    const config = await getJson('api/config');
    document.getElementById('data-notice').textContent = config.data_notice || '';
    addBaseLayer(config, control);

    const [municipalities, settlements] = await Promise.all([
      getJson('api/layers/municipalities?zoom=9'),
      getJson('api/layers/settlements'),
    ]);

    const municipalityLayer = L.geoJSON(municipalities, {
      style: { color: '#55606b', weight: 1, fill: true, fillColor: '#ffffff', fillOpacity: 0.35, className: 'municipality' },
      onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name_latn + ' / ' + feature.properties.name_cyrl, { sticky: true }),
    }).addTo(map);
    control.addOverlay(municipalityLayer, 'Municipalities (approximate)');

    const settlementLayer = L.geoJSON(settlements, {
      style: (feature) => ({
        color: '#1d2733', weight: 1, fillOpacity: 0.85, className: 'settlement',
        fillColor: (WATER[feature.properties.water_supply] || WATER.unknown).color,
      }),
      onEachFeature: (feature, layer) => layer.bindPopup(() => popupContent(feature.properties)),
    }).addTo(map);
    // Settlements are a few hundred metres across: below city zoom they would be specks, so a
    // marker at each one's centre stands in for the outline until the outline is big enough.
    const markers = L.layerGroup();
    settlementLayer.eachLayer((layer) => {
      const p = layer.feature.properties;
      L.circleMarker(layer.getBounds().getCenter(), {
        radius: 4, color: '#1d2733', weight: 1, fillOpacity: 0.9, className: 'settlement-point',
        fillColor: (WATER[p.water_supply] || WATER.unknown).color,
      }).bindPopup(() => popupContent(p)).addTo(markers);
    });
    const syncMarkers = () => {
      const wanted = map.getZoom() < 12 && map.hasLayer(settlementLayer);
      if (wanted && !map.hasLayer(markers)) markers.addTo(map);
      if (!wanted && map.hasLayer(markers)) map.removeLayer(markers);
    };
    map.on('zoomend overlayadd overlayremove', syncMarkers);
    control.addOverlay(settlementLayer, 'Settlements');

    addLegend();
    api.counts = { settlements: settlements.features.length, municipalities: municipalities.features.length };
    if (status.textContent.startsWith('Loading')) setStatus('');
    if (municipalityLayer.getBounds().isValid()) map.fitBounds(municipalityLayer.getBounds(), { padding: [8, 8], animate: false });
    syncMarkers();
    return api.counts;
  }

  api.ready = start().catch((error) => {
    setStatus('Could not load the map data: ' + error.message, true);
    throw error;
  });
})();
