import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { eventually } from './support/eventually';
import { forceGc } from './support/force-gc';
import { expectInvalidToken, sleep } from './support/refusals';
import { craftToken, TestIssuer } from './support/test-issuer';

/** The smallest cooldown the settings allow (seconds), so rotation tests wait ~1 s, not 10. */
const COOLDOWN_S = 1;
const COOLDOWN_MS = COOLDOWN_S * 1000;

describe('signing keys: discovery, rotation, outages, floods', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;

  const call = async (token?: string) => {
    const req = request(app!.getHttpServer()).get('/api/messages');
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };
  const expectOk = async (token: string) => {
    const res = await call(token);
    expect({ status: res.status, challenge: res.headers['www-authenticate'] }).toEqual({ status: 200, challenge: undefined });
  };
  /** A token naming a kid the issuer never published; its signature is never checked. */
  const randomKidToken = () =>
    craftToken({ alg: 'RS256', kid: randomBytes(12).toString('hex') }, issuer.claims(), () => randomBytes(256));

  /** Tokens with random kids, 50 at a time, for `ms` (and at most 5,000): how many, and the statuses seen. */
  async function floodRandomKids(url: string, ms: number): Promise<{ sent: number; statuses: Set<number> }> {
    const started = Date.now();
    const statuses = new Set<number>();
    let sent = 0;
    while (Date.now() - started < ms && sent < 5000) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => fetch(url, { headers: { authorization: `Bearer ${randomKidToken()}` } }).then((r) => r.status)),
      );
      batch.forEach((status) => statuses.add(status));
      sent += batch.length;
    }
    return { sent, statuses };
  }

  async function boot(env: Record<string, string> = {}) {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, ...env });
  }

  beforeEach(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await issuer?.close();
  });

  describe('where the keys come from', () => {
    it('uses the jwks_uri the discovery document names (not /v1/keys)', async () => {
      expect(issuer.jwksPath).not.toMatch(/\/v1\/keys$/);
      await boot();
      await expectOk(await issuer.sign());
      expect(issuer.requests).toEqual({ discovery: 1, jwks: 1, other: 0 });
    });

    it('uses OKTA_JWKS_URI without discovery when it is set', async () => {
      await boot({ OKTA_JWKS_URI: issuer.jwksUri });
      await expectOk(await issuer.sign());
      expect(issuer.requests).toEqual({ discovery: 0, jwks: 1, other: 0 });
    });

    it('falls back to ${issuer}/v1/keys when discovery is unavailable', async () => {
      issuer.discoveryMode = 'down';
      issuer.jwksPath = '/oauth2/default/v1/keys';
      await boot();
      await expectOk(await issuer.sign());
      expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 1 });
    });

    it('accepts a token without kid when the issuer publishes a single key without kid', async () => {
      const kid = issuer.currentKid;
      const lone = await issuer.addKey('lone', 'RS256', 2048, { kid: undefined });
      issuer.removeKey(kid);
      await boot();
      await expectOk(await issuer.sign({}, { kid: lone, header: { kid: undefined } }));
    });

    it('skips keys it cannot use without losing the others', async () => {
      await issuer.addKey('broken', 'RS256', 2048, { n: 'AQAB', e: 'AQAB' });
      await issuer.addKey('oct', 'RS256', 2048, { kty: 'oct', k: 'c2VjcmV0', n: undefined, e: undefined });
      await issuer.addKey('good', 'RS256');
      await boot();
      await expectOk(await issuer.sign({}, { kid: 'good' }));
      expectInvalidToken(await call(await issuer.sign({}, { kid: 'good', header: { kid: 'oct', alg: 'RS256' } })), 'unknown_kid');
    });

    it.each(['file:///etc/passwd', 'ftp://127.0.0.1/keys', 'not a url'])('refuses a discovered jwks_uri of %s', async (uri) => {
      issuer.discoveryJwksUriOverride = uri;
      await boot();
      expectInvalidToken(await call(await issuer.sign()), 'keys_unavailable');
      expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 0, other: 0 });
    });

    it('refuses metadata that names another issuer (mix-up) and fetches no keys from it', async () => {
      issuer.discoveryIssuerOverride = 'https://evil.example.com/oauth2/default';
      await boot();
      // A setting to fix (or an attack), not an outage: the client is not told to try again later.
      expectInvalidToken(await call(await issuer.sign()), 'misconfigured_issuer');
      expect(issuer.requests.jwks).toBe(0);
    });
  });

  describe('rotation', () => {
    it('accepts a new kid on its first use once the cooldown has passed', async () => {
      await boot({ OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      const oldKid = issuer.currentKid;
      await expectOk(await issuer.sign());
      await sleep(COOLDOWN_MS + 100);

      const newKid = await issuer.addKey('rotated-1');
      await expectOk(await issuer.sign({}, { kid: newKid }));
      expect(issuer.requests.jwks).toBe(2);
      // The old key is still published, so its tokens keep working.
      await expectOk(await issuer.sign({}, { kid: oldKid }));
      expect(issuer.requests.jwks).toBe(2);
    });

    it('within the cooldown refuses a new kid without a fetch, then accepts it after', async () => {
      await boot({ OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      await expectOk(await issuer.sign());
      const fetchesBefore = issuer.requests.jwks;

      const newKid = await issuer.addKey('rotated-2');
      const token = await issuer.sign({}, { kid: newKid });
      expectInvalidToken(await call(token), 'unknown_kid');
      expect(issuer.requests.jwks).toBe(fetchesBefore);

      // Accepted once the cooldown allows a fetch; the cap only ends a test that would never pass.
      const accepted = await eventually(async () => ((await call(token)).status === 200 ? true : undefined), 15_000, 200);
      expect(accepted).toBe(true);
      expect(issuer.requests.jwks).toBe(fetchesBefore + 1);
    });

    it('stops accepting a key the issuer no longer publishes once the keys are refetched', async () => {
      await boot({ OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      const oldKid = issuer.currentKid;
      await expectOk(await issuer.sign());
      const newKid = await issuer.addKey('rotated-3');
      issuer.removeKey(oldKid);
      await sleep(COOLDOWN_MS + 100);
      await expectOk(await issuer.sign({}, { kid: newKid }));
      expectInvalidToken(await call(await issuer.sign({}, { kid: newKid, header: { kid: oldKid } })), 'unknown_kid');
    });
  });

  describe('outages', () => {
    it('keeps serving cached keys while the JWKS endpoint is down', async () => {
      await boot({ OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      await expectOk(await issuer.sign());
      issuer.mode = 'down';
      await sleep(COOLDOWN_MS + 100);

      // An unknown kid forces a refetch, which fails ...
      const fetchesBefore = issuer.requests.jwks;
      expectInvalidToken(await call(randomKidToken()), 'keys_unavailable');
      expect(issuer.requests.jwks).toBe(fetchesBefore + 1);
      // ... yet tokens signed with the cached key still pass.
      await expectOk(await issuer.sign());
      await expectOk(await issuer.sign());
    });

    // The issuer hangs for this long, then answers with its keys: a request answered keys_unavailable
    // was answered by the fetch deadline, well before the hang ended (had it waited, it would pass).
    const HANG_MS = 20_000;

    it('answers 401 by the fetch deadline when discovery and JWKS hang', async () => {
      issuer.mode = 'hang';
      issuer.hangMs = HANG_MS;
      await boot({ OKTA_JWKS_TIMEOUT_MS: '300', OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      expectInvalidToken(await call(await issuer.sign()), 'keys_unavailable');
    });

    it('answers 401 by the fetch deadline when the issuer hangs and garbage is collected meanwhile', async () => {
      // Nothing on the deadline's path may be held only weakly: a collected timer signal never fires,
      // and the request (with every later one waiting on the same fetch) would hang for good.
      issuer.mode = 'hang';
      issuer.hangMs = HANG_MS;
      await boot({ OKTA_JWKS_TIMEOUT_MS: '300', OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      await sleep(COOLDOWN_MS + 100);
      const pending = call(await issuer.sign()).then((res) => res);
      for (let i = 0; i < 5; i++) {
        await sleep(20);
        forceGc();
      }
      expectInvalidToken(await pending, 'keys_unavailable');
    });

    it('answers 401 by the fetch deadline when the JWKS body stalls after its headers', async () => {
      issuer.discoveryMode = 'up';
      issuer.mode = 'stall';
      issuer.hangMs = HANG_MS;
      await boot({ OKTA_JWKS_TIMEOUT_MS: '300' });
      expectInvalidToken(await call(await issuer.sign()), 'keys_unavailable');
    });

    it('answers 401 by the fetch deadline when only the JWKS hangs, and recovers when it answers', async () => {
      issuer.discoveryMode = 'up';
      issuer.mode = 'hang';
      issuer.hangMs = HANG_MS;
      await boot({ OKTA_JWKS_TIMEOUT_MS: '300', OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      const token = await issuer.sign();
      expectInvalidToken(await call(token), 'keys_unavailable');
      expect(issuer.requests.jwks).toBeGreaterThanOrEqual(1);

      issuer.mode = 'up';
      const accepted = await eventually(async () => ((await call(token)).status === 200 ? true : undefined), 15_000);
      expect(accepted).toBe(true);
    });
  });

  describe('recovering when no key has ever been fetched (issue 9 §6)', () => {
    /** A long cooldown: recovery must not wait for it while no key is held. */
    const LONG_COOLDOWN = { OKTA_JWKS_COOLDOWN: '60' };

    it('accepts the first token soon after an issuer that was down at start comes back, not a cooldown later', async () => {
      issuer.mode = 'down';
      await boot(LONG_COOLDOWN);
      const token = await issuer.sign();
      expectInvalidToken(await call(token), 'keys_unavailable');
      expect(await eventually(async () => issuer.requests.discovery > 0 || undefined, 10_000)).toBe(true);

      issuer.mode = 'up';
      // Far below the 60 s cooldown: only retries made while no key is held can pass this.
      const accepted = await eventually(async () => ((await call(token)).status === 200 ? true : undefined), 20_000);
      expect(accepted).toBe(true);
      // A few retries, not a request per token.
      expect(issuer.keyRequests).toBeLessThanOrEqual(12);
    });

    it('while the issuer stays down, retries on its own with a doubling backoff, however many requests come', async () => {
      issuer.mode = 'down';
      await boot(LONG_COOLDOWN);
      const token = await issuer.sign();
      // Each attempt starts with discovery; wait for four, with requests arriving all along.
      const fourAttempts = await eventually(async () => {
        expectInvalidToken(await call(token), 'keys_unavailable');
        return issuer.discoveryTimes.length >= 4 || undefined;
      }, 30_000, 50);
      expect(fourAttempts).toBe(true);
      const gaps = issuer.discoveryTimes.slice(1, 4).map((t, i) => t - issuer.discoveryTimes[i]);
      // 0.5 s, 1 s, 2 s after the attempts before (lower bounds, halved against timer and network jitter).
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual((500 * 2 ** i) / 2));
    });
  });

  describe('load on the issuer', () => {
    it('300 concurrent cold requests share one discovery and one JWKS fetch', async () => {
      // Hold the first fetch in flight so every request arrives while the keys are still cold.
      issuer.delayMs = 300;
      await boot();
      await app!.listen(0, '127.0.0.1');
      const url = `${await app!.getUrl()}/api/messages`;
      const token = await issuer.sign();
      const statuses = await Promise.all(
        Array.from({ length: 300 }, () => fetch(url, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(issuer.requests.discovery).toBeLessThanOrEqual(2);
      expect(issuer.requests.jwks).toBeLessThanOrEqual(2);
    });

    it('300 concurrent cold requests for an unknown kid also share one fetch', async () => {
      issuer.delayMs = 300;
      await boot();
      await app!.listen(0, '127.0.0.1');
      const url = `${await app!.getUrl()}/api/messages`;
      const statuses = await Promise.all(
        Array.from({ length: 300 }, () =>
          fetch(url, { headers: { authorization: `Bearer ${randomKidToken()}` } }).then((r) => r.status),
        ),
      );
      expect(new Set(statuses)).toEqual(new Set([401]));
      expect(issuer.requests.discovery).toBeLessThanOrEqual(2);
      expect(issuer.requests.jwks).toBeLessThanOrEqual(2);
    });

    it('a flood of random kids costs the issuer no fetch within the default cooldown', async () => {
      await boot();
      await app!.listen(0, '127.0.0.1');
      const url = `${await app!.getUrl()}/api/messages`;
      await expectOk(await issuer.sign());
      const fetchesBefore = issuer.requests.jwks;
      // Longer than the shortest cooldown the settings allow, so only the default keeps this at zero.
      const { sent, statuses } = await floodRandomKids(url, 2000);
      expect(sent).toBeGreaterThanOrEqual(100);
      expect(statuses).toEqual(new Set([401]));
      // Default cooldown 10 s: the issuer sees at most 6 fetches a minute from a flood.
      expect(issuer.requests.jwks - fetchesBefore).toBe(0);
      await expectOk(await issuer.sign());
    });

    it('a flood of random kids costs at most one fetch per cooldown', async () => {
      await boot({ OKTA_JWKS_COOLDOWN: String(COOLDOWN_S) });
      await app!.listen(0, '127.0.0.1');
      const url = `${await app!.getUrl()}/api/messages`;
      await expectOk(await issuer.sign());
      const fetchesBefore = issuer.requests.jwks;
      const started = Date.now();
      const { sent, statuses } = await floodRandomKids(url, 2500);
      const elapsedS = (Date.now() - started) / 1000;
      const fetches = issuer.requests.jwks - fetchesBefore;
      expect(sent).toBeGreaterThanOrEqual(100);
      expect(statuses).toEqual(new Set([401]));
      expect(fetches).toBeGreaterThanOrEqual(1);
      expect(fetches).toBeLessThanOrEqual(Math.ceil(elapsedS / COOLDOWN_S) + 1);
    });
  });
});
