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

const pids = (): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);

/** The socket inodes a process holds open; empty if it is gone or not ours to read. */
function socketsOf(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    try {
      const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (m) inodes.push(m[1]!);
    } catch {
      /* closed meanwhile */
    }
  }
  return inodes;
}

function describeProcess(pid: number): string {
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    /* gone meanwhile */
  }
  return `pid ${pid}${pid === process.pid ? ' (this run)' : ''}: ${cmd.slice(0, 200)}`;
}

/** The first process (of `among`) holding one of `inodes`. */
function holderOf(inodes: Set<string>, among: Iterable<number>): number | undefined {
  for (const pid of among) if (socketsOf(pid).some((i) => inodes.has(i))) return pid;
  return undefined;
}

/** Who listens on a local TCP port, for an error message ("pid 123: python3 -m http.server"); undefined if unknown. */
export function listenerOf(port: number): string | undefined {
  try {
    const inodes = listeningInodes(port);
    if (!inodes.size) return 'no listener now';
    const pid = holderOf(inodes, pids());
    return pid === undefined ? 'a process this run cannot see' : describeProcess(pid);
  } catch {
    return undefined;
  }
}

/** Every process's parent and process group, from /proc/<pid>/stat. */
function processTable(): Map<number, { ppid: number; pgid: number }> {
  const table = new Map<number, { ppid: number; pgid: number }>();
  for (const pid of pids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command's closing parenthesis: state, ppid, pgrp.
      const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(pid, { ppid: Number(ppid), pgid: Number(pgid) });
    } catch {
      /* gone meanwhile */
    }
  }
  return table;
}

/** The processes of a program: in the process group its leader `group` leads, or descended from it. */
function familyOf(group: number, table = processTable()): Set<number> {
  const ours = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = table.get(p)?.ppid, hops++)
      if (p === group || table.get(p)?.pgid === group) return true;
    return false;
  };
  return new Set([...table.keys()].filter(ours));
}

/**
 * A program's processes outside its own process group (children it started in groups of their
 * own): killing the group leaves them, holding its output pipes and ports. Empty without /proc.
 */
export function strayDescendants(group: number): number[] {
  if (!hasProcNet()) return [];
  const table = processTable();
  return [...familyOf(group, table)].filter((pid) => table.get(pid)?.pgid !== group);
}

/**
 * A process that listens on `port` and is neither in the process group `group` (a program the
 * harness started leads its own) nor descended from its leader: the port's other holder, described;
 * undefined when every listener is the program's, or its holder cannot be seen. Reads each
 * process's status, and the descriptors of the program's own first: asked once per start.
 */
export function foreignListener(port: number, group: number): string | undefined {
  if (!hasProcNet()) return undefined;
  try {
    const inodes = listeningInodes(port);
    // Most programs listen in their own process (the group's leader): then no other is read.
    for (const inode of socketsOf(group)) inodes.delete(inode);
    if (!inodes.size) return undefined;
    const table = processTable();
    const family = familyOf(group, table);
    for (const pid of family) for (const inode of socketsOf(pid)) inodes.delete(inode);
    if (!inodes.size) return undefined;
    const pid = holderOf(
      inodes,
      [...table.keys()].filter((p) => !family.has(p)),
    );
    return pid === undefined ? undefined : describeProcess(pid);
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
