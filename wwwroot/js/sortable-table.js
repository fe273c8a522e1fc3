// The head of the page's sortable tables (the coverage gap table, the stale settlements): a button per column that
// sorts by it, aria-sort on the sorted one, and the focus kept on the chosen button across the table's redraw.
import { el } from './dom.js';

/**
 * A thead for `columns` ({ key, className }) sorted by `sort` ({ column, descending }), each headed by label(column);
 * choosing a column calls choose(column), which redraws the table, then focuses that column's button in #tableId.
 */
export function sortableHead(tableId, columns, sort, label, choose) {
  const head = el('tr');
  for (const column of columns) {
    const th = el('th', { scope: 'col', 'data-column': column.key, className: column.className || null });
    if (sort.column === column.key) th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
    const button = el('button', { type: 'button', className: 'sort' }, label(column));
    button.appendChild(el('span', { className: 'sort-mark', 'aria-hidden': 'true' }, sort.column === column.key ? (sort.descending ? '▾' : '▴') : ''));
    button.addEventListener('click', () => {
      choose(column);
      document.querySelector(`#${tableId} th[data-column="${column.key}"] button`).focus();
    });
    th.appendChild(button);
    head.appendChild(th);
  }
  const thead = el('thead');
  thead.appendChild(head);
  return thead;
}
