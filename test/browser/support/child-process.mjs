import { spawn } from 'node:child_process';
import { waitForHttp } from '../../../scripts/wait-for-http.mjs';

const STOP_TIMEOUT_MS = 5000;

/**
 * Starts `node <args>` and resolves once `readyUrl` answers. Keeps the output for the failure
 * report; `stop()` sends SIGTERM, then SIGKILL if the process is still there after 5 s.
 */
export async function startNodeProcess({ name, args, env, readyUrl, cwd }) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk) => {
    output = (output + chunk).slice(-20000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const handle = {
    name,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitForHttp(readyUrl, { timeoutMs: 60_000, isAlive: () => child.exitCode === null && child.signalCode === null });
  } catch (err) {
    await handle.stop();
    throw new Error(`${name} did not start: ${err.message}\n${output}`);
  }
  return handle;
}
