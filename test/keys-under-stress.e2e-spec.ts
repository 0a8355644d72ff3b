import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { VerifiedTokenCache } from '../src/auth/cache/verified-token-cache';
import { SigningKeyStore } from '../src/auth/keys/signing-key-store';
import { bootApp } from './support/boot-app';
import { eventually } from './support/eventually';
import { sleep } from './support/refusals';
import { craftToken, rs256, TestIssuer } from './support/test-issuer';


/** Waits for the key store's first fetch (started at boot) so counts start from a known state. */
async function keysLoaded(app: NestFastifyApplication): Promise<void> {
  const store = app.get(SigningKeyStore);
  await eventually(async () => store.status().keyCount > 0 || undefined, 15_000, 20);
}

describe('signing keys under stress', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;

  beforeEach(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await issuer.close();
  });

  const get = (token: string) =>
    request(app!.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);

  it('refreshes keys ahead of time in the background, so a new key needs no request to wait', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_REFRESH_INTERVAL: '1', OKTA_JWKS_COOLDOWN: '1' });
    await keysLoaded(app);
    const oldKid = issuer.currentKid;
    await get(await issuer.sign()).expect(200);
    const fetchesBefore = issuer.requests.jwks;

    await issuer.addKey();
    await sleep(1100);
    // Answered from the cached keys at once; being past the refresh interval, it starts a refresh.
    await get(await issuer.sign({}, { kid: oldKid })).expect(200);
    await eventually(async () => issuer.requests.jwks > fetchesBefore || undefined, 15_000, 20);
    expect(issuer.requests.jwks).toBe(fetchesBefore + 1);

    // The new key was learnt in the background: its first token costs no fetch.
    await get(await issuer.sign()).expect(200);
    expect(issuer.requests.jwks).toBe(fetchesBefore + 1);
  });

  it('keeps serving cached keys while the issuer is down, but only up to the max-stale age', async () => {
    app = await bootApp({
      OKTA_ISSUER: issuer.issuer,
      // Wide enough that the first request after the outage lands inside it even on a busy machine.
      OKTA_JWKS_MAX_STALE: '8',
      OKTA_JWKS_COOLDOWN: '1',
      OKTA_TOKEN_CACHE_SIZE: '0',
    });
    await keysLoaded(app);
    await get(await issuer.sign()).expect(200);

    issuer.mode = 'down';
    await get(await issuer.sign()).expect(200);

    // Past the max-stale age of the last successful fetch: the product's rule, not a guess at speed.
    await sleep(app.get(SigningKeyStore).status().fetchedAt!.getTime() + 8_100 - Date.now());
    const res = await get(await issuer.sign()).expect(401);
    expect(res.body.message).toBe('the issuer signing keys are unavailable, try again later');

    issuer.mode = 'up';
    const back = await eventually(async () => ((await get(await issuer.sign())).status === 200 ? true : undefined), 15_000);
    expect(back).toBe(true);
  });

  it('gives up on a hanging JWKS endpoint by the fetch deadline and answers 401', async () => {
    issuer.mode = 'hang';
    // The hang ends with the keys after 20 s: a 401 means the deadline answered, well before that.
    issuer.hangMs = 20_000;
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_TIMEOUT_MS: '300', OKTA_JWKS_COOLDOWN: '1' });
    await sleep(1100);
    const res = await get(await issuer.sign()).expect(401);
    expect(res.body.message).toBe('the issuer signing keys are unavailable, try again later');
  });

  it('answers a flood of unknown kids without asking the issuer again within the cooldown', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    await keysLoaded(app);
    const fetchesBefore = issuer.requests.jwks;
    const privateKey = issuer.privateKeyOf(issuer.currentKid);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        get(craftToken({ alg: 'RS256', kid: `random-${i}` }, issuer.claims(), rs256(privateKey))),
      ),
    );
    expect(results.every((r) => r.status === 401)).toBe(true);
    // Default cooldown 10 s: the whole flood may cost the issuer one fetch at most.
    expect(issuer.requests.jwks - fetchesBefore).toBeLessThanOrEqual(1);
    expect(app.get(SigningKeyStore).status().keyCount).toBe(1);
  });

  it('keeps memory bounded under floods of garbage, random kids and distinct valid tokens', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_CACHE_SIZE: '100' });
    await keysLoaded(app);
    const privateKey = issuer.privateKeyOf(issuer.currentKid);
    const heapBefore = process.memoryUsage().heapUsed;
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const n = round * 100 + i;
          await get(`garbage.${n}.${'x'.repeat(n % 50)}`).expect(401);
          await get(craftToken({ alg: 'RS256', kid: `kid-${n}` }, issuer.claims(), rs256(privateKey))).expect(401);
          // Twice: the cache admits a token on its second verification, so the flood fills the cache.
          const valid = await issuer.sign({ jti: `valid-${n}` });
          await get(valid).expect(200);
          await get(valid).expect(200);
        }),
      );
    }
    // The structural bounds: the cache holds at most its size, the key store only the issuer's keys.
    expect(app.get(VerifiedTokenCache).size).toBe(100);
    expect(app.get(SigningKeyStore).status().keyCount).toBe(1);
    // And a loose check that nothing else grew per request (2,000 requests, ~1 KB each if leaked).
    global.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
