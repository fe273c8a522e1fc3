// The page's modules keep to their one way of doing each thing: requests through api.js, one
// global (test-hook.js's window.settlementMap), `$` from dom.js. Parsed with acorn, so comments and
// strings do not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { filesUnder, parse, root, walk } from './scripts.js';

const scripts = filesUnder(root, '.js').filter((file) => !relative(root, file).startsWith('vendor'));

/** "file:line: what" for every node of every script that `what` returns text for. */
function findings(what) {
  const found = [];
  for (const file of scripts) {
    const tree = parse(readFileSync(file, 'utf8'));
    for (const node of walk(tree)) {
      const text = what(node);
      if (text) found.push(`${relative(root, file)}:${node.loc.start.line}: ${text}`);
    }
  }
  return found;
}

const isGlobalObject = (node) => node.type === 'Identifier' && ['window', 'globalThis', 'self'].includes(node.name);

test('the page scripts are found', () => {
  assert.ok(scripts.length >= 20, scripts.length + ' scripts');
});

test('requests go through api.js: no fetch or XMLHttpRequest elsewhere (the tile worker fetches binary tiles, the service worker passes requests on)', () => {
  const found = findings((node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'fetch') return 'fetch';
    if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'XMLHttpRequest') return 'XMLHttpRequest';
    return null;
  }).filter((f) => !f.startsWith('js/api.js:') && !f.startsWith('js/tile-worker.js:') && !f.startsWith('sw.js:'));
  assert.deepEqual(found, []);
});

test('no script sets a global but test-hook.js (window.settlementMap); a worker\'s onmessage is a handler, not a global', () => {
  const found = findings((node) => {
    if (node.type !== 'AssignmentExpression' || node.left.type !== 'MemberExpression' || !isGlobalObject(node.left.object)) return null;
    const name = String(node.left.property.name ?? node.left.property.value);
    return name.startsWith('on') ? null : 'sets ' + node.left.object.name + '.' + name;
  });
  assert.deepEqual(found, ['js/test-hook.js:9: sets window.settlementMap']);
});

test('$ is declared once, in dom.js', () => {
  const found = findings((node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.name === '$') return 'declares $';
    if (node.type === 'FunctionDeclaration' && node.id?.name === '$') return 'declares function $';
    return null;
  });
  assert.deepEqual(found.map((f) => f.replace(/:\d+:/, ':')), ['js/dom.js: declares $']);
});
