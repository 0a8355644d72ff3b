import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { canPin } from './proc.mjs';

const live = new Set();

/**
 * The Node flags `npm run start:prod` passes, read from package.json: our server is measured as it
 * is shipped, and the instruments cannot drift from that script.
 */
export const PROD_NODE_FLAGS = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  .scripts['start:prod'].split(/\s+/)
  .filter((word) => word.startsWith('--'));

/**
 * Starts a server as its own process, pinned to `core` with taskset (which execs node, so the pid
 * is node's and /proc/<pid> measures the server alone), and waits until `readyUrl` answers.
 */
export async function startServer({ name, args, env, core, readyUrl, timeoutMs = 20_000 }) {
  const [cmd, argv] = canPin ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => (log = (log + chunk).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  live.add(child);
  child.once('exit', () => live.delete(child));

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} during start:\n${log}`);
    try {
      if ((await fetch(readyUrl, { signal: AbortSignal.timeout(1000) })).ok) {
        return { name, pid: child.pid, log: () => log, alive: () => child.exitCode === null && child.signalCode === null, stop: () => stopChild(child) };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stopChild(child);
  throw new Error(`${name} did not answer ${readyUrl} within ${timeoutMs} ms:\n${log}`);
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Ends every server this process started, on normal exit, Ctrl-C and crashes alike. */
export function killAllServers() {
  for (const child of live) child.kill('SIGKILL');
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllServers();
    process.exit(130);
  });
}
process.once('exit', killAllServers);
