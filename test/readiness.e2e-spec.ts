import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
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
    expect(down.body.details.signingKeys).toMatchObject({
      status: 'down',
      keys: 0,
      fetchedAt: null,
      lastFetch: 'error',
    });
    expect(down.body.details.signingKeys.lastError).toEqual(expect.any(String));
    await live().expect(200);

    issuer.mode = 'up';
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 100));
    const jwksBefore = issuer.requests.jwks;
    // The probe itself fetches the keys: a load balancer sends no traffic to a server that is not ready.
    const up = await ready().expect(200);
    expect(issuer.requests.jwks).toBe(jwksBefore + 1);
    expect(up.body.details.signingKeys).toMatchObject({ status: 'up', keys: 1, lastFetch: 'success', ageSeconds: 0 });
    expect(up.body.details.signingKeys.lastError).toBeUndefined();
  });

  it('does not hammer the issuer when probed often while it is down', async () => {
    issuer.mode = 'down';
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_COOLDOWN: '10' });
    await ready().expect(503);
    const fetchesAfterFirstProbe = issuer.requests.discovery + issuer.requests.jwks;
    for (let i = 0; i < 20; i++) await ready().expect(503);
    expect(issuer.requests.discovery + issuer.requests.jwks).toBe(fetchesAfterFirstProbe);
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
    expect(gone.body.details.signingKeys).toMatchObject({ status: 'down', keys: 0, lastFetch: 'error' });
    await live().expect(200);
    // A token not seen before (a token already verified may be served from the verified-token cache).
    const fresh = await issuer.sign();
    const refused = await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${fresh}`);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/unavailable/);

    // The issuer is back: the next probe after the cooldown fetches the keys again.
    issuer.mode = 'up';
    jest.setSystemTime(Date.now() + COOLDOWN_MS + 100);
    const back = await ready().expect(200);
    expect(back.body.details.signingKeys).toMatchObject({ status: 'up', keys: 1, lastFetch: 'success' });
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
