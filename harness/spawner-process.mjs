// Starts the programs under test for one harness thread (harness/spawner.ts), so that the
// harness's own process, hundreds of megabytes big, is never the one to fork: a fork copies the
// page tables of the process that calls it (~15 ms of kernel time and a stalled thread at 700 MB,
// ~1 ms here). Messages over the IPC channel, one program each by `id`; when the channel closes
// (the harness ended, however), every program still running is killed, its whole process group.
import { spawn } from 'node:child_process';

const programs = new Map();

const send = (message) => {
  if (process.connected) process.send(message);
};

function start({ id, file, args, cwd, env, stdin }) {
  let child;
  try {
    child = spawn(file, args, { cwd, env, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true });
  } catch (err) {
    send({ op: 'error', id, message: err.message });
    send({ op: 'close', id, code: null, signal: null });
    return;
  }
  programs.set(id, child);
  send({ op: 'spawned', id, pid: child.pid });
  child.stdin?.on('error', () => {
    /* the program closed its end: its exit says the rest */
  });
  child.stdout.setEncoding('utf8').on('data', (chunk) => send({ op: 'out', id, chunk }));
  child.stderr.setEncoding('utf8').on('data', (chunk) => send({ op: 'out', id, chunk }));
  child.once('error', (err) => send({ op: 'error', id, message: err.message }));
  // 'close' waits for the output pipes, which a child the program left running may hold open: a
  // bounded wait after the exit, then the pipes are closed here.
  child.once('exit', () => {
    setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
      child.stdin?.destroy();
    }, 2000).unref();
  });
  child.once('close', (code, signal) => {
    programs.delete(id);
    send({ op: 'close', id, code, signal });
  });
}

process.on('message', (message) => {
  if (message.op === 'spawn') start(message);
  else if (message.op === 'write') programs.get(message.id)?.stdin?.write(message.data);
});

// Ctrl-C reaches the whole terminal's process group, this helper with the run: it ends when the
// harness does (the channel closes), not before, so a run that is stopping still hears its programs end.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

process.on('disconnect', () => {
  for (const child of programs.values()) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  process.exit(0);
});
