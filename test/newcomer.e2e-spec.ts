import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BuiltServer, builtMain, Finished } from './support/built-server';

/** A 127.0.0.1 port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * What a newcomer sees when the server will not start: its stderr lines, and no stack trace anywhere.
 * A server that starts instead is stopped at once, so the test fails rather than waits.
 */
async function refusalLines(server: BuiltServer): Promise<string[]> {
  const listening = server.waitFor('listening on').then(
    () => server.stop(),
    () => undefined,
  );
  const { code, signal, stdout, stderr }: Finished = await server.finished;
  await listening;
  expect({ code, signal }).toEqual({ code: 1, signal: null });
  expect(stdout + stderr).not.toMatch(/\n\s+at |Error:|\.[jt]s:\d+|listening on/);
  return stderr.split('\n').filter(Boolean);
}

// One child process at a time, each from the built dist/ (what `npm run start:prod` runs).
describe("a newcomer's mistakes at start-up (dist/main.js as a process)", () => {
  let dir: string;
  let keysUrl: string;
  /** Where a server that should have refused would listen and look for keys, all on this machine. */
  let local: Record<string, string>;

  beforeAll(async () => {
    builtMain();
    // An empty working directory: no ./client_secrets.json unless a test puts one there.
    dir = mkdtempSync(join(tmpdir(), 'newcomer-'));
    // Keys from a port nothing listens on: the server starts without reaching any issuer off this machine.
    keysUrl = `http://127.0.0.1:${await closedPort()}/keys`;
    local = { OKTA_JWKS_URI: keysUrl, PORT: '0', HOST: '127.0.0.1' };
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a port already in use: one line naming PORT, exit 1, no stack', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as { port: number };
    try {
      const env = { OKTA_ISSUER: 'http://127.0.0.1:9/oauth2/default', OKTA_JWKS_URI: keysUrl, PORT: String(port), HOST: '127.0.0.1' };
      const lines = await refusalLines(new BuiltServer(env, dir));
      expect(lines).toEqual([`configuration error: PORT: port ${port} on 127.0.0.1 is already in use; stop the other process or set PORT to a free port`]);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it('reports every configuration error at once, one line each', async () => {
    const env = { ...local, OKTA_ISSUER: 'http://example.okta.com/oauth2/default', OKTA_ALGORITHMS: 'HS256', PORT: 'eighty', LOG_LEVEL: 'loud' };
    const lines = await refusalLines(new BuiltServer(env, dir));
    expect(lines.map((line) => /^configuration error: ([A-Z_]+): \S/.exec(line)?.[1])).toEqual([
      'OKTA_ISSUER',
      'OKTA_ALGORITHMS',
      'PORT',
      'LOG_LEVEL',
    ]);
  });

  it('says, for a missing issuer, that .env files are not read', async () => {
    const lines = await refusalLines(new BuiltServer(local, dir));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^configuration error: OKTA_ISSUER: is required: .*\(\.env files are not read\)$/);
  });

  it('names client_secrets.json and each field when the file holds the placeholders of client_secrets.json.dist', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'newcomer-dist-'));
    try {
      copyFileSync(resolve(__dirname, '../client_secrets.json.dist'), join(cwd, 'client_secrets.json'));
      const lines = await refusalLines(new BuiltServer(local, cwd));
      expect(lines).toEqual([
        'configuration error: web.issuer in ./client_secrets.json: still holds the placeholder {yourOktaDomain}',
        'configuration error: web.client_id in ./client_secrets.json: still holds a placeholder such as {yourClientId}',
      ]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('refuses an Okta Admin Console domain and names the issuer to use', async () => {
    const lines = await refusalLines(new BuiltServer({ ...local, OKTA_ISSUER: 'https://dev-123456-admin.okta.com' }, dir));
    expect(lines).toEqual([
      'configuration error: OKTA_ISSUER: https://dev-123456-admin.okta.com is the Okta Admin Console, not an issuer; ' +
        'use your Okta domain without "-admin", e.g. https://dev-123456.okta.com/oauth2/default',
    ]);
  });

  it('starts for the Okta org authorization server, warning that its tokens cannot be validated and which issuer to use', async () => {
    const env = { ...local, OKTA_ISSUER: 'https://dev-123456.okta.com', LOG_FORMAT: 'json' };
    const server = new BuiltServer(env, dir);
    try {
      await server.waitFor('listening on');
    } finally {
      await server.stop();
    }
    const warnings = server.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .filter((line) => /org authorization server/.test(line.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe('warn');
    expect(warnings[0].msg).toContain('OKTA_ISSUER: https://dev-123456.okta.com is the Okta org authorization server');
    expect(warnings[0].msg).toContain('use a custom authorization server such as https://dev-123456.okta.com/oauth2/default');
  });
});
