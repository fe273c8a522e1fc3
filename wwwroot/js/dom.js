// The one DOM helper of the pages: text goes in with textContent only, never parsed as HTML.

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
