/**
 * What name a client check has its client verify, decided in one place from the property's need
 * (the catalogue's `dial`) and what the client can be made to verify. A client that takes the
 * name from the harness (a node role, a program with {name}) verifies whatever a check asks; a
 * program without {name} verifies the host it dials ({host}), and joins every check whose need
 * that host meets: the reference server's good certificate names every loopback name
 * (127.0.0.1, localhost, ::1), so most checks need no particular name at all.
 */
import net from 'node:net';
import { SERVER_DNS, SERVER_IP } from '../fixtures/profiles.js';
import type { DialNeed } from './catalogue.js';

/**
 * The name the client under test verifies whatever the harness asks (its {host}); undefined when it takes one ({name}).
 */
export type FixedName = string | undefined;

export type DialDecision = { name: string } | { notApplicable: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const kindOf = (name: string) => (net.isIP(name) ? 'an IP address' : 'a DNS name');

/** Why a client verifying `fixed` cannot take part in a check that needs `need`; undefined when it can. */
export function dialRefusal(need: DialNeed | undefined, fixed: FixedName): string | undefined {
  if (need === undefined || fixed === undefined) return undefined;
  const without = `the client program verifies the host it dials (${fixed}) and does not take {name}`;
  if (need === 'chosen')
    return `${without}; this check needs names the harness picks for the run (a client that takes {name})`;
  if (need === 'ip')
    return net.isIP(fixed) ? undefined : `${without}; this check needs a client that verifies an IP address`;
  if (need === 'dns')
    return net.isIP(fixed) ? `${without}; this check needs a client that verifies a DNS name` : undefined;
  return same(need, fixed) ? undefined : `${without}; this check dials ${need} (${kindOf(need)})`;
}

/**
 * The name a probe of the client dials. `requested`: the exact name the check asks for (a
 * wildcard's domain, another name), or nothing: the need decides.
 */
export function dialFor(need: DialNeed | undefined, fixed: FixedName, requested?: string): DialDecision {
  const refusal = dialRefusal(need, fixed);
  if (refusal) return { notApplicable: refusal };
  if (requested !== undefined) {
    if (fixed !== undefined && !same(requested, fixed)) {
      return {
        notApplicable:
          `the client program verifies the host it dials (${fixed}) and does not take {name}; this ` +
          `probe needs it to verify ${requested}`,
      };
    }
    return { name: requested };
  }
  if (fixed !== undefined) return { name: fixed };
  if (need === 'dns') return { name: SERVER_DNS };
  if (need === undefined || need === 'ip' || need === 'chosen') return { name: SERVER_IP };
  return { name: need };
}
