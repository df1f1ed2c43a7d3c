/**
 * The kernel's socket table (Linux /proc/net/tcp and tcp6): whether a local TCP port listens, and
 * which process holds it. Read without a connection: the document's server.py serves one
 * connection, and asking by connecting would spend it.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';

const LISTEN = '0A';

/** Whether the table can be read on this machine (no /proc on macOS). */
export const hasProcNet = (): boolean => existsSync('/proc/net/tcp');

/**
 * The listening rows of one table. The kernel prints listeners first, then every other socket
 * (TIME_WAIT ones among them, thousands after a run's probes): reading a page at a time and
 * stopping at the first row that is not a listener spares the walk of the whole connection table,
 * which cost ~20 ms a read here and was a tenth of an interop run's CPU.
 */
function listenerRows(table: string): string[] {
  let fd: number;
  try {
    fd = openSync(table, 'r');
  } catch {
    return [];
  }
  const rows: string[] = [];
  try {
    const page = Buffer.alloc(16_384);
    let rest = '';
    let header = true;
    for (;;) {
      const n = readSync(fd, page, 0, page.length, null);
      if (n === 0) return rows;
      const lines = (rest + page.toString('latin1', 0, n)).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (header) {
          header = false;
          continue;
        }
        const cols = line.trim().split(/\s+/);
        if (cols[3] !== LISTEN) return rows;
        rows.push(line);
      }
    }
  } catch {
    return rows;
  } finally {
    closeSync(fd);
  }
}

/** The socket inodes listening on `port`; with `first`, only until one is found. */
function listeningInodes(port: number, first = false): Set<string> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  // tcp before tcp6: the IPv6 table's reader walks the whole connection table for IPv6 rows
  // (~10 ms here with none), so a listener found in the IPv4 table spares it.
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of listenerRows(table)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex)) inodes.add(cols[9]!);
    }
    if (first && inodes.size) break;
  }
  return inodes;
}

export function isListening(port: number): boolean {
  return listeningInodes(port, true).size > 0;
}

/** Who listens on a local TCP port, for an error message ("pid 123: python3 -m http.server"); undefined if unknown. */
export function listenerOf(port: number): string | undefined {
  try {
    const inodes = listeningInodes(port);
    if (!inodes.size) return 'no listener now';
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let fds: string[] = [];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let link = '';
        try {
          link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const m = link.match(/^socket:\[(\d+)\]$/);
        if (m && inodes.has(m[1]!)) {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
          return `pid ${pid}${Number(pid) === process.pid ? ' (this run)' : ''}: ${cmd.slice(0, 200)}`;
        }
      }
    }
    return 'a process this run cannot see';
  } catch {
    return undefined;
  }
}

/**
 * Whether the kernel has the process as ended (a zombie, or gone), which it knows before Node's
 * child 'exit' event arrives; on a loaded machine that event can trail the process's closed
 * sockets by hundreds of milliseconds. False where /proc cannot say.
 */
export function hasEnded(pid: number): boolean {
  if (!hasProcNet()) return false;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}
