/**
 * Host names: which names a server certificate is good for, as the target's client sees it
 * (RFC 6125 / RFC 9525). Every check dials a name of its own; a client program joins these
 * checks when it takes the name to verify through {name}.
 */
import type { ExpectStatic } from 'vitest';
import { SERVER_DNS, SERVER_IP, SERVER_IPV6, type ServerProfile } from '../fixtures/profiles.js';
import type { CheckContext } from '../harness/spec/context.js';
import { conformance } from '../harness/spec/conformance.js';

interface Probe { name: string; server: ServerProfile }

async function compare(t: CheckContext, expect: ExpectStatic, control: Probe, adversarial: Probe): Promise<void> {
  expect(await t.client(`positive control: ${control.server}, verifying ${control.name}`, control)).toBeAccepted();
  const outcome = await t.client(`adversarial: ${adversarial.server}, verifying ${adversarial.name}`, adversarial);
  expect(outcome).toBeRejected();
  expect(outcome.evidence.server.delivered, 'bytes the client sent to the server it should have refused').toBe(0);
}

await conformance('host-names', (check) => {
  const domain = (t: CheckContext) => t.identities.wildcardDomain;
  const oneLabel = (t: CheckContext) => `${t.identities.hostLabel}.${domain(t)}`;

  check('host.reject-wildcard-bare-domain', (t, expect) =>
    compare(t, expect, { server: 'server-wildcard', name: oneLabel(t) }, { server: 'server-wildcard', name: domain(t) }));
  check('host.reject-wildcard-two-labels', (t, expect) =>
    compare(t, expect, { server: 'server-wildcard', name: oneLabel(t) }, { server: 'server-wildcard', name: `${t.identities.hostLabel}.${oneLabel(t)}` }));
  // *.test is on a top-level domain: dialing <domain>.test, its one label is all a match would need.
  check('host.reject-wildcard-tld', (t, expect) =>
    compare(t, expect, { server: 'server-wildcard', name: oneLabel(t) }, { server: 'server-wildcard-tld', name: domain(t) }));
  check('host.reject-ipv4-in-dns-san', (t, expect) =>
    compare(t, expect, { server: 'server', name: SERVER_IP }, { server: 'server-ip-in-dns-san', name: SERVER_IP }));
  check('host.reject-ipv6-in-dns-san', (t, expect) =>
    compare(t, expect, { server: 'server', name: SERVER_IPV6 }, { server: 'server-ip-in-dns-san', name: SERVER_IPV6 }));
  check('host.reject-dns-only-for-ipv6', (t, expect) =>
    compare(t, expect, { server: 'server', name: SERVER_IPV6 }, { server: 'server-dns-only', name: SERVER_IPV6 }));
  check('host.reject-uri-san-only', (t, expect) =>
    compare(t, expect, { server: 'server', name: SERVER_DNS }, { server: 'server-uri-san-only', name: SERVER_DNS }));
  check('host.reject-cn-when-san-present', (t, expect) =>
    compare(t, expect, { server: 'server', name: SERVER_DNS }, { server: 'server-cn-host-san-other', name: SERVER_DNS }));
  check('host.strict-reject-cn-only', (t, expect) =>
    compare(t, expect, { server: 'server', name: SERVER_DNS }, { server: 'server-cn-only', name: SERVER_DNS }));
});
