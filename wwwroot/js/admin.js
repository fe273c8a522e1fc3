// The administration page: only for administrators. It reads who is signed in, then starts each
// section: accounts (admin-accounts.js) and who sees what (admin-sensitivity.js).
import { pageTranslator } from './i18n.js';
import { $ } from './dom.js';
import { currentUser } from './api.js';
import { exposeTestHook } from './test-hook.js';
import { startAccounts } from './admin-accounts.js';
import { mountSensitivity } from './admin-sensitivity.js';

const i18n = pageTranslator();
const { t } = i18n;

async function start() {
  document.documentElement.lang = i18n.lang;
  document.title = t('accounts.title') + ' — SettlementMap';
  $('back').textContent = t('report.back');
  $('title').textContent = t('accounts.title');
  const user = await currentUser();
  if (!user.signed_in || user.role !== 'administrator') {
    $('message').textContent = t('accounts.only');
    $('message').className = 'error';
    return;
  }
  $('scope').textContent = user.user_name + ' · ' + t('account.role.administrator');
  // The national table of measures by area and status (the report page's Serbia choice).
  $('national-measures').textContent = t('measures.report.national_link');
  $('national-measures-line').hidden = false;
  await Promise.all([startAccounts(i18n, user), mountSensitivity($('sensitivity-admin'), i18n)]);
}

exposeTestHook({ ready: start() });
