/**
 * Before any probe: every role's options are built from good material and handed to Node once,
 * so a misconfigured target fails the run at once with its name, instead of as 80 failed checks.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type { MtlsConfig } from '../config/types.js';
import { ConfigError } from '../config/load.js';
import type { Pki } from '../pki/issue.js';
import { materialFor } from '../pki/material.js';
import { isLoopback } from './command.js';

export function preflight(config: MtlsConfig, pki: Pki, file: string): void {
  for (const [name, target] of Object.entries(config.targets)) {
    for (const role of ['server', 'client'] as const) {
      const r = target[role];
      if (!r) continue;
      if (r.kind === 'command') {
        preflightCommand(file, name, role, r.command, r.host, r.port);
        continue;
      }
      if (r.kind === 'endpoint') {
        // Its own certificate is installed in it: the run must issue from the CA it trusts.
        if (!process.env.MTLS_PKI)
          throw new ConfigError(
            `config ${file}: target '${name}' server: an endpoint needs MTLS_PKI=<dir>, the PKI installed in it ` +
              `(npm run certs -- <dir>)`,
          );
        continue;
      }
      const m = materialFor(pki, role);
      let options: object;
      try {
        options = r.options({ ca: m.ca, cert: m.cert, key: m.key, chain: m.chain, crl: m.crl });
      } catch (err) {
        throw new ConfigError(`config ${file}: target '${name}' ${role}: options() threw: ${(err as Error).message}`);
      }
      if (!options || typeof options !== 'object')
        throw new ConfigError(
          `config ${file}: target '${name}' ${role}: options() returned ${String(options)}, not an object`,
        );
      try {
        if (role === 'server') tls.createServer(options).close();
        else tls.createSecureContext(options);
      } catch (err) {
        throw new ConfigError(
          `config ${file}: target '${name}' ${role}: Node rejects the options: ${(err as Error).message}`,
        );
      }
    }
  }
}

/** A program must exist, and may only use loopback addresses. */
function preflightCommand(
  file: string,
  name: string,
  role: string,
  command: string[],
  host?: string,
  port?: number,
): void {
  const where = `config ${file}: target '${name}' ${role}`;
  const program = command[0]!;
  const found = program.includes('/')
    ? existsSync(path.resolve(program))
    : (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, program)));
  if (!found)
    throw new ConfigError(
      `${where}: program '${program}' not found${program.includes('/') ? '' : ' on PATH'} (command: ` +
        `${command.join(' ')})`,
    );
  if (host !== undefined && !isLoopback(host))
    throw new ConfigError(`${where}: host '${host}' is not a loopback address`);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new ConfigError(`${where}: port ${port} is not a TCP port`);
}
