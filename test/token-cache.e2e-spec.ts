import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { VerifiedTokenCache } from '../src/auth/cache/verified-token-cache';
import { bootApp } from './support/boot-app';
import { TestIssuer } from './support/test-issuer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('serves a repeated token from the cache', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    const token = await issuer.sign();
    await get(token).expect(200);
    expect(cacheOf().size).toBe(1);
    await get(token).expect(200);
    expect(cacheOf().size).toBe(1);
  });

  it('refuses a cached token once it has expired', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLOCK_TOLERANCE: '0' });
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await issuer.sign({ exp });
    await get(token).expect(200);
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
    await get(oldToken).expect(200);
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
    await get(token).expect(200);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'admin@example.com' })).toString('base64url');
    const res = await get(`${header}.${forgedPayload}.${signature}`).expect(401);
    expect(res.body.message).toBe('the access token signature is invalid');
  });

  it('stays within its bound under a flood of distinct valid tokens', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_CACHE_SIZE: '25' });
    for (let i = 0; i < 100; i++) {
      await get(await issuer.sign({ jti: `flood-${i}` })).expect(200);
      expect(cacheOf().size).toBeLessThanOrEqual(25);
    }
    expect(cacheOf().size).toBe(25);
  });

  it('can be turned off', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_CACHE_SIZE: '0' });
    const token = await issuer.sign();
    await get(token).expect(200);
    await get(token).expect(200);
    expect(cacheOf().size).toBe(0);
  });

  it('never caches a refused token', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
    await get(await issuer.sign({ aud: 'api://other' })).expect(401);
    await get('not-a-jwt').expect(401);
    expect(cacheOf().size).toBe(0);
  });
});
