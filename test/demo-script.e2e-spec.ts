import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtMain } from './support/built-server';

const ROOT = resolve(__dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Demo {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** `node scripts/demo.mjs` (what `npm run demo` runs after building) in its own process group. */
function startDemo(env: Record<string, string>): Demo {
  const child = spawn(process.execPath, ['scripts/demo.mjs'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

describe('npm run demo (scripts/demo.mjs as a process)', () => {
  let keysDir: string;
  let ports: Record<string, string>;

  beforeAll(async () => {
    builtMain();
    keysDir = mkdtempSync(join(tmpdir(), 'demo-script-'));
    ports = {
      DEMO_ISSUER_PORT: String(await freePort()),
      DEMO_API_PORT: String(await freePort()),
      DEMO_SPA_PORT: String(await freePort()),
      DEV_ISSUER_KEYS_FILE: join(keysDir, 'keys.json'),
    };
  }, 120_000);
  afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

  it.each(['DEMO_ISSUER_PORT', 'DEMO_API_PORT', 'DEMO_SPA_PORT'])(
    'with the %s port taken: one line naming the port and the setting that moves it, exit 1',
    async (setting) => {
      const taken: Server = createServer();
      await new Promise<void>((r) => taken.listen(Number(ports[setting]), '127.0.0.1', r));
      try {
        const demo = startDemo(ports);
        const code = await demo.exited;
        const { stdout, stderr } = demo.output();
        expect(code).toBe(1);
        expect(stderr.split('\n').filter(Boolean)).toEqual([
          expect.stringMatching(new RegExp(`^demo: port ${ports[setting]} \\(\\w+\\) is already in use; .*set ${setting} to a free port$`)),
        ]);
        expect(stdout).toBe('');
      } finally {
        await new Promise<void>((r) => taken.close(() => r()));
      }
    },
  );

  it('prints the "Demo ready" banner last, after every process has started and the API holds the keys', async () => {
    const demo = startDemo(ports);
    try {
      await new Promise<void>((done, fail) => {
        demo.child.stdout!.on('data', () => demo.output().stdout.includes('Ctrl-C stops all three.') && done());
        void demo.exited.then(() => fail(new Error(`demo exited:\n${demo.output().stdout}${demo.output().stderr}`)));
      });
      const { stdout } = demo.output();
      const banner = stdout.indexOf('Demo ready');
      const before = stdout.slice(0, banner);
      expect(before).toContain('[issuer] LOCAL DEVELOPMENT issuer');
      expect(before).toMatch(/\[api\].*fetched 1 signing key/);
      expect(before).toContain('[spa] demo SPA on');
      expect(stdout.slice(banner)).toContain(`open      http://localhost:${ports.DEMO_SPA_PORT}`);
      expect(stdout.slice(banner)).toContain('sign in   demo@example.com / Passw0rd!demo');
      // The last readiness poll's request line came before the banner, not after it.
      expect(stdout.slice(banner)).not.toMatch(/request completed/);
    } finally {
      process.kill(-demo.child.pid!, 'SIGINT');
      await demo.exited;
    }
    expect(demo.output().stderr).not.toMatch(/Unhandled|\n\s+at /);
  });
});
