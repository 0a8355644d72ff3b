import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp, CapturingLogger } from './support/boot-app';
import { eventually } from './support/eventually';
import { LogCapture } from './support/log-capture';
import { TestIssuer } from './support/test-issuer';

const COOLDOWN_MS = 1000;
const MAX_STALE_S = 60;

/** Only `Date` is faked: sockets, timers and the issuer keep real time. */
const ALL_BUT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

describe('GET /api/health/ready', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  const ready = () => request(app.getHttpServer()).get('/api/health/ready');
  const live = () => request(app.getHttpServer()).get('/api/health');

  beforeEach(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(async () => {
    jest.useRealTimers();
    await app?.close();
    await issuer?.close();
  });

  it('answers 503 while no key was ever fetched, and 200 once the issuer is back, without a token request', async () => {
    issuer.mode = 'down';
    app = await bootApp({
      OKTA_ISSUER: issuer.issuer,
      OKTA_JWKS_COOLDOWN: String(COOLDOWN_MS / 1000),
    });

    const down = await ready().expect(503);
    expect(down.body.status).toBe('error');
    expect(down.body.details.signingKeys).toEqual({
      status: 'down',
      keys: 0,
      fetchedAt: null,
      ageSeconds: null,
      lastAttemptAt: expect.any(String),
      lastFetch: 'error',
      lastFetchError: 'http_status',
      reason: 'fetch_failed',
    });
    await live().expect(200);

    issuer.mode = 'up';
    // No token is sent: the server fetches the keys itself (its retries, or the probe asking).
    const up = await eventually(async () => {
      const res = await ready();
      return res.status === 200 ? res : undefined;
    }, 15_000);
    expect(up?.body.details.signingKeys).toMatchObject({ status: 'up', keys: 1, lastFetch: 'success', ageSeconds: expect.any(Number) });
    expect(up?.body.details.signingKeys.lastFetchError).toBeUndefined();
    expect(up?.body.details.signingKeys.reason).toBeUndefined();
  });

  it('shows a reason code, never the fetch error with its URL and query; the log has the details', async () => {
    issuer.mode = 'down';
    const logger = new CapturingLogger();
    const jwksUri = `${issuer.jwksUri}?tenant=private-tenant-name`;
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_URI: jwksUri }, { logger });
    const down = await ready().expect(503);
    expect(down.body.details.signingKeys).toMatchObject({ lastFetchError: 'http_status', reason: 'fetch_failed' });
    expect(JSON.stringify(down.body)).not.toMatch(/private-tenant-name|127\.0\.0\.1|HTTP 503/);
    expect(logger.lines.some((l) => l.startsWith('warn') && l.includes('private-tenant-name') && l.includes('HTTP 503'))).toBe(true);
  });

  it('logs its 503 at warn, not error: not ready is a state, not a server failure', async () => {
    issuer.mode = 'down';
    const logs = new LogCapture();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer }, { logDestination: logs });
    const res = await ready().expect(503);
    const line = logs.requestLine(res.headers['x-request-id'] as string);
    expect(line).toMatchObject({ level: 'warn', status: 503, route: '/api/health/ready' });
  });

  it('does not hammer the issuer when probed often while it is down: retries back off, probes add none', async () => {
    issuer.mode = 'down';
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_COOLDOWN: '10' });
    const started = Date.now();
    let probes = 0;
    for (; probes < 300 && Date.now() - started < 3000; probes++) await ready().expect(503);
    const elapsedMs = Date.now() - started;
    // Attempts 0.5 s, 1 s, 2 s, 4 s ... apart: however many probes, at most this many in the time taken
    // (an upper bound that only loosens on a slow machine).
    const allowed = 2 + Math.floor(Math.log2(elapsedMs / 500 + 1));
    expect(issuer.discoveryTimes.length).toBeLessThanOrEqual(allowed);
    expect(issuer.discoveryTimes.length).toBeLessThan(probes);
  });

  it('stays ready on cached keys while the issuer is down, answers 503 once they are past max-stale, and recovers', async () => {
    app = await bootApp({
      OKTA_ISSUER: issuer.issuer,
      OKTA_JWKS_COOLDOWN: String(COOLDOWN_MS / 1000),
      OKTA_JWKS_MAX_STALE: String(MAX_STALE_S),
    });
    await ready().expect(200);
    const token = await issuer.sign();
    await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(200);

    issuer.mode = 'down';
    jest.useFakeTimers({ doNotFake: [...ALL_BUT_DATE], now: Date.now() });

    // Within max-stale the cached keys still validate tokens: ready, with the age showing.
    jest.setSystemTime(Date.now() + (MAX_STALE_S - 5) * 1000);
    const stale = await ready().expect(200);
    expect(stale.body.details.signingKeys.ageSeconds).toBeGreaterThanOrEqual(MAX_STALE_S - 5);

    // Past max-stale, with the issuer still down: no usable key, so not ready.
    jest.setSystemTime(Date.now() + 10_000);
    const gone = await ready().expect(503);
    expect(gone.body.details.signingKeys).toMatchObject({ status: 'down', keys: 0, lastFetch: 'error', reason: 'keys_expired' });
    await live().expect(200);
    // A token not seen before (a token already verified may be served from the verified-token cache).
    const fresh = await issuer.sign();
    const refused = await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${fresh}`);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/unavailable/);

    // The issuer is back: the server's own retries (or a probe) fetch the keys again.
    issuer.mode = 'up';
    jest.setSystemTime(Date.now() + COOLDOWN_MS + 100);
    const back = await eventually(async () => {
      const res = await ready();
      return res.status === 200 ? res : undefined;
    }, 15_000);
    expect(back?.body.details.signingKeys).toMatchObject({ status: 'up', keys: 1, lastFetch: 'success' });
  });

  it('stays ready when the issuer rotates its keys', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_COOLDOWN: String(COOLDOWN_MS / 1000) });
    await ready().expect(200);
    const oldKid = issuer.currentKid;
    await issuer.addKey();
    issuer.removeKey(oldKid);
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 100));
    await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
    const res = await ready().expect(200);
    expect(res.body.details.signingKeys).toMatchObject({ keys: 1, lastFetch: 'success' });
  });
});
