/**
 * Host names: which names a server certificate is good for, as the target's client sees it
 * (RFC 6125 / RFC 9525). Every check dials a name of its own; a client program joins these
 * checks when it takes the name to verify through {name}.
 */
import type { ExpectStatic } from 'vitest';
import { SERVER_DNS, SERVER_IP, SERVER_IPV6, type ServerProfile } from '../fixtures/profiles.js';
import { adversarial, conformance, control, refusedDeliveredNothing, type CheckContext } from '../harness/spec/api.js';

interface Probe {
  name: string;
  server: ServerProfile;
}

async function compare(t: CheckContext, expect: ExpectStatic, good: Probe, bad: Probe): Promise<void> {
  const outcome = await t.contrast(
    expect,
    () => t.client(control(`${good.server}, verifying ${good.name}`), good),
    () => t.client(adversarial(`${bad.server}, verifying ${bad.name}`), bad),
  );
  refusedDeliveredNothing(outcome);
}

const wildcard = (t: CheckContext) => t.identities.wildcardDomain;
const oneLabel = (t: CheckContext) => `${t.identities.hostLabel}.${wildcard(t)}`;
const WILDCARD_CONTROL = (t: CheckContext): Probe => ({ server: 'server-wildcard', name: oneLabel(t) });

/** id, the positive control, the adversarial probe (each a certificate and the name dialed). */
const cases: Array<[id: string, good: (t: CheckContext) => Probe, bad: (t: CheckContext) => Probe]> = [
  ['host.reject-wildcard-bare-domain', WILDCARD_CONTROL, (t) => ({ server: 'server-wildcard', name: wildcard(t) })],
  [
    'host.reject-wildcard-two-labels',
    WILDCARD_CONTROL,
    (t) => ({ server: 'server-wildcard', name: `${t.identities.hostLabel}.${oneLabel(t)}` }),
  ],
  // *.test is on a top-level domain: dialing <domain>.test, its one label is all a match would need.
  ['host.reject-wildcard-tld', WILDCARD_CONTROL, (t) => ({ server: 'server-wildcard-tld', name: wildcard(t) })],
  [
    'host.reject-ipv4-in-dns-san',
    () => ({ server: 'server', name: SERVER_IP }),
    () => ({ server: 'server-ip-in-dns-san', name: SERVER_IP }),
  ],
  [
    'host.reject-ipv6-in-dns-san',
    () => ({ server: 'server', name: SERVER_IPV6 }),
    () => ({ server: 'server-ip-in-dns-san', name: SERVER_IPV6 }),
  ],
  [
    'host.reject-dns-only-for-ipv6',
    () => ({ server: 'server', name: SERVER_IPV6 }),
    () => ({ server: 'server-dns-only', name: SERVER_IPV6 }),
  ],
  [
    'host.reject-uri-san-only',
    () => ({ server: 'server', name: SERVER_DNS }),
    () => ({ server: 'server-uri-san-only', name: SERVER_DNS }),
  ],
  [
    'host.reject-cn-when-san-present',
    () => ({ server: 'server', name: SERVER_DNS }),
    () => ({ server: 'server-cn-host-san-other', name: SERVER_DNS }),
  ],
  [
    'host.strict-reject-cn-only',
    () => ({ server: 'server', name: SERVER_DNS }),
    () => ({ server: 'server-cn-only', name: SERVER_DNS }),
  ],
];

await conformance('host-names', (check) => {
  for (const [id, good, bad] of cases) check(id, (t, expect) => compare(t, expect, good(t), bad(t)));
});
