/**
 * Before any probe: every role's options are built from good material and handed to Node once,
 * so a misconfigured target fails the run at once with its name, instead of as 80 failed checks.
 */
import tls from 'node:tls';
import type { MtlsConfig } from '../config/types.js';
import { ConfigError } from '../config/load.js';
import type { Pki } from '../pki/issue.js';
import { materialFor } from '../pki/material.js';

export function preflight(config: MtlsConfig, pki: Pki, file: string): void {
  for (const [name, target] of Object.entries(config.targets)) {
    for (const role of ['server', 'client'] as const) {
      const r = target[role];
      if (!r) continue;
      const m = materialFor(pki, role);
      let options: object;
      try {
        options = r.options({ ca: m.ca, cert: m.cert, key: m.key });
      } catch (err) {
        throw new ConfigError(`config ${file}: target '${name}' ${role}: options() threw: ${(err as Error).message}`);
      }
      if (!options || typeof options !== 'object') throw new ConfigError(`config ${file}: target '${name}' ${role}: options() returned ${String(options)}, not an object`);
      try {
        if (role === 'server') tls.createServer(options).close();
        else tls.createSecureContext(options);
      } catch (err) {
        throw new ConfigError(`config ${file}: target '${name}' ${role}: Node rejects the options: ${(err as Error).message}`);
      }
    }
  }
}
