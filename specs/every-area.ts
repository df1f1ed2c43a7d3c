/**
 * Every area's spec file in one test file (MTLS_FILES=target): a project is then one file, so one
 * worker start, rather than eleven files, each a worker start of its own whenever the worker's next
 * file belongs to another project (vitest reuses a worker only within a project). For runs of many
 * targets, such as the interop run; the areas run in the order of their files' names.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.extname(fileURLToPath(import.meta.url));
for (const file of readdirSync(here)
  .filter((f) => f.endsWith(`.spec${ext}`))
  .sort())
  await import(path.join(here, file));
