import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
/** Guard against a hung child, not a promise of the dev issuer: far above start-ups seen under load. */
const HANG_GUARD_MS = 45_000;

/**
 * The real dev issuer (dev-issuer/main.mjs, ESM) as a child process on a free 127.0.0.1 port, with
 * its keys in a temporary folder. Jest runs CommonJS; a child process keeps oidc-provider out of it.
 */
export class DevIssuerProcess {
  private constructor(
    readonly issuer: string,
    private readonly env: NodeJS.ProcessEnv,
    private child: ChildProcess,
    private readonly keysDir: string,
  ) {}

  static async start(keysDir = mkdtempSync(join(tmpdir(), 'dev-issuer-e2e-')), settings: NodeJS.ProcessEnv = {}): Promise<DevIssuerProcess> {
    const port = await freePort();
    const env = { ...process.env, ...settings, NODE_ENV: 'development', DEV_ISSUER_PORT: String(port), DEV_ISSUER_KEYS_FILE: join(keysDir, 'keys.json') };
    const issuer = `http://localhost:${port}/oauth2/default`;
    const child = await spawnIssuer(env, issuer);
    return new DevIssuerProcess(issuer, env, child, keysDir);
  }

  /** The token `npm run token` prints, obtained the same way. */
  async token(): Promise<string> {
    const { stdout } = await run(process.execPath, ['dev-issuer/token.mjs'], { cwd: ROOT, env: this.env, timeout: HANG_GUARD_MS });
    return stdout.trim();
  }

  /** The demo user's whole token response (access, refresh and ID token), as the SPA receives it. */
  async signIn(): Promise<{ access_token: string; refresh_token: string; id_token: string }> {
    const { stdout } = await run(process.execPath, ['test/support/sign-in.mjs'], { cwd: ROOT, env: this.env, timeout: 15000 });
    return JSON.parse(stdout);
  }

  async restart(): Promise<void> {
    await stop(this.child);
    this.child = await spawnIssuer(this.env, this.issuer);
  }

  async close(): Promise<void> {
    await stop(this.child);
    rmSync(this.keysDir, { recursive: true, force: true });
  }
}

/** Runs dev-issuer/main.mjs to completion with the given environment (for start-up refusals). */
export function runIssuerExpectingExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, ['dev-issuer/main.mjs'], { cwd: ROOT, env: { ...process.env, ...env }, timeout: HANG_GUARD_MS }, (error, _stdout, stderr) => {
      resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });
}

async function spawnIssuer(env: NodeJS.ProcessEnv, issuer: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dev-issuer/main.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + HANG_GUARD_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop(child);
  throw new Error(`dev issuer did not start:\n${output}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePromise(port));
    });
  });
}
