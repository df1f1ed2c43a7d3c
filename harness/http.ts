/** HTTP/1.1 framing of the probes of an `http` server. */

export /** An HTTP request carrying the sentinel in its path (and a body, when a size is asked for), for `host`. */
function httpRequest(text: string, host: string, size = 0): Buffer {
  const head = (length: number) =>
    `${length ? 'POST' : 'GET'} /${text} HTTP/1.1\r\nHost: ${host}\r\nConnection: ` +
    `close\r\n${length ? `Content-Length: ${length}\r\n` : ''}\r\n`;
  const body = size > 0 ? '.'.repeat(size) : '';
  return Buffer.from(head(body.length) + body);
}
