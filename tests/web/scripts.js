// The page's scripts and HTML files under wwwroot/, parsed with acorn, for the tests that check
// rules over all of them (text-into-page.test.js, modules.test.js).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as acorn from 'acorn';

export const root = fileURLToPath(new URL('../../wwwroot/', import.meta.url));

export function filesUnder(folder, extension) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

export function parse(source) {
  return acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
}

/** Every node of an ESTree tree, depth first. */
export function* walk(node) {
  if (!node || typeof node.type !== 'string') return;
  yield node;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(value)) for (const child of value) yield* walk(child);
    else if (value && typeof value === 'object') yield* walk(value);
  }
}
