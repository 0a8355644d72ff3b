import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
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

  /** Holds the requests that arrive from now on. */
  hold(): void {
    this.open = false;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `condition` holds; the test's own timeout bounds the wait. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await sleep(20);
}

/** A raw connection to the server, once connected. */
async function openConnection(url: string): Promise<Socket> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => undefined);
  return socket;
}

const closeOf = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

const COOLDOWN_MS = 1000;

describe('graceful shutdown (dist/main.js as a child process)', () => {
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

  /** Starts dist/main.js with JSON logs, its keys coming through the gate, and lets the first fetch through. */
  async function start(extra: Record<string, string> = {}): Promise<ServerProcess> {
    server = startServer(env(extra), ROOT);
    url = await server.listeningUrl();
    await until(() => gate.waiting === 1);
    await gate.release();
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
    OKTA_JWKS_COOLDOWN: String(COOLDOWN_MS / 1000),
    ...extra,
  });

  /**
   * Sends a request that stays in flight until the gate is released: its token names a new key, so
   * the server refetches the keys (past the cooldown) and the request waits for them. Returns once
   * that fetch is held at the gate, which is how the test knows the server is working on the request.
   */
  async function requestHeldAtGate(headers: Record<string, string> = {}): Promise<{ response: Promise<Response | Error> }> {
    gate.hold();
    await sleep(COOLDOWN_MS + 100); // the product's rule: no refetch within the cooldown of the last one
    const token = await issuer.sign({}, { kid: await issuer.addKey() });
    const response = fetch(`${url}/api/messages`, { headers: { Authorization: `Bearer ${token}`, ...headers } }).catch(
      (err: Error) => err,
    );
    await until(() => gate.waiting === 1);
    return { response };
  }

  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    await start();
    const inFlight = await requestHeldAtGate({ 'X-Request-Id': 'in-flight-1' });

    server!.signal('SIGTERM');
    // No new connections once shutting down (tries made before the signal lands may still be answered).
    await until(() => fetch(`${url}/api/health`).then(() => false, () => true));

    await gate.release();
    const res = await inFlight.response;
    if (res instanceof Error) throw res;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { messages: unknown[] }).messages).toHaveLength(2);

    expect(await server!.exit()).toMatchObject({ code: 0, signal: null });
    // The buffered asynchronous log destination was flushed before exit.
    const lines = logLines(server!);
    expect(lines).toContainEqual(expect.objectContaining({ signal: 'SIGTERM' }));
    expect(lines).toContainEqual(expect.objectContaining({ reqId: 'in-flight-1', status: 200, msg: 'request completed' }));
    expect(lines[lines.length - 1]).toMatchObject({ msg: 'shut down cleanly' });
  });

  it('on SIGINT with nothing in flight exits 0, not at the deadline', async () => {
    // Exit 0, not the deadline's 1, is what shows it did not wait for SHUTDOWN_TIMEOUT.
    await start({ SHUTDOWN_TIMEOUT: '30' });
    server!.signal('SIGINT');
    expect(await server!.exit()).toMatchObject({ code: 0, signal: null });
  });

  it('closes idle keep-alive connections and silent ones at once, while the request in flight finishes', async () => {
    await start({ SHUTDOWN_TIMEOUT: '30' });
    // A keep-alive connection that has been answered and now idles.
    const keptAlive = await openConnection(url);
    keptAlive.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((resolve) => keptAlive.once('data', resolve));
    // A connection that never sends anything.
    const silent = await openConnection(url);
    const bothClosed = Promise.all([closeOf(keptAlive), closeOf(silent)]);
    const inFlight = await requestHeldAtGate({ 'X-Request-Id': 'in-flight-2' });

    server!.signal('SIGTERM');
    // Closed while the request in flight is still held: neither waits for it.
    await bothClosed;
    expect(gate.waiting).toBe(1);

    await gate.release();
    const res = await inFlight.response;
    if (res instanceof Error) throw res;
    expect(res.status).toBe(200);
    // Exit 0: SHUTDOWN_TIMEOUT's deadline would have made it 1.
    expect(await server!.exit()).toMatchObject({ code: 0, signal: null });
    expect(logLines(server!).at(-1)).toMatchObject({ msg: 'shut down cleanly' });
  });

  it('gives up after SHUTDOWN_TIMEOUT when a request is still running, and exits 1', async () => {
    await start({ SHUTDOWN_TIMEOUT: '1' });
    const inFlight = await requestHeldAtGate();
    const started = Date.now();
    server!.signal('SIGTERM');
    expect(await server!.exit()).toMatchObject({ code: 1, signal: null });
    // Not before the deadline; how long after it depends on the machine's load.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(logLines(server!)).toContainEqual(expect.objectContaining({ level: 'error', timeoutMs: 1000 }));
    // The client sees its connection dropped: that is what the deadline is for.
    expect(await inFlight.response).toMatchObject({ message: 'fetch failed' });
  });
});
