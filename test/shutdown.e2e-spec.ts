import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ServerProcess } from './support/server-process';
import { TestIssuer } from './support/test-issuer';

/**
 * A JWKS endpoint that holds its answers until released: it keeps a request to the resource server
 * in flight (waiting for keys) for as long as a test needs.
 */
class JwksGate {
  private readonly held: ServerResponse[] = [];
  private open = false;
  private constructor(
    private readonly server: Server,
    private readonly issuer: TestIssuer,
  ) {}

  static async start(issuer: TestIssuer): Promise<JwksGate> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gate = new JwksGate(server, issuer);
    server.on('request', (_req, res) => (gate.open ? void gate.answer(res) : gate.held.push(res)));
    return gate;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/keys`;
  }

  get waiting(): number {
    return this.held.length;
  }

  async release(): Promise<void> {
    this.open = true;
    for (const res of this.held.splice(0)) await this.answer(res);
  }

  async close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(res: ServerResponse): Promise<void> {
    const jwks = await (await fetch(this.issuer.jwksUri)).text();
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the server process: graceful shutdown, and start-up errors in the operations settings', () => {
  let issuer: TestIssuer;
  let gate: JwksGate;
  let server: ServerProcess | undefined;

  beforeEach(async () => {
    issuer = await TestIssuer.start();
    gate = await JwksGate.start(issuer);
  });
  afterEach(async () => {
    server?.kill();
    await gate?.close();
    await issuer?.close();
  });

  const env = (extra: Record<string, string> = {}) => ({
    OKTA_ISSUER: issuer.issuer,
    OKTA_JWKS_URI: gate.url,
    OKTA_JWKS_TIMEOUT_MS: '5000',
    ...extra,
  });

  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    server = await ServerProcess.start(env());
    // The start-up key fetch is held at the gate, so the next request waits for keys.
    await until(() => gate.waiting === 1);
    const token = await issuer.sign();
    const inFlight = fetch(`${server.url}/api/messages`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': 'in-flight-1' },
    });
    await new Promise((r) => setTimeout(r, 300));

    server.signal('SIGTERM');
    await server.waitFor((line) => line.signal === 'SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    // No new connections once shutting down.
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();

    await gate.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { messages: unknown[] }).messages).toHaveLength(2);

    expect(await server.exited).toEqual({ code: 0, signal: null });
    // The asynchronous log destination was flushed before exit.
    expect(server.lines).toContainEqual(expect.objectContaining({ reqId: 'in-flight-1', status: 200, msg: 'request completed' }));
    expect(server.lines[server.lines.length - 1]).toMatchObject({ msg: 'shut down cleanly' });
  });

  it('on SIGINT with nothing in flight exits 0 at once', async () => {
    server = await ServerProcess.start(env());
    await gate.release();
    const started = Date.now();
    server.signal('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up after SHUTDOWN_TIMEOUT when a request is still running, and exits 1', async () => {
    server = await ServerProcess.start(env({ SHUTDOWN_TIMEOUT: '1' }));
    await until(() => gate.waiting === 1);
    const inFlight = fetch(`${server.url}/api/messages`, { headers: { Authorization: `Bearer ${await issuer.sign()}` } }).catch(
      (err: Error) => err,
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    server.signal('SIGTERM');
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(server.lines).toContainEqual(expect.objectContaining({ level: 'error', timeoutMs: 1000 }));
    // The client sees its connection dropped: that is what the deadline is for.
    expect(await inFlight).toMatchObject({ message: 'fetch failed' });
  });

  it.each([
    ['LOG_LEVEL', 'verbose'],
    ['TRUST_PROXY', 'my-proxy'],
    ['SHUTDOWN_TIMEOUT', '0'],
  ])('a bad %s stops the start with one line naming it, and exit code 1', async (setting, value) => {
    const failed = ServerProcess.spawn(env({ [setting]: value }));
    expect(await failed.exited).toEqual({ code: 1, signal: null });
    expect(failed.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^configuration error: ${setting}: `))]);
  });
});
