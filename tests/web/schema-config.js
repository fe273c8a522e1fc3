// A /api/config in the shape the server derives from its attribute schema (a few attributes of each
// type, read-only ones among them), for the tests of the page's schema-driven labels and forms.
const L = (latn, cyrl, en) => ({ 'sr-Latn': latn, 'sr-Cyrl': cyrl, en });

const attribute = (name, type, group, extra) => ({
  name, type, group, unit: null, format: 'grouped', min: null, max: null, list: null, editable: true, required: false,
  outputs: ['layer', 'tile', 'export', 'details', 'queryables'], ...extra,
});

export const config = {
  attributes: [
    attribute('id', 'whole_number', 'identity', { editable: false, outputs: ['layer', 'tile', 'export'], label: L('Id', 'Ид', 'Id'), description: L('Broj', 'Број', 'Number') }),
    attribute('name_latn', 'text', 'identity', { required: true, label: L('Naziv (latinica)', 'Назив (латиница)', 'Name (Latin)'), description: L('Naziv naselja latinicom', 'Назив насеља латиницом', 'The settlement\'s name in Latin letters') }),
    attribute('code', 'text', 'identity', { editable: false, label: L('Šifra', 'Шифра', 'Code'), description: L('Stalna šifra', 'Стална шифра', 'The stable code') }),
    attribute('decade_founded', 'whole_number', 'identity', { min: 1800, max: 2030, format: 'decade', label: L('Nastanak (decenija)', 'Настанак (деценија)', 'Founded (decade)'), description: L('d', 'д', 'd') }),
    attribute('area_m2', 'number', 'identity', { editable: false, unit: 'm²', label: L('Površina', 'Површина', 'Area'), description: L('p', 'п', 'a') }),
    attribute('estimated_inhabitants', 'whole_number', 'population', { min: 0, max: 100000, label: L('Procenjen broj stanovnika', 'Процењен број становника', 'Estimated inhabitants'), description: L('p', 'п', 'e') }),
    attribute('population_year', 'whole_number', 'population', { min: 1950, max: 2100, format: 'year', label: L('Godina procene', 'Година процене', 'Year of estimate'), description: L('g', 'г', 'y') }),
    attribute('substandard_share_pct', 'number', 'housing', { min: 0, max: 100, unit: '%', label: L('Podstandardni objekti', 'Подстандардни објекти', 'Substandard dwellings'), description: L('u', 'у', 's') }),
    attribute('water_supply', 'enum', 'infrastructure', { list: 'water_supply', required: true, label: L('Snabdevanje vodom', 'Снабдевање водом', 'Water supply'), description: L('v', 'в', 'w') }),
    attribute('distance_to_seat_m', 'whole_number', 'access', { min: 0, max: 100000, unit: 'm', label: L('Sedište opštine', 'Седиште општине', 'Municipality seat'), description: L('s', 'с', 'm') }),
    attribute('flood_zone', 'enum', 'risks', { list: 'yes_no', label: L('Plavno područje', 'Плавно подручје', 'Flood zone'), description: L('p', 'п', 'f') }),
    attribute('data_collected_on', 'date', 'provenance', { label: L('Datum prikupljanja', 'Датум прикупљања', 'Data collected on'), description: L('d', 'д', 'd') }),
    attribute('updated_at', 'date_time', 'provenance', { editable: false, label: L('Poslednja izmena', 'Последња измена', 'Last updated'), description: L('i', 'и', 'u') }),
    attribute('version', 'whole_number', 'provenance', { editable: false, outputs: ['layer', 'export'], label: L('Verzija', 'Верзија', 'Version'), description: L('v', 'в', 'v') }),
  ],
  lists: {
    water_supply: [
      { value: 'unknown', label: L('nepoznato', 'непознато', 'unknown') },
      { value: 'network', label: L('vodovod', 'водовод', 'water network') },
      { value: 'wells', label: L('bunari', 'бунари', 'wells') },
      { value: 'none', label: L('bez vode', 'без воде', 'no water supply') },
    ],
    yes_no: [
      { value: 'unknown', label: L('nepoznato', 'непознато', 'unknown') },
      { value: 'yes', label: L('da', 'да', 'yes') },
      { value: 'no', label: L('ne', 'не', 'no') },
    ],
  },
  groups: [
    { name: 'identity', label: L('Osnovni podaci', 'Основни подаци', 'Identity') },
    { name: 'population', label: L('Stanovništvo', 'Становништво', 'Population') },
    { name: 'housing', label: L('Stanovanje', 'Становање', 'Housing') },
    { name: 'legal', label: L('Pravni status', 'Правни статус', 'Legal status') },
    { name: 'infrastructure', label: L('Infrastruktura', 'Инфраструктура', 'Infrastructure') },
    { name: 'access', label: L('Dostupnost usluga', 'Доступност услуга', 'Service access') },
    { name: 'risks', label: L('Rizici', 'Ризици', 'Risks') },
    { name: 'provenance', label: L('Poreklo podataka', 'Порекло података', 'Data provenance') },
  ],
};
