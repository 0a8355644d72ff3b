import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestIssuer } from './support/test-issuer';
import { ServerProcess, startServer } from './support/spawn-server';

/** A 127.0.0.1 port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Runs `run` over `items`, at most `limit` at a time: start-ups are CPU-heavy, and the machine may be busy. */
async function inBatches<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) results.push(...(await Promise.all(items.slice(i, i + limit).map(run))));
  return results;
}

/** Calls `attempt` until it returns true; the test's own timeout bounds the wait. */
async function until(attempt: () => Promise<boolean>, pauseMs = 100): Promise<void> {
  while (!(await attempt())) await new Promise((r) => setTimeout(r, pauseMs));
}

describe('start-up (dist/main.js as a child process)', () => {
  let dir: string;
  const running: ServerProcess[] = [];
  const LISTEN = { PORT: '0', HOST: '127.0.0.1' };

  beforeAll(() => {
    // An empty working directory: no ./client_secrets.json unless a test writes one.
    dir = mkdtempSync(join(tmpdir(), 'startup-'));
    writeFileSync(join(dir, 'malformed.json'), '{ "web": { "issuer": ');
    writeFileSync(join(dir, 'unreadable.json'), '{ "web": {} }');
    chmodSync(join(dir, 'unreadable.json'), 0o000);
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('refuses to start with one line naming the setting, no stack trace', () => {
    const ISSUER = 'https://example.okta.com/oauth2/default';
    const cases: Array<[string, Record<string, string>, string]> = [
      ['a missing issuer', {}, 'OKTA_ISSUER'],
      ['an issuer that is not a URL', { OKTA_ISSUER: 'example.okta.com/oauth2/default' }, 'OKTA_ISSUER'],
      ['a plain-http issuer off localhost', { OKTA_ISSUER: 'http://example.okta.com/oauth2/default' }, 'OKTA_ISSUER'],
      ['an explicit OKTA_CLIENT_SECRETS that does not exist', { OKTA_ISSUER: ISSUER, OKTA_CLIENT_SECRETS: './nope/client_secrets.json' }, 'OKTA_CLIENT_SECRETS'],
      ['an explicit OKTA_CLIENT_SECRETS that is a directory', { OKTA_ISSUER: ISSUER, OKTA_CLIENT_SECRETS: '.' }, 'OKTA_CLIENT_SECRETS'],
      ['a malformed secrets file', { OKTA_ISSUER: ISSUER, OKTA_CLIENT_SECRETS: 'malformed.json' }, 'OKTA_CLIENT_SECRETS'],
      ['HS256 in OKTA_ALGORITHMS', { OKTA_ISSUER: ISSUER, OKTA_ALGORITHMS: 'HS256' }, 'OKTA_ALGORITHMS'],
      ['an unknown LOG_LEVEL', { OKTA_ISSUER: ISSUER, LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    ];
    // Unreadable by permissions only means something when not running as root.
    if (process.getuid?.() !== 0) {
      cases.push(['an unreadable secrets file', { OKTA_ISSUER: ISSUER, OKTA_CLIENT_SECRETS: 'unreadable.json' }, 'OKTA_CLIENT_SECRETS']);
    }

    let results: Map<string, Awaited<ReturnType<ServerProcess['exit']>>>;
    beforeAll(async () => {
      // Two at a time (one per core); each is a separate process, so they do not share passport's registry.
      const exits = await inBatches(cases, 2, ([, env]) => startServer({ ...LISTEN, ...env }, dir).exit());
      results = new Map(cases.map(([name], i) => [name, exits[i]]));
    }, 180_000);

    it.each(cases)('%s', (name, _env, setting) => {
      const { code, signal, stdout, stderr } = results.get(name)!;
      expect({ code, signal }).toEqual({ code: 1, signal: null });
      const lines = stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^configuration error: ${setting}: \\S`));
      expect(stderr + stdout).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
      expect(stdout).not.toMatch(/listening/);
    });
  });

  it('refuses the placeholders of client_secrets.json.dist copied as is', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'startup-dist-'));
    try {
      copyFileSync(resolve(__dirname, '../client_secrets.json.dist'), join(cwd, 'client_secrets.json'));
      const { code, stderr } = await startServer(LISTEN, cwd).exit();
      expect(code).toBe(1);
      // Both placeholders at once, each naming the file and the field (test/newcomer.e2e-spec.ts has the exact lines).
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^configuration error: web\.issuer in \.\/client_secrets\.json: still holds the placeholder \{yourOktaDomain\}$/),
        expect.stringMatching(/^configuration error: web\.client_id in \.\/client_secrets\.json: still holds a placeholder/),
      ]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('starts with an unreachable issuer, refuses tokens with keys_unavailable, then accepts them once it is up', async () => {
    const port = await closedPort();
    // No HOST: the default (all interfaces) must be reachable at 127.0.0.1.
    const server = startServer({ PORT: '0', OKTA_ISSUER: `http://127.0.0.1:${port}/oauth2/default`, OKTA_JWKS_COOLDOWN: '1' }, dir);
    running.push(server);
    const printed = new URL(await server.listeningUrl());
    const url = `http://127.0.0.1:${printed.port}`;

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // The issuer comes up on the port the server was configured with, still failing: whether or not
    // the cooldown has passed by now (it may on a busy machine), the server holds no key.
    const issuer = await TestIssuer.start(port);
    issuer.mode = 'down';
    try {
      const token = await issuer.sign();
      const call = () => fetch(`${url}/api/messages`, { headers: { authorization: `Bearer ${token}` } });
      const refused = await call();
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('error_description="the issuer signing keys are unavailable');

      // Once the issuer answers, a request after the cooldown fetches the keys; until then each is refused the same way.
      issuer.mode = 'up';
      await until(async () => {
        const res = await call();
        if (res.status === 200) return true;
        expect(res.headers.get('www-authenticate')).toContain('the issuer signing keys are unavailable');
        return false;
      });
    } finally {
      await issuer.close();
    }

    const { signal, code } = await server.stop();
    expect(signal === 'SIGTERM' || code === 0).toBe(true);
    expect(server.stderr).not.toMatch(/\n\s+at /);
  });

  it('npm run start:prod logs JSON lines without NODE_ENV set, and passes SIGTERM on to the server', async () => {
    const root = resolve(__dirname, '..');
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[
      'start:prod'
    ];
    const issuer = await TestIssuer.start();
    try {
      // As npm runs it: `sh -c <script>`, in the project folder, here with no NODE_ENV at all.
      const server = startServer(
        { ...LISTEN, OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json' },
        root,
        { command: ['/bin/sh', '-c', script] },
      );
      running.push(server);
      await server.listeningUrl();
      const { code, stdout, stderr } = await server.stop();
      // No runtime warning (deprecations, experimental features, V8 flags) on stderr, and no warning of
      // the server's own, on whichever Node line runs the tests (CI runs them on 20 and on 24).
      expect(stderr).toBe('');
      const lines = stdout.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.stringMatching(/^(info|debug|trace)$/), msg: expect.any(String) });
      // The signal reached node itself (exec), which shut down cleanly.
      expect(code).toBe(0);
      expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ msg: 'shut down cleanly' });
    } finally {
      await issuer.close();
    }
  });

  it('reads client_secrets.json from the working directory, and the environment wins over it', async () => {
    const issuer = await TestIssuer.start();
    const cwd = mkdtempSync(join(tmpdir(), 'startup-secrets-'));
    try {
      writeFileSync(
        join(cwd, 'client_secrets.json'),
        JSON.stringify({ web: { issuer: 'https://unused.example.com/oauth2/default', client_id: '0oa-test-spa' } }),
      );
      const server = startServer({ ...LISTEN, OKTA_ISSUER: issuer.issuer }, cwd);
      running.push(server);
      const url = await server.listeningUrl();
      expect(server.stdout).toContain(`resource server for issuer ${issuer.issuer} listening`);

      const call = async (claims: Record<string, unknown>) =>
        fetch(`${url}/api/messages`, { headers: { authorization: `Bearer ${await issuer.sign(claims)}` } });
      expect((await call({})).status).toBe(200);
      // client_id came from the file: another client is refused.
      const other = await call({ cid: '0oa-other' });
      expect(other.status).toBe(401);
      expect(other.headers.get('www-authenticate')).toContain('issued to another client');
      await server.stop();
    } finally {
      await issuer.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
