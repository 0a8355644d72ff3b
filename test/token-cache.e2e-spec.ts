import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthDecisionEvents } from '../src/auth/auth-decision-events';
import { VerifiedTokenCache } from '../src/auth/cache/verified-token-cache';
import { SigningKeyStore } from '../src/auth/keys/signing-key-store';
import { bootApp } from './support/boot-app';
import { sleep } from './support/refusals';
import { TestIssuer } from './support/test-issuer';


describe('verified-token cache', () => {
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
  const cacheOf = () => app!.get(VerifiedTokenCache);

  /** Whether each allowed request was served from the cache, in order. */
  const servedFromCache = () => {
    const flags: boolean[] = [];
    app!.get(AuthDecisionEvents).on('allowed', (_claims, cached) => flags.push(cached));
    return flags;
  };

  /** Two verified requests: a token is admitted to the cache on its second verification. */
  const getCached = async (token: string) => {
    await get(token).expect(200);
    await get(token).expect(200);
  };

  it('admits a token on its second verification and serves it from the cache after that', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    const flags = servedFromCache();
    const token = await issuer.sign();
    await get(token).expect(200);
    expect(cacheOf().size).toBe(0);
    await get(token).expect(200);
    await get(token).expect(200);
    await get(token).expect(200);
    expect(flags).toEqual([false, false, true, true]);
    expect(cacheOf().size).toBe(1);
  });

  it('never admits a token seen once, so a flood of them cannot evict an active client', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_CACHE_SIZE: '25' });
    const active = await issuer.sign({ jti: 'active-client' });
    await getCached(active);
    const flags = servedFromCache();
    for (let i = 0; i < 100; i++) await get(await issuer.sign({ jti: `one-shot-${i}` })).expect(200);
    expect(cacheOf().size).toBe(1);
    await get(active).expect(200);
    expect(flags.at(-1)).toBe(true);
    expect(flags.filter(Boolean)).toHaveLength(1);
  });

  it('hands out frozen claims, so no handler can change what later requests are granted', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    const token = await issuer.sign();
    await getCached(token);
    const claims = cacheOf().get(cacheOf().idOf(token))!;
    expect(Object.isFrozen(claims)).toBe(true);
    expect(Object.isFrozen(claims.scp)).toBe(true);
    expect(() => (claims.scp as string[]).push('admin')).toThrow(TypeError);
  });

  it('refuses a cached token once it has expired', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLOCK_TOLERANCE: '0' });
    // Time enough to cache it on a busy machine; the wait below is until exp, however long that took.
    const exp = Math.floor(Date.now() / 1000) + 4;
    const token = await issuer.sign({ exp });
    await getCached(token);
    expect(cacheOf().size).toBe(1);
    await sleep(exp * 1000 - Date.now() + 100);
    const res = await get(token).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.message).toBe('the access token has expired');
  });

  it('refuses a cached token whose signing key the issuer rotated out', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_COOLDOWN: '1' });
    const oldKid = issuer.currentKid;
    const oldToken = await issuer.sign();
    await getCached(oldToken);
    expect(cacheOf().size).toBe(1);

    // Rotation: a new key appears, the old one is withdrawn. The first token signed with the new
    // key makes the server refetch (after the cooldown), which is when it learns the old is gone.
    await issuer.addKey();
    issuer.removeKey(oldKid);
    await sleep(1100);
    await get(await issuer.sign()).expect(200);

    const res = await get(oldToken).expect(401);
    expect(res.body.message).toBe('no signing key of the issuer matches the access token kid');
  });

  it('does not let a tampered copy of a cached token through', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    const token = await issuer.sign();
    await getCached(token);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'admin@example.com' })).toString('base64url');
    const res = await get(`${header}.${forgedPayload}.${signature}`).expect(401);
    expect(res.body.message).toBe('the access token signature is invalid');
  });

  it('refuses a cached token once the signing keys are older than the max-stale age', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_MAX_STALE: '4', OKTA_JWKS_COOLDOWN: '1' });
    const token = await issuer.sign();
    await getCached(token);
    issuer.mode = 'down';
    await get(token).expect(200);
    // Until the keys are older than the max-stale age, counted from when they were fetched.
    await sleep(app.get(SigningKeyStore).status().fetchedAt!.getTime() + 4100 - Date.now());
    const res = await get(token).expect(401);
    expect(res.body.message).toBe('the issuer signing keys are unavailable, try again later');
  });

  it('refuses a cached token when the issuer republishes its kid with another key', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_COOLDOWN: '1', OKTA_JWKS_REFRESH_INTERVAL: '1' });
    const kid = issuer.currentKid;
    const token = await issuer.sign();
    await getCached(token);
    const flags = servedFromCache();

    await issuer.addKey(kid); // same kid, new key material
    await sleep(1100);
    // Past the refresh interval: answered from cache while the keys are refreshed in the background.
    const refreshed = new Promise((resolve) => app!.get(SigningKeyStore).events.once('fetch', resolve));
    await get(token).expect(200);
    await refreshed;

    const res = await get(token).expect(401);
    expect(res.body.message).toBe('the access token signature is invalid');
    expect(flags).toEqual([true]);
  });

  it('stays within its bound under a flood of distinct valid tokens, each sent twice', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_CACHE_SIZE: '25' });
    for (let i = 0; i < 100; i++) {
      await getCached(await issuer.sign({ jti: `flood-${i}` }));
      expect(cacheOf().size).toBeLessThanOrEqual(25);
    }
    expect(cacheOf().size).toBe(25);
  });

  it('holds no more bytes than OKTA_TOKEN_CACHE_MAX_MB when large tokens fill it, evicting the oldest', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_CACHE_MAX_MB: '1' });
    const bound = 1024 * 1024;
    // ~11 KB tokens (8 KB of claims): a hundred would take ~1.7 MB by the cache's estimate.
    const tokens: string[] = [];
    for (let i = 0; i < 100; i++) {
      tokens.push(await issuer.sign({ jti: `large-${i}`, groups: `${i}`.padEnd(8000, 'g') }));
      await getCached(tokens[i]);
      expect(cacheOf().estimatedBytes).toBeLessThanOrEqual(bound);
    }
    expect(tokens[99].length).toBeGreaterThan(10_000);
    expect(cacheOf().size).toBeLessThan(100);
    expect(cacheOf().estimatedBytes).toBeGreaterThan(bound / 2);

    const flags = servedFromCache();
    await get(tokens[99]).expect(200);
    await get(tokens[0]).expect(200);
    expect(flags).toEqual([true, false]);
  });

  it('can be turned off', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_CACHE_SIZE: '0' });
    const token = await issuer.sign();
    await get(token).expect(200);
    await get(token).expect(200);
    expect(cacheOf().size).toBe(0);
  });

  it('never caches a refused token, however often it is sent', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    const wrongAudience = await issuer.sign({ aud: 'api://other' });
    for (let i = 0; i < 3; i++) {
      await get(wrongAudience).expect(401);
      await get('not-a-jwt').expect(401);
    }
    expect(cacheOf().size).toBe(0);
  });
});
