// Account administration for the administration page: the accounts table (search by name or
// municipality), the account form, password resets and tokens of one account, the administrator's
// own two-step sign-in and tokens, and the account history. The server decides and audits every
// change; its field problems carry rule codes that are shown, translated, next to their fields.
// Text from the server is only ever set with textContent.
import { $, el } from './dom.js';
import { getJson, problemText, send } from './api.js';

let i18n = null;
let me = null;
let accounts = [];
const municipalities = new Map(); // code → { latn, cyrl }
let historyBefore = null;
let policy = null; // the password policy's numbers, from the server

const t = (key, params) => i18n.t(key, params);
const enc = encodeURIComponent;

function say(text, kind) {
  $('message').textContent = text;
  $('message').className = kind === 'error' ? 'error' : kind === 'ok' ? 'ok' : '';
}

function when(iso) {
  if (!iso) return t('accounts.never');
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

function municipalityName(code) {
  const m = municipalities.get(code);
  return m ? i18n.name(m.latn, m.cyrl) : code;
}

/** Letters without diacritics, lower-case: "Niš" matches "nis". */
const folded = (text) => String(text || '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A problem's messages by field, in the page's language where the server names the rule. */
function fieldMessages(result) {
  const problem = result.json || {};
  const out = {};
  for (const [field, texts] of Object.entries(problem.errors || {})) {
    const rules = (problem.rules || {})[field] || [];
    out[field] = texts.map((text, i) => {
      const key = 'accounts.rule.' + rules[i];
      const translated = rules[i] ? t(key, { min: problem.password_min_length }) : key;
      return translated === key ? text : translated;
    });
  }
  for (const [field, rules] of Object.entries(problem.rules || {})) {
    if (!out[field]) out[field] = rules.map((rule) => t('accounts.rule.' + rule));
  }
  return out;
}

/** Puts each field's messages next to it; messages of fields the form lacks go to the page's message line. */
function showFieldErrors(form, result) {
  const messages = fieldMessages(result);
  for (const node of form.querySelectorAll('[data-error-for]')) node.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const loose = [];
  let first = null;
  for (const [field, texts] of Object.entries(messages)) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (slot) slot.textContent = texts.join(' ');
    else loose.push(texts.join(' '));
    const control = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (control) { control.setAttribute('aria-invalid', 'true'); first = first || control; }
  }
  say(loose.length ? loose.join(' ') : Object.keys(messages).length ? t('accounts.invalid') : t('accounts.failed', { message: problemText(result) }), 'error');
  if (first) first.focus();
}

function failed(result) {
  if (result.json && (result.json.errors || result.json.rules)) {
    const messages = Object.values(fieldMessages(result)).flat();
    say(messages.join(' '), 'error');
  } else {
    say(t('accounts.failed', { message: problemText(result) }), 'error');
  }
}

/** A labelled control with the slot for its messages below it. */
function field(name, label, control, hint) {
  control.name = control.name || name;
  control.id = control.id || 'account-' + name;
  const error = el('span', { className: 'field-error', id: control.id + '-error', 'data-error-for': name, role: 'alert' });
  control.setAttribute('aria-describedby', error.id);
  const wrapper = el('div', { className: 'field' });
  wrapper.append(el('label', { for: control.id }, label), control);
  if (hint) wrapper.appendChild(el('span', { className: 'hint' }, hint));
  wrapper.appendChild(error);
  return wrapper;
}

function button(text, onClick, attributes) {
  const node = el('button', { type: 'button', ...attributes }, text);
  node.addEventListener('click', onClick);
  return node;
}

/** A password shown once, with a button that copies it. */
function shownOnce(userName, password) {
  const secret = el('code', { className: 'secret', id: 'generated-password' }, password);
  const status = el('span', { className: 'ok', role: 'status' });
  const copy = button(t('accounts.copy'), async () => {
    try {
      await navigator.clipboard.writeText(password);
    } catch {
      // Without the clipboard API (a page not served over HTTPS), the text is selected for Ctrl+C.
      window.getSelection().selectAllChildren(secret);
    }
    status.textContent = t('accounts.copied');
  }, { id: 'copy-password' });
  const box = el('div', { className: 'panel', 'data-generated': userName });
  box.append(el('p', {}, t('accounts.generated', { user: userName })), secret, ' ', copy, ' ', status);
  return box;
}

// ------------------------------------------------------------ the table

async function loadAccounts() {
  accounts = await getJson('api/users');
  renderTable();
}

function matches(account, query) {
  if (!query) return true;
  const texts = [account.user_name, account.display_name, ...account.municipalities,
    ...account.municipalities.flatMap((code) => { const m = municipalities.get(code); return m ? [m.latn, m.cyrl] : []; })];
  return texts.some((text) => folded(text).includes(query));
}

function renderTable() {
  const query = folded($('search').value.trim());
  const shown = accounts.filter((a) => matches(a, query));
  $('account-count').textContent = t('accounts.count', { n: i18n.number(shown.length), total: i18n.number(accounts.length) });
  const columns = [['user', 'accounts.col.user'], ['name', 'accounts.col.name'], ['role', 'accounts.col.role'], ['municipalities', 'accounts.col.municipalities'],
    ['status', 'accounts.col.status'], ['last_sign_in', 'accounts.col.last_sign_in'], ['two_factor', 'accounts.col.two_factor'], ['tokens', 'accounts.col.tokens']];
  const head = el('tr');
  for (const [column, key] of columns) head.appendChild(el('th', { scope: 'col', 'data-column': column }, t(key)));
  head.appendChild(el('th', { scope: 'col' }));
  const rows = shown.map((a) => {
    const tr = el('tr', { 'data-user': a.user_name, className: a.is_active ? null : 'inactive' });
    const cells = {
      user: a.user_name,
      name: a.display_name,
      role: t('account.role.' + a.role),
      municipalities: a.role === 'administrator' ? t('accounts.everywhere') : a.municipalities.map(municipalityName).join(', '),
      last_sign_in: when(a.last_sign_in_at),
      tokens: i18n.number(a.tokens),
    };
    for (const [column] of columns) {
      const td = el('td', { 'data-column': column, 'data-label': t(columns.find((c) => c[0] === column)[1]) }, cells[column]);
      if (column === 'status') td.appendChild(el('span', { className: a.is_active ? 'badge' : 'badge off' }, t(a.is_active ? 'accounts.active' : 'accounts.inactive')));
      if (column === 'two_factor') td.appendChild(el('span', { className: a.two_factor ? 'badge' : 'badge off' }, t(a.two_factor ? 'accounts.on' : 'accounts.off')));
      if (column === 'tokens') td.className = 'num';
      tr.appendChild(td);
    }
    const actions = el('div', { className: 'actions' });
    actions.append(
      button(t('accounts.edit'), () => openEditor(a), { className: 'edit' }),
      button(t('accounts.manage'), () => openDetail(a), { className: 'manage' }),
      a.is_active
        ? button(t('accounts.deactivate'), () => setActive(a, false), { className: 'deactivate', disabled: a.user_name === me.user_name })
        : button(t('accounts.reactivate'), () => setActive(a, true), { className: 'reactivate' }));
    const td = el('td');
    td.appendChild(actions);
    tr.appendChild(td);
    return tr;
  });
  $('account-table').replaceChildren(head, ...rows);
}

async function setActive(account, active) {
  if (!active && !window.confirm(t('accounts.confirm_deactivate', { user: account.user_name }))) return;
  const result = await send(active ? 'POST' : 'DELETE', 'api/users/' + enc(account.user_name) + (active ? '/reactivate' : ''));
  if (!result.ok) { failed(result); return; }
  say(t('accounts.saved'), 'ok');
  await Promise.all([loadAccounts(), loadHistory(true)]);
}

// ------------------------------------------------------------ the account form

function municipalityPicker(chosen) {
  const filter = el('input', { type: 'search', id: 'municipality-filter', maxlength: '100', autocomplete: 'off' });
  const count = el('span', { className: 'hint', id: 'municipality-count' });
  const list = el('div', { className: 'checklist', id: 'municipality-list', role: 'group' });
  const sorted = [...municipalities.entries()].sort((a, b) => municipalityName(a[0]).localeCompare(municipalityName(b[0]), i18n.locale));
  for (const [code, m] of sorted) {
    const box = el('input', { type: 'checkbox', name: 'municipalities', value: code, checked: chosen.includes(code) });
    const label = el('label', { 'data-search': folded([code, m.latn, m.cyrl].join(' ')) });
    label.append(box, ' ' + municipalityName(code));
    list.appendChild(label);
  }
  const recount = () => { count.textContent = t('accounts.chosen', { n: list.querySelectorAll('input:checked').length }); };
  list.addEventListener('change', recount);
  filter.addEventListener('input', () => {
    const query = folded(filter.value.trim());
    for (const label of list.children) label.hidden = Boolean(query) && !label.dataset.search.includes(query);
  });
  recount();
  const fieldset = el('fieldset', { className: 'field', id: 'municipalities-fieldset' });
  fieldset.append(el('legend', {}, t('accounts.field.municipalities')),
    el('label', { for: filter.id, className: 'hint' }, t('accounts.field.municipality_filter')), filter, list, count,
    el('span', { className: 'field-error', 'data-error-for': 'municipalities', role: 'alert' }));
  return fieldset;
}

function openEditor(account) {
  const editor = $('account-editor');
  $('account-detail').hidden = true;
  const form = el('form', { id: 'account-form', novalidate: true });
  form.appendChild(el('h3', {}, account ? t('accounts.form.edit', { user: account.user_name }) : t('accounts.form.new')));
  if (!account) {
    form.appendChild(field('user_name', t('accounts.field.user_name'),
      el('input', { type: 'text', maxlength: '64', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true })));
  }
  const displayName = el('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
  displayName.value = account ? account.display_name : '';
  form.appendChild(field('display_name', t('accounts.field.display_name'), displayName));
  const role = el('select', {});
  for (const value of ['coordinator', 'administrator']) role.appendChild(el('option', { value }, t('account.role.' + value)));
  role.value = account ? account.role : 'coordinator';
  form.appendChild(field('role', t('accounts.field.role'), role));
  const picker = municipalityPicker(account ? account.municipalities : []);
  form.appendChild(picker);
  const syncRole = () => { picker.disabled = role.value === 'administrator'; };
  role.addEventListener('change', syncRole);
  syncRole();
  if (!account) {
    const password = el('input', { type: 'password', maxlength: '256', autocomplete: 'new-password' });
    form.appendChild(field('password', t('accounts.field.password'), password, t('accounts.password_hint', { min: policy.min_length })));
    const generate = el('input', { type: 'checkbox', id: 'account-generate', name: 'generate_password' });
    generate.addEventListener('change', () => { password.disabled = generate.checked; if (generate.checked) password.value = ''; });
    const label = el('label', { for: generate.id });
    label.append(generate, ' ' + t('accounts.field.generate'));
    form.appendChild(el('p', {}, null)).appendChild(label);
  }
  const actions = el('div', { className: 'actions' });
  actions.append(el('button', { type: 'submit', id: 'account-save' }, t('accounts.save')),
    button(t('accounts.cancel'), () => { editor.hidden = true; editor.replaceChildren(); }));
  form.appendChild(actions);
  form.addEventListener('submit', (event) => { event.preventDefault(); saveAccount(form, account); });
  editor.replaceChildren(form);
  editor.hidden = false;
  (form.querySelector('input[name="user_name"]') || displayName).focus();
}

async function saveAccount(form, account) {
  const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : undefined);
  const role = value('role');
  const chosen = role === 'administrator' ? [] : [...form.querySelectorAll('input[name="municipalities"]:checked')].map((box) => box.value);
  let result;
  if (account) {
    result = await send('PATCH', 'api/users/' + enc(account.user_name), { display_name: value('display_name'), role, municipalities: chosen });
  } else {
    const generate = form.elements.generate_password.checked;
    result = await send('POST', 'api/users', {
      user_name: value('user_name'), display_name: value('display_name') || null, role, municipalities: chosen,
      password: generate ? null : form.elements.password.value, generate_password: generate,
    });
  }
  if (!result.ok) { showFieldErrors(form, result); return; }
  const editor = $('account-editor');
  if (result.json.generated_password) {
    editor.replaceChildren(shownOnce(result.json.user_name, result.json.generated_password));
  } else {
    editor.hidden = true;
    editor.replaceChildren();
  }
  say(account ? t('accounts.saved') : t('accounts.created', { user: result.json.user_name }), 'ok');
  await Promise.all([loadAccounts(), loadHistory(true)]);
}

// ------------------------------------------------------------ password and tokens of one account

function tokenTable(tokens, revoke) {
  if (tokens.length === 0) return el('p', { className: 'meta' }, t('accounts.tokens.none'));
  const table = el('table', { className: 'tokens' });
  const head = el('tr');
  for (const key of ['name', 'created', 'expires', 'last_used', 'state']) head.appendChild(el('th', { scope: 'col' }, t('accounts.tokens.' + key)));
  head.appendChild(el('th', { scope: 'col' }));
  table.appendChild(head);
  const now = Date.now();
  for (const token of tokens) {
    const expired = token.expires_at && Date.parse(token.expires_at) <= now;
    const state = token.revoked_at ? t('accounts.tokens.revoked', { date: when(token.revoked_at) }) : t(expired ? 'accounts.tokens.expired' : 'accounts.tokens.valid');
    const tr = el('tr', { 'data-token': String(token.id) });
    for (const text of [token.name, when(token.created_at), token.expires_at ? when(token.expires_at) : '—', when(token.last_used_at), state]) tr.appendChild(el('td', {}, text));
    const td = el('td');
    if (!token.revoked_at && !expired) {
      td.appendChild(button(t('accounts.tokens.revoke'), () => {
        if (window.confirm(t('accounts.tokens.confirm_revoke', { name: token.name }))) revoke(token);
      }, { className: 'revoke' }));
    }
    tr.appendChild(td);
    table.appendChild(tr);
  }
  return table;
}

async function openDetail(account) {
  const detail = $('account-detail');
  $('account-editor').hidden = true;
  const tokens = await getJson('api/users/' + enc(account.user_name) + '/tokens');
  const form = el('form', { id: 'password-form', novalidate: true });
  const password = el('input', { type: 'password', maxlength: '256', autocomplete: 'new-password' });
  form.appendChild(field('password', t('accounts.field.password'), password, t('accounts.password_hint', { min: policy.min_length })));
  const generated = el('div', { id: 'generated' });
  const reset = async (body) => {
    const result = await send('POST', 'api/users/' + enc(account.user_name) + '/password', body);
    if (!result.ok) { showFieldErrors(form, result); return; }
    for (const node of form.querySelectorAll('[data-error-for]')) node.textContent = '';
    password.value = '';
    generated.replaceChildren(...(result.json.password ? [shownOnce(account.user_name, result.json.password)] : []));
    say(t('accounts.reset.done', { user: account.user_name }), 'ok');
    await loadHistory(true);
  };
  const actions = el('div', { className: 'actions' });
  actions.append(el('button', { type: 'submit', id: 'password-set' }, t('accounts.reset.set')),
    button(t('accounts.reset.generate'), () => reset({ generate: true }), { id: 'password-generate' }));
  form.appendChild(actions);
  form.addEventListener('submit', (event) => { event.preventDefault(); reset({ password: password.value }); });
  const revoke = async (token) => {
    const result = await send('DELETE', 'api/users/' + enc(account.user_name) + '/tokens/' + token.id);
    if (!result.ok) { failed(result); return; }
    say(t('accounts.saved'), 'ok');
    await Promise.all([loadAccounts(), loadHistory(true)]);
    await openDetail(accounts.find((a) => a.user_name === account.user_name) || account);
  };
  const parts = [el('h3', {}, t('accounts.detail.title', { user: account.user_name })), el('h4', {}, t('accounts.reset.title')), form, generated,
    el('h4', {}, t('accounts.tokens.title')), tokenTable(tokens, revoke)];
  if (account.two_factor) {
    parts.push(el('p', {}, null));
    parts[parts.length - 1].appendChild(button(t('accounts.two_factor.disable_for'), async () => {
      if (!window.confirm(t('accounts.two_factor.confirm_disable', { user: account.user_name }))) return;
      const result = await send('DELETE', 'api/users/' + enc(account.user_name) + '/two-factor');
      if (!result.ok) { failed(result); return; }
      say(t('accounts.saved'), 'ok');
      await Promise.all([loadAccounts(), loadHistory(true)]);
    }, { id: 'two-factor-disable-for' }));
  }
  parts.push(el('div', { className: 'actions' }));
  parts[parts.length - 1].appendChild(button(t('accounts.close'), () => { detail.hidden = true; detail.replaceChildren(); }));
  detail.replaceChildren(...parts);
  detail.hidden = false;
}

// ------------------------------------------------------------ your own account

function codeForm(id, submitText, onCode) {
  const form = el('form', { id, novalidate: true });
  const code = el('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '7', pattern: '[0-9 ]*' });
  form.appendChild(field('code', t('accounts.own.code'), code));
  form.appendChild(el('button', { type: 'submit' }, submitText));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await onCode(code.value.trim());
    if (result && !result.ok) showFieldErrors(form, result);
  });
  return form;
}

function renderTwoFactor() {
  const box = $('two-factor');
  if (me.two_factor) {
    box.replaceChildren(el('p', {}, t('accounts.own.on')), codeForm('two-factor-off', t('accounts.own.disable'), async (code) => {
      const result = await send('POST', 'api/auth/two-factor/disable', { code });
      if (result.ok) { me.two_factor = false; renderTwoFactor(); say(t('accounts.own.disabled'), 'ok'); await Promise.all([loadAccounts(), loadHistory(true)]); }
      return result;
    }));
    return;
  }
  box.replaceChildren(el('p', {}, t('accounts.own.off')), button(t('accounts.own.start'), startEnrolment, { id: 'two-factor-start' }));
}

async function startEnrolment() {
  const result = await send('POST', 'api/auth/two-factor');
  if (!result.ok) { failed(result); return; }
  const { secret, otpauth_uri: uri } = result.json;
  const key = el('p', {});
  key.append(t('accounts.own.key') + ': ', el('code', { className: 'secret', id: 'two-factor-secret' }, secret));
  // No QR code: drawing one needs a library this project does not ship; the key and the link do the same.
  const link = el('p');
  link.appendChild(el('a', { href: uri, id: 'two-factor-link' }, t('accounts.own.link')));
  $('two-factor').replaceChildren(el('p', {}, t('accounts.own.secret')), key, link, codeForm('two-factor-confirm', t('accounts.own.confirm'), async (code) => {
    const confirmed = await send('POST', 'api/auth/two-factor/confirm', { code });
    if (confirmed.ok) { me.two_factor = true; renderTwoFactor(); say(t('accounts.own.enabled'), 'ok'); await Promise.all([loadAccounts(), loadHistory(true)]); }
    return confirmed;
  }));
}

async function loadOwnTokens() {
  const tokens = await getJson('api/auth/tokens');
  $('own-tokens').replaceChildren(tokenTable(tokens, async (token) => {
    const result = await send('DELETE', 'api/auth/tokens/' + token.id);
    if (!result.ok) { failed(result); return; }
    say(t('accounts.saved'), 'ok');
    await Promise.all([loadOwnTokens(), loadAccounts(), loadHistory(true)]);
  }));
}

// ------------------------------------------------------------ history

function changeValue(field, value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return t(value ? 'accounts.yes' : 'accounts.no');
  if (Array.isArray(value)) return value.length ? value.map(municipalityName).join(', ') : '—';
  if (field === 'role') return t('account.role.' + value);
  if (field === 'expires_at') return when(value);
  if (field === 'password') return t('accounts.password.' + value);
  return String(value);
}

async function loadHistory(fromTop) {
  if (fromTop) historyBefore = null;
  const page = await getJson('api/account-changes?limit=25' + (historyBefore ? '&before=' + historyBefore : ''));
  const rows = page.items.map((c) => {
    const what = el('ul', { className: 'changes' });
    for (const [name, change] of Object.entries(c.changes)) {
      what.appendChild(el('li', { 'data-field': name }, t('accounts.change.' + name) + ': ' + changeValue(name, change.old) + ' → ' + changeValue(name, change.new)));
    }
    const tr = el('tr', { 'data-change': String(c.id), 'data-action': c.action });
    tr.append(el('td', {}, when(c.changed_at)), el('td', {}, c.changed_by), el('td', {}, c.user_name));
    const td = el('td');
    td.append(el('span', { className: 'action' }, t('accounts.action.' + c.action)), what);
    tr.appendChild(td);
    return tr;
  });
  const table = $('history');
  if (fromTop) {
    const head = el('tr');
    for (const key of ['when', 'who', 'account', 'what']) head.appendChild(el('th', { scope: 'col' }, t('accounts.history.' + key)));
    table.replaceChildren(head);
    if (rows.length === 0) table.appendChild(el('tr')).appendChild(el('td', { colspan: '4' }, t('accounts.history.none')));
  }
  table.append(...rows);
  historyBefore = page.next_before;
  $('history-older').hidden = !historyBefore;
}

// ------------------------------------------------------------ start

/** Starts the accounts sections for a signed-in administrator. */
export async function startAccounts(translator, user) {
  i18n = translator;
  me = user;
  const texts = {
    'accounts-title': 'accounts.list', 'search-label': 'accounts.search', 'new-account': 'accounts.new', 'own-title': 'accounts.own.title',
    'own-tokens-title': 'accounts.tokens.own', 'history-title': 'accounts.history.title', 'history-older': 'accounts.history.older',
  };
  for (const [id, key] of Object.entries(texts)) $(id).textContent = t(key);
  const [layer, rules] = await Promise.all([getJson('api/layers/municipalities?zoom=0'), getJson('api/users/password-policy')]);
  policy = rules;
  for (const f of layer.features) municipalities.set(f.properties.code, { latn: f.properties.name_latn, cyrl: f.properties.name_cyrl });
  $('search').addEventListener('input', renderTable);
  $('new-account').addEventListener('click', () => openEditor(null));
  $('history-older').addEventListener('click', () => loadHistory(false));
  await Promise.all([loadAccounts(), loadOwnTokens(), loadHistory(true)]);
  renderTwoFactor();
  for (const id of ['accounts', 'own-account', 'account-history']) $(id).hidden = false;
}
