#!/usr/bin/env node
// Import circles among the project's own modules, `import type` included (import-x/no-cycle
// skips type-only imports, and a circle of types is a layout fault too: shared types go in a
// module below their users). Prints each circle; exit 1 if there is one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const DIRS = ['harness', 'fixtures', 'specs', 'tests', 'bench', 'interop'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(ts|mts|mjs)$/.test(name)) files.push(full);
  }
};
for (const d of DIRS) if (existsSync(path.join(root, d))) walk(path.join(root, d));
for (const name of readdirSync(root)) if (/\.ts$/.test(name)) files.push(path.join(root, name));

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
const graph = new Map();
for (const file of files) {
  const deps = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = path.resolve(path.dirname(file), m[1] ?? m[2]);
    const candidates = [spec, spec.replace(/\.js$/, '.ts'), spec.replace(/\.js$/, '.mts')];
    const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (found) deps.add(found);
  }
  graph.set(file, deps);
}

// Tarjan's strongly connected components: each with more than one module is a circle.
let index = 0;
const idx = new Map(),
  low = new Map(),
  stack = [],
  on = new Set(),
  circles = [];
const strong = (v) => {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  on.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v)?.has(v) ?? false)) circles.push(component);
  }
};
for (const v of graph.keys()) if (!idx.has(v)) strong(v);
for (const c of circles)
  console.log(
    `import circle: ${c
      .map((f) => path.relative(root, f))
      .sort()
      .join(' <-> ')}`,
  );
console.log(
  circles.length
    ? `${circles.length} import circle(s) among ${files.length} modules`
    : `no import circles among ${files.length} modules (type imports included)`,
);
process.exit(circles.length ? 1 : 0);
