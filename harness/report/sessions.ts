/**
 * Whether each target resumes sessions, read from the positive controls of the resumption checks
 * (the reference peers keep and offer sessions only there):
 * - a server: does a session of the good client resume, the trust unchanged; by a TLS 1.2 session
 *   ticket or session id (a NewSessionTicket on the wire tells), by a TLS 1.3 PSK;
 * - a client: does it offer its session to the same server again, and does it resume.
 */
import type { ResultRow, SessionSupport } from './types.js';
import { property } from '../catalogue.js';

export function sessionSupport(results: ResultRow[]): SessionSupport[] {
  const found: SessionSupport[] = [];
  for (const role of ['server', 'client'] as const) {
    // The rows of the properties that give the table (catalogue field `table`), one per role.
    for (const row of results.filter((r) => r.role === role && property(r.id).table === 'sessions')) {
      // The controls that keep a session (resumption allowed): the one that makes it, then the one that offers it
      // again.
      const [made, again] = row.probes.filter((p) => p.kind === 'control' && p.evidence.resumptionAllowed);
      if (!made || !again) continue; // no such role, or the check did not get that far
      const at = { target: row.target, version: row.version, role };
      if (again.verdict !== 'accepted') {
        found.push({ ...at, resumes: 'unknown', evidence: `${again.label}: ${again.verdict}: ${again.reason}` });
        continue;
      }
      const n = again.evidence.negotiated;
      if (again.evidence.resumed) {
        const how =
          row.version === 'TLSv1.3'
            ? 'TLS 1.3 PSK (ticket)'
            : made.evidence.negotiated.ticketIssued
              ? 'session ticket'
              : 'session id';
        found.push({ ...at, resumes: 'yes', how, evidence: `${again.label}: resumed` });
      } else {
        const how =
          role === 'client'
            ? n.sessionOffered
              ? 'offered a session, the server declined'
              : 'offered none'
            : undefined;
        found.push({
          ...at,
          resumes: 'no',
          ...(how ? { how } : {}),
          evidence:
            `${again.label}: a full ` +
            `handshake${role === 'server' && made.evidence.negotiated.ticketIssued ? ' (it had issued a ticket)' : ''}`,
        });
      }
    }
  }
  return found;
}
