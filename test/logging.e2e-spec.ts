import { resolve } from 'node:path';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_BUFFERED_LOG_BYTES } from '../src/logging/root-logger';
import { bootApp } from './support/boot-app';
import { LogCapture } from './support/log-capture';
import { sample } from './support/prometheus-text';
import { startServer } from './support/spawn-server';
import { craftToken, rs256, TestIssuer } from './support/test-issuer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The logs an operator reads: one line per request, and for every refused token a line with the
 * reason code, the token's kid/iss/aud as seen, and the request id that ties the two together.
 * Nest's Logger is process-wide, so each describe block boots its app alone.
 */
describe('structured logs', () => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  describe('with the issuer up', () => {
    let app: NestFastifyApplication;
    const logs = new LogCapture();
    const tokensSent: string[] = [];

    beforeAll(async () => {
      app = await bootApp(
        { OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_ID: '0oa-test-spa', OKTA_JWKS_COOLDOWN: '1' },
        { logDestination: logs },
      );
    });
    afterAll(async () => {
      await app?.close();
      // Whatever was sent, no token and no signature may appear in any line.
      const text = logs.text();
      for (const token of tokensSent) {
        expect(text).not.toContain(token);
        const signature = token.split('.')[2];
        if (signature) expect(text).not.toContain(signature);
      }
    });

    /** Sends a token, returns the request id the server answered with. */
    async function send(token: string | undefined, path = '/api/messages', headers: Record<string, string> = {}) {
      let req = request(app.getHttpServer()).get(path);
      if (token !== undefined) {
        tokensSent.push(token);
        req = req.set('Authorization', `Bearer ${token}`);
      }
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      const res = await req;
      return { res, reqId: res.headers['x-request-id'] as string };
    }

    it('writes one line per request with method, route, status, duration and request id', async () => {
      const { res, reqId } = await send(await issuer.sign());
      expect(res.status).toBe(200);
      expect(reqId).toMatch(UUID);
      const lines = logs.forRequest(reqId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'info',
        msg: 'request completed',
        reqId,
        method: 'GET',
        route: '/api/messages',
        status: 200,
        ip: '127.0.0.1',
      });
      expect(typeof lines[0].durationMs).toBe('number');
      expect(lines[0].durationMs as number).toBeGreaterThan(0);
    });

    it('keeps the caller X-Request-Id and returns it', async () => {
      const { res } = await send(undefined, '/api/health', { 'X-Request-Id': 'lb-7f3a.42' });
      expect(res.headers['x-request-id']).toBe('lb-7f3a.42');
      expect(logs.requestLine('lb-7f3a.42')).toMatchObject({ route: '/api/health', status: 200 });
    });

    it('replaces an X-Request-Id that could corrupt logs or headers', async () => {
      const hostile = 'x'.repeat(300);
      const { reqId } = await send(undefined, '/api/health', { 'X-Request-Id': hostile });
      expect(reqId).toMatch(UUID);
      expect(logs.text()).not.toContain(hostile);
    });

    it('logs an unmatched path without its query string, under no route', async () => {
      const { res, reqId } = await send(undefined, '/api/nope?access_token=leaky-secret');
      expect(res.status).toBe(404);
      expect(logs.requestLine(reqId)).toMatchObject({ route: null, path: '/api/nope', status: 404 });
      expect(logs.text()).not.toContain('leaky-secret');
    });

    const refusals: Array<[string, () => Promise<string | undefined>, Record<string, unknown>]> = [
      ['missing_token', async () => undefined, { status: 401 }],
      ['malformed', async () => 'not-a-jwt', { status: 401 }],
      [
        'bad_signature',
        async () => {
          const [h, p] = (await issuer.sign()).split('.');
          const [, , s] = (await issuer.sign({ sub: 'someone-else' })).split('.');
          return `${h}.${p}.${s}`;
        },
        { status: 401 },
      ],
      ['expired', async () => issuer.sign({ exp: Math.floor(Date.now() / 1000) - 3600 }), { iss: 'ISSUER' }],
      ['not_yet_valid', async () => issuer.sign({ nbf: Math.floor(Date.now() / 1000) + 3600 }), { iss: 'ISSUER' }],
      ['wrong_issuer', async () => issuer.sign({ iss: 'https://evil.example/oauth2/default' }), { iss: 'https://evil.example/oauth2/default' }],
      ['wrong_audience', async () => issuer.sign({ aud: 'api://other' }), { aud: 'api://other' }],
      ['wrong_client', async () => issuer.sign({ cid: 'another-app' }), { iss: 'ISSUER' }],
      [
        'unknown_kid',
        async () => craftToken({ alg: 'RS256', kid: 'no-such-kid' }, issuer.claims(), rs256(issuer.privateKeyOf(issuer.currentKid))),
        { kid: 'no-such-kid' },
      ],
      ['alg_not_allowed', async () => craftToken({ alg: 'HS256', kid: issuer.currentKid }, issuer.claims(), () => Buffer.from('mac')), {}],
    ];

    it.each(refusals)('logs the reason code %s with the request id', async (reason, makeToken, seen) => {
      const { res, reqId } = await send(await makeToken());
      expect(res.status).toBe(401);
      const line = logs.refusalLine(reqId);
      const expected = Object.fromEntries(
        Object.entries(seen).map(([k, v]) => [k, v === 'ISSUER' ? issuer.issuer : v]),
      );
      expect(line).toMatchObject({ level: 'warn', reason, ...expected });
      expect(logs.requestLine(reqId)).toMatchObject({ status: 401, route: '/api/messages' });
    });

    it('logs sub but no other personal claim', async () => {
      const token = await issuer.sign({ aud: 'api://other', email: 'jane@example.com', name: 'Jane Doe' });
      const { reqId } = await send(token);
      expect(logs.refusalLine(reqId)).toMatchObject({ reason: 'wrong_audience', sub: 'user@example.com' });
      expect(logs.text()).not.toContain('jane@example.com');
      expect(logs.text()).not.toContain('Jane Doe');
    });

    it('says when a token comes from the Okta org authorization server', async () => {
      const { reqId } = await send(await issuer.sign({ iss: issuer.origin }));
      const line = logs.refusalLine(reqId);
      expect(line).toMatchObject({ reason: 'wrong_issuer', iss: issuer.origin });
      expect(line?.hint).toMatch(/org authorization server/);
      // Another custom authorization server, or another domain, gets no such hint.
      for (const iss of [`${issuer.origin}/oauth2/other`, 'https://evil.example']) {
        const other = await send(await issuer.sign({ iss }));
        expect(logs.refusalLine(other.reqId)).toMatchObject({ reason: 'wrong_issuer', iss });
        expect(logs.refusalLine(other.reqId)?.hint).toBeUndefined();
      }
    });

    it('bounds the size of token fields it logs', async () => {
      const longIssuer = `https://evil.example/${'a'.repeat(5000)}`;
      const { reqId } = await send(await issuer.sign({ iss: longIssuer }));
      expect((logs.refusalLine(reqId)?.iss as string).length).toBeLessThan(300);
    });
  });

  describe('with a scope required', () => {
    it('logs insufficient_scope with status 403', async () => {
      const logs = new LogCapture();
      const app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_REQUIRED_SCOPES: 'messages:read' }, { logDestination: logs });
      try {
        const res = await request(app.getHttpServer())
          .get('/api/messages')
          .set('Authorization', `Bearer ${await issuer.sign({ scp: ['openid'] })}`)
          .expect(403);
        const reqId = res.headers['x-request-id'] as string;
        expect(logs.refusalLine(reqId)).toMatchObject({ reason: 'insufficient_scope', status: 403 });
        expect(logs.requestLine(reqId)).toMatchObject({ status: 403 });
      } finally {
        await app.close();
      }
    });
  });

  describe('with the issuer down at start', () => {
    it('logs keys_unavailable', async () => {
      const down = await TestIssuer.start();
      down.mode = 'down';
      const logs = new LogCapture();
      const app = await bootApp({ OKTA_ISSUER: down.issuer, OKTA_JWKS_COOLDOWN: '1' }, { logDestination: logs });
      try {
        const res = await request(app.getHttpServer())
          .get('/api/messages')
          .set('Authorization', `Bearer ${await down.sign()}`)
          .expect(401);
        expect(logs.refusalLine(res.headers['x-request-id'] as string)).toMatchObject({ reason: 'keys_unavailable' });
        // The key store's own warning is structured too.
        expect(logs.lines.some((l) => l.context === 'SigningKeyStore' && l.level === 'warn')).toBe(true);
      } finally {
        await app.close();
        await down.close();
      }
    });
  });

  describe('settings', () => {
    it('LOG_LEVEL=warn drops request lines but keeps refusals', async () => {
      const logs = new LogCapture();
      const app = await bootApp({ OKTA_ISSUER: issuer.issuer, LOG_LEVEL: 'warn' }, { logDestination: logs });
      try {
        const res = await request(app.getHttpServer()).get('/api/messages').expect(401);
        const reqId = res.headers['x-request-id'] as string;
        expect(logs.requestLine(reqId)).toBeUndefined();
        expect(logs.refusalLine(reqId)).toMatchObject({ reason: 'missing_token' });
        expect(logs.lines.every((l) => l.level === 'warn' || l.level === 'error')).toBe(true);
      } finally {
        await app.close();
      }
    });

    it.each([
      ['0 writes no success line', '0', []],
      ['3 writes every third success line', '3', [2, 5]],
    ])('REQUEST_LOG_SAMPLE=%s; refusals and errors are always written', async (_, sample, writtenAt) => {
      const logs = new LogCapture();
      const app = await bootApp({ OKTA_ISSUER: issuer.issuer, REQUEST_LOG_SAMPLE: sample }, { logDestination: logs });
      try {
        const token = await issuer.sign();
        const successes: string[] = [];
        for (let i = 0; i < 6; i++) {
          const res = await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(200);
          successes.push(res.headers['x-request-id'] as string);
        }
        const written = successes.flatMap((reqId, i) => (logs.requestLine(reqId) ? [i] : []));
        expect(written).toEqual(writtenAt);

        const refused = await request(app.getHttpServer()).get('/api/messages').expect(401);
        expect(logs.requestLine(refused.headers['x-request-id'] as string)).toMatchObject({ status: 401 });
        const unmatched = await request(app.getHttpServer()).get('/api/nothing-here').expect(404);
        expect(logs.requestLine(unmatched.headers['x-request-id'] as string)).toMatchObject({ status: 404 });
      } finally {
        await app.close();
      }
    });

    it.each([
      ['without TRUST_PROXY, X-Forwarded-For is ignored', {}, '127.0.0.1'],
      ['with TRUST_PROXY naming the proxy, the client address is taken from X-Forwarded-For', { TRUST_PROXY: '127.0.0.1' }, '203.0.113.7'],
      ['with TRUST_PROXY naming another proxy, X-Forwarded-For is ignored', { TRUST_PROXY: '10.0.0.0/8' }, '127.0.0.1'],
    ])('%s', async (_, env, expectedIp) => {
      const logs = new LogCapture();
      const app = await bootApp({ OKTA_ISSUER: issuer.issuer, ...env }, { logDestination: logs });
      try {
        const res = await request(app.getHttpServer()).get('/api/health').set('X-Forwarded-For', '203.0.113.7').expect(200);
        expect(logs.requestLine(res.headers['x-request-id'] as string)).toMatchObject({ ip: expectedIp });
      } finally {
        await app.close();
      }
    });
  });

  describe('stdout read slowly (dist/main.js as a child process)', () => {
    it('holds a bounded number of bytes of log lines, dropping and counting the rest, and recovers', async () => {
      // The pipe is not read after the listening line, as with a stalled log collector.
      const server = startServer(
        {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: '0',
          OKTA_ISSUER: issuer.issuer,
          OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json',
        },
        resolve(__dirname, '..'),
        { stopReadingStdout: true },
      );
      try {
        const url = await server.listeningUrl();
        const dropped = async () =>
          sample(await (await fetch(`${url}/metrics`)).text(), 'log_lines_dropped_total');
        expect(await dropped()).toBe(0);

        // Refused requests, each writing two lines (some 600 bytes with a long request id), 50 at a
        // time, until the server says it dropped lines. Without a bound this would go on, memory
        // growing, until the cap of ~8 times the bound's worth of lines.
        const longId = 'r'.repeat(120);
        const BATCH = 50;
        let sent = 0;
        let count: number | undefined = 0;
        while (!count && sent < (8 * MAX_BUFFERED_LOG_BYTES) / 600) {
          await Promise.all(
            Array.from({ length: BATCH }, (_, i) =>
              fetch(`${url}/api/messages`, { headers: { 'X-Request-Id': `${longId}-${sent + i}` } }).then((res) => {
                expect(res.status).toBe(401);
                return res.arrayBuffer();
              }),
            ),
          );
          sent += BATCH;
          count = await dropped();
        }
        expect(count).toBeGreaterThan(0);
        // Lines were dropped only once the bound was reached, not from the start (fewer than 1,000
        // bytes a request).
        expect(sent * 1000).toBeGreaterThan(MAX_BUFFERED_LOG_BYTES);
        expect((await fetch(`${url}/api/health`)).status).toBe(200);

        // Once stdout is read again, new lines come through (the first ones may still meet a full
        // buffer while it drains, so keep asking; the loop's bound only keeps a failure from hanging).
        server.resumeReadingStdout();
        for (let i = 0; !server.stdout.includes('"reqId":"after-the-stall-'); i++) {
          if (i === 600) throw new Error('no log line came through after stdout was read again');
          await fetch(`${url}/api/health`, { headers: { 'X-Request-Id': `after-the-stall-${i}` } });
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        expect(await server.stop()).toMatchObject({ code: 0 });
      }
    }, 120_000);
  });
});
