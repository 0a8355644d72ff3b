import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { ServerProcess, startServer } from './support/spawn-server';
import { TestIssuer } from './support/test-issuer';

const ROOT = resolve(__dirname, '..');

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

type LogLine = Record<string, unknown>;

/** The JSON log lines (NODE_ENV=production) the server has written so far. */
function logLines(server: ServerProcess): LogLine[] {
  return server.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('graceful shutdown (src/main.ts as a child process)', () => {
  let issuer: TestIssuer;
  let gate: JwksGate;
  let server: ServerProcess | undefined;
  let url = '';

  beforeEach(async () => {
    issuer = await TestIssuer.start();
    gate = await JwksGate.start(issuer);
  });
  afterEach(async () => {
    await server?.stop();
    await gate?.close();
    await issuer?.close();
  });

  /** Starts src/main.ts with JSON logs, its keys coming through the gate. */
  async function start(extra: Record<string, string> = {}): Promise<ServerProcess> {
    server = startServer(env(extra), ROOT);
    url = await server.listeningUrl();
    return server;
  }

  const env = (extra: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json',
    OKTA_ISSUER: issuer.issuer,
    OKTA_JWKS_URI: gate.url,
    OKTA_JWKS_TIMEOUT_MS: '5000',
    ...extra,
  });

  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    await start();
    // The start-up key fetch is held at the gate, so the next request waits for keys.
    await until(() => gate.waiting === 1);
    const token = await issuer.sign();
    const inFlight = fetch(`${url}/api/messages`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': 'in-flight-1' },
    });
    await new Promise((r) => setTimeout(r, 300));

    server!.signal('SIGTERM');
    await until(() => logLines(server!).some((line) => line.signal === 'SIGTERM'));
    await new Promise((r) => setTimeout(r, 200));
    // No new connections once shutting down.
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();

    await gate.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { messages: unknown[] }).messages).toHaveLength(2);

    expect(await server!.exit()).toMatchObject({ code: 0, signal: null });
    // The buffered asynchronous log destination was flushed before exit.
    const lines = logLines(server!);
    expect(lines).toContainEqual(expect.objectContaining({ reqId: 'in-flight-1', status: 200, msg: 'request completed' }));
    expect(lines[lines.length - 1]).toMatchObject({ msg: 'shut down cleanly' });
  });

  it('on SIGINT with nothing in flight exits 0 at once', async () => {
    await start();
    await gate.release();
    const started = Date.now();
    server!.signal('SIGINT');
    expect(await server!.exit()).toMatchObject({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up after SHUTDOWN_TIMEOUT when a request is still running, and exits 1', async () => {
    await start({ SHUTDOWN_TIMEOUT: '1' });
    await until(() => gate.waiting === 1);
    const inFlight = fetch(`${url}/api/messages`, { headers: { Authorization: `Bearer ${await issuer.sign()}` } }).catch(
      (err: Error) => err,
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    server!.signal('SIGTERM');
    expect(await server!.exit()).toMatchObject({ code: 1, signal: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(logLines(server!)).toContainEqual(expect.objectContaining({ level: 'error', timeoutMs: 1000 }));
    // The client sees its connection dropped: that is what the deadline is for.
    expect(await inFlight).toMatchObject({ message: 'fetch failed' });
  });
});
