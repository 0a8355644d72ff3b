import { connect, Socket } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REQUEST_TIMEOUT_MS } from '../src/create-fastify-adapter';
import { bootApp } from './support/boot-app';
import { TestIssuer } from './support/test-issuer';

interface Outcome {
  /** What the server sent before closing, if anything. */
  answer: string;
  /** Milliseconds from connecting to the server closing the connection. */
  heldMs: number;
}

/** Every slow client's socket, destroyed after the tests whatever the server did with it. */
const clients = new Set<Socket>();

/**
 * A real slow client on a raw socket: sends `head`, then one byte of `drip` per `everyMs` until the
 * server closes the connection. Resolves with what the server answered and when it hung up.
 */
async function trickle(port: number, head: string, drip: string, everyMs = 1000): Promise<Outcome> {
  const socket: Socket = connect(port, '127.0.0.1');
  clients.add(socket);
  const connectedAt = await new Promise<number>((resolve, reject) =>
    socket.once('connect', () => resolve(Date.now())).once('error', reject),
  );
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  socket.on('error', () => undefined); // a reset after the server's close is part of the outcome
  if (head) socket.write(head);
  let sent = 0;
  const timer = setInterval(() => {
    if (drip) socket.write(drip[sent++ % drip.length]);
  }, everyMs);
  await new Promise((resolve) => socket.once('close', resolve));
  clearInterval(timer);
  return { answer, heldMs: Date.now() - connectedAt };
}

/** Announces 1000 bytes of JSON body (which the server reads before it answers, even a 404), then sends them slowly. */
const TRICKLED_BODY = 'POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';

/**
 * Clients that send slowly, or not at all, must not hold a connection (a socket, a file
 * descriptor) for longer than the request deadline: 300 such sockets once exhausted the server's
 * file descriptors. The assertions say the deadline ended them (408), not how fast: when they
 * end depends on the machine's load, and the test's own timeout is the upper bound.
 */
describe('slow and silent clients', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    await app.listen(0, '127.0.0.1');
    port = Number(new URL(await app.getUrl()).port);
  });
  afterAll(async () => {
    for (const socket of clients) socket.destroy();
    await app?.close();
    await issuer?.close();
  });

  // Run together: each waits for the same deadline.
  it('ends a trickled body, trickled headers and a silent connection at the request deadline', async () => {
    const held = Promise.all([
      // The body, a byte a second.
      trickle(port, TRICKLED_BODY, ' '),
      // Slowloris: a header line that never ends, a byte a second.
      trickle(port, 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 'a'),
      // Connects and sends nothing.
      trickle(port, '', ''),
    ]);
    // Meanwhile other clients are served.
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    const [body, headers, silent] = await held;
    for (const outcome of [body, headers, silent]) {
      // Not cut before the deadline (timers may fire a little early), and ended by it.
      expect(outcome.heldMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 500);
      expect(outcome.answer).toMatch(/^(HTTP\/1\.1 408 |$)/);
    }
    // A client that sent a request line gets told why.
    expect(body.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 45_000);
});
