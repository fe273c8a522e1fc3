// Import page: upload a file, read the dry run's report, adjust the column mapping, then apply.
// The file goes up as the request body (streamed to disk by the server) with upload progress.
// Text from the file and the server is only ever set with textContent.
import { pageTranslator } from './i18n.js';
import { $, el } from './dom.js';
import { currentUser, getJson, problemText, send, sendFile } from './api.js';
import { exposeTestHook } from './test-hook.js';
import { editableAttributes, labeller } from './schema.js';
import { repairReason } from './data-text.js';
import { wordRefusal } from './field-problems.js';

const i18n = pageTranslator();
const { t } = i18n;
let config = null;
let current = null; // the latest report
const CRS = ['EPSG:4326', 'EPSG:3857', 'EPSG:32634', 'EPSG:3909', 'EPSG:8682'];
const ENCODINGS = ['utf-8', 'windows-1250', 'windows-1251'];
const MEASURE_COLUMNS = ['municipality', 'plan', 'priority_area', 'title_latn', 'title_cyrl', 'title_en', 'settlement_codes', 'target_attribute', 'target_value',
  'responsible_body', 'funding_source', 'programme_code', 'donor_name', 'status', 'started_on', 'done_on', 'dropped_on', 'currency', 'budget_amount', 'spent_amount', 'indicators'];

function say(text, error) {
  $('message').textContent = text;
  $('message').className = error ? 'error' : '';
}

function options() {
  const params = new URLSearchParams();
  for (const id of ['crs', 'encoding', 'mapping', 'layer', 'sheet']) if ($(id).value.trim()) params.set(id, $(id).value.trim());
  params.set('repair', $('repair').checked ? 'true' : 'false');
  if ($('describes').value) params.set('describes', $('describes').value);
  if ($('kind').value === 'measures') params.set('kind', 'measures');
  return params;
}

/** Runs a long request with an elapsed-seconds line, so a big file never looks frozen. */
async function withTimer(key, run) {
  const started = Date.now();
  const tick = () => say(t(key, { seconds: Math.round((Date.now() - started) / 1000) }));
  tick();
  const timer = setInterval(tick, 1000);
  try { return await run(); } finally { clearInterval(timer); }
}

function failed(result) {
  // A refused date is worded in the page's language beside its field; other problems keep the server's words.
  const refusal = result.json && result.json.error_codes && result.json.error_codes.describes;
  const worded = refusal && wordRefusal('describes', refusal[0], config, i18n);
  if (worded) {
    $('describes-error').textContent = worded;
    $('describes').setAttribute('aria-invalid', 'true');
    say(t('import.failed', { message: worded }), true);
    $('describes').focus();
    return;
  }
  say(t('import.failed', { message: problemText(result) }), true);
}

function clearDateError() {
  $('describes-error').textContent = '';
  $('describes').removeAttribute('aria-invalid');
}

async function upload(event) {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) { $('file').focus(); return; }
  const params = options();
  params.set('file_name', file.name);
  $('check').disabled = true;
  $('progress').hidden = false;
  $('report').hidden = true;
  let checking = null;
  const result = await sendFile('POST', 'api/imports?' + params.toString(), file, (pct) => {
    $('progress').value = pct;
    if (pct < 100) say(t('import.uploading', { pct }));
    else if (!checking) checking = withTimer('import.checking', () => new Promise((resolve) => { upload.done = resolve; }));
  });
  if (upload.done) { upload.done(); upload.done = null; }
  $('check').disabled = false;
  $('progress').hidden = true;
  if (result.status !== 201) { failed(result); return; }
  say('');
  clearDateError();
  show(result.json);
}

function editedColumns() {
  const columns = {};
  for (const select of $('columns').querySelectorAll('select[data-column]')) if (select.value) columns[select.dataset.column] = select.value;
  return columns;
}

async function recheck() {
  const params = options();
  const mappingName = $('mapping-name').value.trim();
  // A changed mapping travels by name: it is saved first, so the dry run and the apply read the same one.
  if (!mappingName && JSON.stringify(editedColumns()) !== JSON.stringify(current.mapping)) {
    say(t('import.name_mapping'), true);
    $('mapping-name').focus();
    return;
  }
  if (mappingName) {
    if (!(await saveMapping())) return;
    params.set('mapping', mappingName);
    $('mapping').value = mappingName;
  }
  const result = await withTimer('import.checking', () => send('POST', 'api/imports/' + current.id + '/dry-run?' + params.toString()));
  if (result.status !== 200) { failed(result); return; }
  say('');
  clearDateError();
  show(result.json);
}

async function saveMapping() {
  const name = $('mapping-name').value.trim();
  if (!name) { $('mapping-name').focus(); return false; }
  const columns = editedColumns();
  const result = await send('PUT', 'api/import-mappings/' + encodeURIComponent(name), { columns });
  if (result.status !== 204) { failed(result); return false; }
  await loadMappings(name.toLowerCase());
  say(t('import.mapping_saved', { name }));
  return true;
}

async function apply(skipBadRows) {
  const result = await withTimer('import.applying', () => send('POST', 'api/imports/' + current.id + '/apply?skip_bad_rows=' + skipBadRows));
  if (result.status !== 200) { failed(result); return; }
  say(outcomeText(result.json), !result.json.applied);
  show(result.json);
}

function targets() {
  const label = labeller(config, i18n.lang);
  return [['', t('import.target.none')], ['code', t('import.target.code')], ['municipality', t('import.target.municipality')], ['name', t('import.target.name')]]
    .concat(editableAttributes(config).map((a) => [a.name, label.field(a.name) + ' (' + a.name + ')']));
}

function table(id, head, rows) {
  const headRow = el('tr');
  for (const h of head) headRow.appendChild(el('th', { scope: 'col' }, h));
  $(id).replaceChildren(...(head.length ? [headRow] : []), ...rows.map((cells) => {
    const tr = el('tr');
    for (const c of cells) {
      const td = el('td', {}, c instanceof Node ? null : c);
      if (c instanceof Node) td.appendChild(c);
      tr.appendChild(td);
    }
    return tr;
  }));
}

/** The report's outcome in the page's language, from its counts (the server's outcome is English). */
function outcomeText(report) {
  const n = (v) => i18n.number(v);
  const counts = { read: n(report.rows_read), bad: n(report.rows_with_problems), created: n(report.created), updated: n(report.updated), unchanged: n(report.unchanged) };
  const bad = report.rows_with_problems > 0;
  const history = report.history > 0 ? ' ' + t('surveys.outcome_history', { n: n(report.history) }) : '';
  if (!report.applied) return t(report.dry_run ? (bad ? 'import.outcome.dry_bad' : 'import.outcome.dry_good') : 'import.outcome.refused', counts) + (report.dry_run ? history : '');
  return t(bad ? 'import.outcome.applied_skipped' : 'import.outcome.applied', counts) + history;
}

// The server's notes that the page words itself; any other note is shown as the server wrote it.
const NOTES = {
  'Row numbers count the data rows: row 1 is the first row under the header.': 'import.note.rows_from_header',
  'Row numbers count the features of the file from 1.': 'import.note.rows_from_one',
  'A row updates the measure of the same plan with the same title; otherwise it creates one.': 'import.note.measure_match',
};

function show(report) {
  current = report;
  const applied = report.applied;
  $('report').hidden = false;
  $('outcome').textContent = outcomeText(report);
  const number = (n) => i18n.number(n);
  table('summary', [], [
    [t('import.rows_read'), number(report.rows_read)],
    [t('import.rows_bad'), number(report.rows_with_problems)],
    [t(applied ? 'import.created' : 'import.would_create'), number(report.created)],
    [t(applied ? 'import.updated' : 'import.would_update'), number(report.updated)],
    [t('import.unchanged'), number(report.unchanged)],
  ].concat(report.crs ? [
    // Outlines and a CRS belong to settlements; a measures file has neither.
    [t('import.repaired'), number(report.repairs.length)],
    [t('import.crs_used'), report.crs + ' (' + t('import.crs_source.' + report.crs_source) + ')' + (report.encoding ? ' · ' + report.encoding : '')],
  ] : []).concat(report.describes ? [
    [t('surveys.describes_row'), new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(report.describes + 'T00:00:00Z'))],
    [t('surveys.history_rows'), number(report.history)],
  ] : []));
  // A dated import: per row, today's state or history.
  const placements = report.placements || [];
  // A measures import: per good row, the measure it creates or updates.
  const actions = report.actions || [];
  const measures = actions.length > 0;
  $('placements-box').hidden = placements.length === 0 && !measures;
  $('placements-title').textContent = t(measures ? 'import.actions' : 'surveys.placements');
  table('placements', [t('import.row'), measures ? t('import.measure') : labeller(config, i18n.lang).field('code'), t('surveys.becomes')],
    measures ? actions.map((a) => [a.row, a.code, t('import.becomes.' + a.becomes)]) : placements.map((p) => [p.row, p.code, t('surveys.becomes.' + p.becomes)]));
  $('notes').replaceChildren(...report.notes.map((n) => el('li', {}, NOTES[n] ? t(NOTES[n]) : n)));
  const choices = targets();
  // A measures file's columns are named, not mapped: shown as read, with nothing to choose or save.
  const named = $('kind').value === 'measures';
  $('save-mapping').parentElement.hidden = named;
  const rows = named ? Object.keys(report.mapping).concat(report.unmapped_columns).map((column) => [column, report.mapping[column] || '—']) : Object.keys(report.mapping).concat(report.unmapped_columns).map((column) => {
    const select = el('select', { 'data-column': column, 'aria-label': column });
    for (const [value, label] of choices) select.appendChild(el('option', { value }, label));
    select.value = report.mapping[column] || '';
    return [column, select];
  });
  table('columns', [t('import.column'), t(named ? 'import.field' : 'import.target')], rows);
  // A field as the user reads it: its schema label in the page's language, with the name the file uses.
  const label = labeller(config, i18n.lang);
  const fieldText = (field) => {
    if (field === 'geometry') return t('import.field.geometry');
    if (field === 'municipality') return label.field('municipality_code');
    return field && label.attribute(field) ? label.field(field) + ' (' + field + ')' : field;
  };
  table('problems', [t('import.row'), t('import.field'), t('import.value'), t('import.reason')],
    // A problem with a code the page knows is worded in its language; any other keeps the server's English reason.
    report.problems.map((p) => [p.row, fieldText(p.field), p.value, (p.error_code && wordRefusal(p.field, p.error_code, config, i18n)) || p.reason]));
  $('problems-note').textContent = report.problems_total === 0 ? t('import.problems.none')
    : report.problems_total > report.problems.length ? t('import.problems.more', { n: number(report.problems.length), total: number(report.problems_total) }) : '';
  $('problems').hidden = report.problems_total === 0;
  $('repairs-box').hidden = report.repairs.length === 0;
  table('repairs', [t('import.row'), labeller(config, i18n.lang).field('code'), t('import.reason')], report.repairs.map((r) => [r.row, r.code, repairReason(r.reason, i18n)]));
  $('html-report').href = 'api/imports/' + report.id + '/report.html';
  const good = report.rows_read - report.rows_with_problems;
  $('apply').hidden = applied || report.rows_with_problems > 0;
  $('apply-skip').hidden = applied || report.rows_with_problems === 0 || good === 0;
  $('apply-skip').textContent = t('import.apply_skip', { n: number(report.rows_with_problems) });
  $('save-mapping').disabled = applied;
  $('recheck').disabled = applied;
  $('to-map').hidden = !applied;
}

/** The account's municipalities by name in the page's script (the account lists codes), in name order. */
async function municipalityNames(codes) {
  if (codes.length === 0) return '';
  const layer = await getJson('api/layers/municipalities?zoom=0');
  const names = new Map(layer.features.map((f) => [f.properties.code, i18n.name(f.properties.name_latn, f.properties.name_cyrl)]));
  return codes.map((code) => names.get(code) ?? code).sort(new Intl.Collator(i18n.locale).compare).join(', ');
}

async function loadMappings(selected) {
  const result = await send('GET', 'api/import-mappings');
  const saved = result.ok ? result.json : [];
  const select = $('mapping');
  select.replaceChildren(el('option', { value: '' }, t('import.mapping.auto')), ...saved.map((m) => el('option', { value: m.name }, m.name)));
  if (selected) select.value = selected;
}

async function start() {
  document.documentElement.lang = i18n.lang;
  const texts = {
    back: 'report.back', title: 'import.title', 'file-label': 'import.file', 'crs-label': 'import.crs', 'encoding-label': 'import.encoding',
    'mapping-label': 'import.mapping', 'layer-label': 'import.layer', 'sheet-label': 'import.sheet', 'repair-label': 'import.repair', check: 'import.check',
    'describes-label': 'surveys.describes', 'describes-hint': 'surveys.describes_hint', 'placements-title': 'surveys.placements',
    'summary-title': 'import.summary', 'columns-title': 'import.columns', 'save-mapping-label': 'import.save_mapping', 'save-mapping': 'import.save_mapping.button',
    recheck: 'import.recheck', 'problems-title': 'import.problems', 'repairs-title': 'import.repairs', 'html-report': 'import.html_report', apply: 'import.apply', 'to-map': 'import.to_map',
  };
  for (const [id, key] of Object.entries(texts)) $(id).textContent = t(key);
  document.title = t('import.title') + ' — SettlementMap';
  $('crs').replaceChildren(el('option', { value: '' }, t('import.crs.file')), ...CRS.map((c) => el('option', { value: c }, c)));
  $('kind').replaceChildren(...['settlements', 'measures'].map((k) => el('option', { value: k }, t('import.kind.' + k, { formats: '.csv, .xlsx' }))));
  $('kind-label').textContent = t('import.kind');
  // The column names are the file's, the same in every language (MeasureImport.Columns).
  $('kind-hint').textContent = t('import.kind.measures_hint', {
    columns: MEASURE_COLUMNS.join(', '), indicators: '"name: target/achieved unit; …"', sample: 'data/samples/measures_nis.csv',
  });
  $('kind').addEventListener('change', () => { $('kind-hint').hidden = $('kind').value !== 'measures'; });
  $('describes').max = new Date().toISOString().slice(0, 10);
  $('describes').addEventListener('input', clearDateError);
  $('encoding').replaceChildren(el('option', { value: '' }, t('import.encoding.auto')), ...ENCODINGS.map((e) => el('option', { value: e }, e)));
  const user = await currentUser();
  if (!user.signed_in) { say(t('import.only'), true); return; }
  config = await getJson('api/config');
  $('scope').textContent = user.role === 'administrator' ? t('import.scope.all', { user: user.user_name })
    : t('import.scope.some', { user: user.user_name, municipalities: await municipalityNames(user.municipalities || []) });
  await loadMappings();
  $('upload').hidden = false;
  $('upload').addEventListener('submit', upload);
  $('recheck').addEventListener('click', recheck);
  $('save-mapping').addEventListener('click', saveMapping);
  $('apply').addEventListener('click', () => apply(false));
  $('apply-skip').addEventListener('click', () => apply(true));
}

exposeTestHook({ ready: start() });
