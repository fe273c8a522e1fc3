// Text into the page: data reaches the DOM only as text, Leaflet gets Nodes, never strings.
//
// The rule this test enforces on every script under wwwroot (parsed with acorn, so comments and
// strings do not confuse it):
// 1. No HTML sinks at all: innerHTML, outerHTML, insertAdjacentHTML, document.write/writeln,
//    createContextualFragment, DOMParser's parseFromString, srcdoc, setHTMLUnsafe; nor eval, Function,
//    or a string given to setTimeout/setInterval (the Content-Security-Policy refuses those anyway).
// 2. Leaflet's content calls (bindTooltip, bindPopup, setContent, setTooltipContent,
//    setPopupContent; openTooltip/openPopup given content) take a call of a node builder, i.e. a
//    function exported by wwwroot/js/dom.js, or a function whose every result is such a call.
//    A string, a template, a variable or any other call is refused: whether it is a Node cannot be
//    read from the code, and Leaflet parses a string as HTML.
// 3. Leaflet options and calls that take HTML strings are not used: html (divIcon), attribution,
//    zoomInText/zoomOutText, addAttribution, setPrefix (other than false), and the layers control's
//    names (addBaseLayer, addOverlay, L.control.layers).
// 4. No style or on* attribute is set from a script (setAttribute, or an el() attribute): the policy
//    refuses both; styles are set through element.style, handlers with addEventListener.
// 5. The HTML pages carry no inline script, style element, style or on* attribute, nor a javascript:
//    URL: the Content-Security-Policy allows none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { filesUnder, parse, root, walk } from './scripts.js';

/** The names of the functions dom.js exports: the only calls that count as yielding a Node. */
export function nodeBuilders(domSource) {
  const names = new Set();
  for (const node of parse(domSource).body) {
    if (node.type === 'ExportNamedDeclaration' && node.declaration?.type === 'FunctionDeclaration') names.add(node.declaration.id.name);
  }
  return names;
}

const HTML_SINKS = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'createContextualFragment', 'parseFromString', 'srcdoc', 'setHTMLUnsafe', 'parseHTMLUnsafe']);
const CONTENT_CALLS = new Set(['bindTooltip', 'bindPopup', 'setContent', 'setTooltipContent', 'setPopupContent']);
const CONTENT_WITH_POSITION = new Set(['openTooltip', 'openPopup']); // map.openTooltip(content, latlng)
const HTML_OPTIONS = new Set(['html', 'attribution', 'zoomInText', 'zoomOutText']);
const HTML_TAKING_CALLS = new Set(['addAttribution', 'addBaseLayer', 'addOverlay']);

const propertyName = (member) => (member.computed ? (member.property.type === 'Literal' ? String(member.property.value) : null) : member.property.name);
const keyName = (property) => (property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : null);

/** Whether an expression is a call of a node builder, or a function all of whose results are. */
function yieldsNode(node, builders) {
  if (node.type === 'CallExpression') return node.callee.type === 'Identifier' && builders.has(node.callee.name);
  if (node.type === 'ArrowFunctionExpression' && node.expression) return yieldsNode(node.body, builders);
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') {
    const results = [...walk(node.body)].filter((n) => n.type === 'ReturnStatement');
    return results.length > 0 && results.every((r) => r.argument && yieldsNode(r.argument, builders));
  }
  return false;
}

/** Every breach of rules 1–4 in one script: "line: what". */
export function htmlBreaches(source, builders) {
  const found = [];
  const at = (node, what) => found.push(`${node.loc.start.line}: ${what}`);
  for (const node of walk(parse(source))) {
    if (node.type === 'MemberExpression') {
      const name = propertyName(node);
      if (HTML_SINKS.has(name)) at(node, name);
      if ((name === 'write' || name === 'writeln') && node.object.type === 'Identifier' && node.object.name === 'document') at(node, 'document.' + name);
    }
    if (node.type === 'Property' && HTML_OPTIONS.has(keyName(node))) at(node, `the ${keyName(node)} option (Leaflet reads it as HTML)`);
    if (node.type === 'Property' && HTML_SINKS.has(keyName(node))) at(node, keyName(node));
    if (node.type === 'Identifier' && (node.name === 'eval')) at(node, 'eval');
    if ((node.type === 'NewExpression' || node.type === 'CallExpression') && node.callee.type === 'Identifier' && node.callee.name === 'Function') at(node, 'Function');
    if (node.type !== 'CallExpression') continue;
    const callee = node.callee;
    const method = callee.type === 'MemberExpression' ? propertyName(callee) : callee.type === 'Identifier' ? callee.name : null;
    const first = node.arguments[0];
    if (CONTENT_CALLS.has(method) && !(first && yieldsNode(first, builders))) at(node, `${method} without a node builder's Node`);
    if (CONTENT_WITH_POSITION.has(method) && node.arguments.length > 1 && !yieldsNode(first, builders)) at(node, `${method} without a node builder's Node`);
    if (HTML_TAKING_CALLS.has(method) && callee.type === 'MemberExpression') at(node, `${method} (Leaflet reads its text as HTML)`);
    const inlineAttribute = (name) => typeof name === 'string' && (name.toLowerCase() === 'style' || name.toLowerCase().startsWith('on'));
    if (method === 'setAttribute' && first?.type === 'Literal' && inlineAttribute(first.value)) at(node, `setAttribute('${first.value}')`);
    if (callee.type === 'Identifier' && builders.has(callee.name) && node.arguments[1]?.type === 'ObjectExpression') {
      for (const property of node.arguments[1].properties) if (property.type === 'Property' && inlineAttribute(keyName(property))) at(property, `the ${keyName(property)} attribute`);
    }
    if (method === 'setPrefix' && !(first?.type === 'Literal' && first.value === false)) at(node, 'setPrefix with text (Leaflet reads it as HTML)');
    if (method === 'layers' && callee.object?.type === 'MemberExpression' && propertyName(callee.object) === 'control') at(node, 'L.control.layers (its names are HTML)');
    if ((method === 'setTimeout' || method === 'setInterval') && first && first.type !== 'ArrowFunctionExpression' && first.type !== 'FunctionExpression' && first.type !== 'Identifier' && first.type !== 'MemberExpression') {
      at(node, `${method} with code as text`);
    }
  }
  return found;
}

/** Every breach of rule 5 in one HTML page. */
export function inlineBreaches(html) {
  const found = [];
  for (const match of html.matchAll(/<script\b([^>]*)>/gi)) if (!/\bsrc\s*=/i.test(match[1])) found.push('inline <script>');
  if (/<style\b/i.test(html)) found.push('<style> element');
  for (const match of html.matchAll(/<[a-z][^>]*\s(style|on[a-z]+)\s*=/gi)) found.push(`${match[1]}="…" attribute`);
  if (/javascript:/i.test(html)) found.push('javascript: URL');
  return found;
}

const builders = nodeBuilders(readFileSync(join(root, 'js', 'dom.js'), 'utf8'));

test('dom.js exports the node builder el; $ finds an element already in the page and is not one', () => {
  assert.ok(builders.has('el'));
  assert.ok(!builders.has('$'));
});

test('no script under wwwroot writes HTML or gives Leaflet a string', () => {
  const scripts = filesUnder(root, '.js');
  assert.ok(scripts.length >= 10, 'the page scripts are found');
  const breaches = scripts.flatMap((file) => htmlBreaches(readFileSync(file, 'utf8'), builders).map((b) => `${relative(root, file)}:${b}`));
  assert.deepEqual(breaches, []);
});

test('no HTML page under wwwroot has inline script, style or handlers', () => {
  const pages = filesUnder(root, '.html');
  assert.ok(pages.length >= 4, 'the pages are found');
  const breaches = pages.flatMap((file) => inlineBreaches(readFileSync(file, 'utf8')).map((b) => `${relative(root, file)}: ${b}`));
  assert.deepEqual(breaches, []);
});

// The rule itself, on the shapes the page used before and the shapes it must use.
test('the check refuses strings, templates, variables and other calls, and accepts node builders', () => {
  const refused = [
    "layer.bindTooltip('<b>x</b>')",
    'layer.bindTooltip(`${name}`)',
    'layer.bindTooltip(name, { sticky: true })',
    'layer.bindTooltip(() => state.i18n.name(p.name_latn, p.name_cyrl), { sticky: true })',
    'layer.bindTooltip(function () { return label(p); })',
    'layer.bindTooltip(() => { if (a) return el("span"); return "x"; })',
    'popup.setContent(html)',
    'layer.setTooltipContent(text)',
    'layer.bindPopup(`<p>${p.source}</p>`)',
    'map.openPopup("<b>x</b>", latlng)',
    'node.innerHTML = text',
    "node['outerHTML'] = text",
    "node.insertAdjacentHTML('beforeend', text)",
    'document.write(text)',
    'L.divIcon({ html: name })',
    'L.tileLayer(url, { attribution: config.attribution })',
    'map.attributionControl.setPrefix("<a>x</a>")',
    'L.control.layers(null, { [name]: layer })',
    'layers.addOverlay(layer, name)',
    'eval(text)',
    'new Function(text)',
    "setTimeout('go()', 10)",
    "box.setAttribute('style', 'color: red')",
    "el('img', { src: 'x', onerror: code })",
    "el('span', { style: 'color: red' })",
  ];
  for (const code of refused) assert.notDeepEqual(htmlBreaches(code, new Set(['el'])), [], code);
  const accepted = [
    "layer.bindTooltip(() => el('span', {}, name(p)), { sticky: true })",
    "layer.bindTooltip(el('span', {}, text))",
    "layer.bindPopup(function () { return el('p', {}, text); })",
    "node.textContent = text",
    'map.attributionControl.setPrefix(false)',
    'layer.openTooltip(latlng)',
    'setTimeout(() => go(), 10)',
    "swatch.style.background = colour",
    "el('span', { className: 'swatch', 'aria-hidden': 'true' })",
  ];
  for (const code of accepted) assert.deepEqual(htmlBreaches(code, new Set(['el'])), [], code);
});

test('the check refuses inline script, style, handlers and javascript: URLs in pages', () => {
  assert.deepEqual(inlineBreaches('<script src="js/app.js"></script><p class="a">x</p>'), []);
  assert.equal(inlineBreaches('<script>alert(1)</script>').length, 1);
  assert.equal(inlineBreaches('<style>p{}</style>').length, 1);
  assert.equal(inlineBreaches('<p style="color:red">x</p>').length, 1);
  assert.equal(inlineBreaches('<img src="a.png" onerror="x()">').length, 1);
  assert.equal(inlineBreaches('<a href="javascript:x()">x</a>').length, 1);
});
