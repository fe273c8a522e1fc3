// Wide tables on a narrow screen (the report's settlement list has ten columns): each table of a
// container marked data-wide-tables is wrapped in a region named after its heading that scrolls
// sideways, so the page itself never does; the region takes the keyboard focus only while it scrolls.
import { el } from './dom.js';
import { pageTranslator } from './i18n.js';

const HEADING = /^H[1-6]$/;

/** The nearest heading before the table (its own section's, else the page's). */
function headingOf(table) {
  for (let node = table; node; node = node.parentElement) {
    for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
      if (HEADING.test(before.tagName)) return before.textContent;
    }
  }
  return document.title;
}

function syncFocusable(region) {
  if (region.scrollWidth > region.clientWidth) region.setAttribute('tabindex', '0');
  else region.removeAttribute('tabindex');
}

function wrapTables(container, t) {
  for (const table of container.querySelectorAll('table')) {
    if (table.parentElement.classList.contains('table-scroll')) continue;
    const region = el('div', { className: 'table-scroll', role: 'region', 'aria-label': t('table.scroll', { name: headingOf(table) }) });
    table.replaceWith(region);
    region.appendChild(table);
  }
  for (const region of container.querySelectorAll('.table-scroll')) syncFocusable(region);
}

export function watchTables(container) {
  const { t } = pageTranslator();
  const wrap = () => wrapTables(container, t);
  new MutationObserver(wrap).observe(container, { childList: true, subtree: true });
  window.addEventListener('resize', wrap);
  wrap();
}

for (const container of document.querySelectorAll('[data-wide-tables]')) watchTables(container);
