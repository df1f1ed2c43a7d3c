/** `raw`: the sentinel on a line; a server that echoes or answers it, or whose output shows it, accepted it. */
import type { AppProtocol } from './types.js';

/**
 * The sentinel on its own line; `size` pads it so a tamper aimed at a record's length hits the
 * payload's own record.
 */
export function sentinelLine(text: string, size = 0): Buffer {
  const line = `${text}\n`;
  return Buffer.from(size > line.length ? line + '.'.repeat(size - line.length) : line);
}

export const raw: AppProtocol = {
  name: 'raw',
  request: (sentinel, _server, size) => sentinelLine(sentinel, size),
  answer: (sentinel, size) => sentinelLine(sentinel, size),
  outputShowsSentinel: true,
};
