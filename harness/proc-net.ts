/**
 * The kernel's socket table (Linux /proc/net/tcp and tcp6): whether a local TCP port listens, and
 * which process holds it. Read without a connection: the document's server.py serves one
 * connection, and asking by connecting would spend it.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

/** Whether the table can be read on this machine (no /proc on macOS). */
export const hasProcNet = (): boolean => existsSync('/proc/net/tcp');

/** The socket inodes listening on `port`, from both tables. */
function listeningInodes(port: number): Set<string> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex) && cols[3] === LISTEN) inodes.add(cols[9]!);
    }
  }
  return inodes;
}

export function isListening(port: number): boolean {
  return listeningInodes(port).size > 0;
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
