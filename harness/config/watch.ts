/**
 * Watch mode follows the configuration. vitest restarts when its own config file changes, not
 * when the file that names the targets does (it is loaded at run time), so a change to that file
 * forgets this process's run and touches vitest's config file: vitest restarts and loads the new
 * targets. A target's `watch` files rerun that target's projects.
 */
import { utimesSync } from 'node:fs';
import path from 'node:path';
import type { Vitest } from 'vitest/node';
import type { MtlsConfig } from './types.js';
import { forgetRun } from '../run.js';

export function followConfiguration(
  vitest: Vitest,
  configFile: string,
  config: MtlsConfig,
  projectsOf: (target: string) => string[],
): void {
  if (!vitest.config.watch) return;
  const vitestConfig = vitest.vite.config.configFile;
  const watched = new Map<string, string[]>();
  for (const [name, target] of Object.entries(config.targets)) {
    for (const file of target.watch ?? []) {
      const full = path.resolve(path.dirname(configFile), file);
      watched.set(full, [...(watched.get(full) ?? []), ...projectsOf(name)]);
    }
  }
  vitest.vite.watcher.add([configFile, ...watched.keys()]);
  vitest.vite.watcher.on(
    'change',
    (file) =>
      void (async () => {
        if (path.resolve(file) === configFile && vitestConfig) {
          forgetRun();
          const now = new Date();
          utimesSync(vitestConfig, now, now);
          return;
        }
        const projects = watched.get(path.resolve(file));
        if (!projects) return;
        const specs = (await vitest.globTestSpecifications()).filter((s) => projects.includes(s.project.name));
        await vitest.rerunTestSpecifications(specs, false);
      })(),
  );
}
