import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { ProbeModule } from './support/probe.module';
import { expectInsufficientScope, expectInvalidToken } from './support/refusals';
import { TestIssuer } from './support/test-issuer';

describe('scopes', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;
  const get = async (path: string, claims: Record<string, unknown>) =>
    request(app!.getHttpServer())
      .get(path)
      .set('Authorization', `Bearer ${await issuer.sign(claims)}`);

  async function boot(env: Record<string, string> = {}) {
    await app?.close();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, ...env }, { imports: [ProbeModule] });
  }

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  describe('without OKTA_REQUIRED_SCOPES', () => {
    beforeAll(() => boot());

    it("accepts Okta's test token that carries only openid", async () => {
      expect((await get('/api/messages', { scp: ['openid'] })).status).toBe(200);
    });
    it('accepts a token without any scope', async () => {
      expect((await get('/api/messages', { scp: undefined })).status).toBe(200);
    });
  });

  describe('with OKTA_REQUIRED_SCOPES="messages:read, profile"', () => {
    beforeAll(() => boot({ OKTA_REQUIRED_SCOPES: 'messages:read, profile' }));

    it('accepts them in an scp array (Okta)', async () => {
      expect((await get('/api/messages', { scp: ['openid', 'profile', 'messages:read'] })).status).toBe(200);
    });
    it('accepts them in a scope string (RFC 9068 issuers)', async () => {
      expect((await get('/api/messages', { scp: undefined, scope: 'openid messages:read profile' })).status).toBe(200);
    });
    it('refuses a token lacking one with 403 insufficient_scope naming what is needed', async () => {
      expectInsufficientScope(await get('/api/messages', { scp: ['openid', 'profile'] }), 'messages:read profile');
      expectInsufficientScope(await get('/api/messages', { scp: undefined, scope: 'messages:read' }), 'messages:read profile');
    });
    it('refuses a token without scopes', async () => {
      expectInsufficientScope(await get('/api/messages', { scp: undefined }), 'messages:read profile');
    });
    it('does not split scp entries or match substrings', async () => {
      expectInsufficientScope(await get('/api/messages', { scp: ['messages:read profile'] }), 'messages:read profile');
      expectInsufficientScope(await get('/api/messages', { scp: undefined, scope: 'messages:readprofile' }), 'messages:read profile');
    });
    it('refuses a wrongly typed scp as an invalid token, not a scope problem', async () => {
      expectInvalidToken(await get('/api/messages', { scp: 'messages:read profile' }), 'malformed');
    });
    it('checks the token before the scopes: an expired token is a 401', async () => {
      expectInvalidToken(await get('/api/messages', { exp: Math.floor(Date.now() / 1000) - 3600 }), 'expired');
    });
    it('leaves public routes open', async () => {
      await request(app!.getHttpServer()).get('/api/health').expect(200);
      await request(app!.getHttpServer()).get('/api/probe/public').expect(200);
    });
  });

  describe('@Scopes (all of) and @AnyScope (one of)', () => {
    beforeAll(() => boot());

    it('@Scopes needs every scope', async () => {
      expect((await get('/api/probe/all-of', { scp: ['messages:read', 'messages:write'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe/all-of', { scp: ['messages:read'] }), 'messages:read messages:write');
    });
    it('@AnyScope needs one of them', async () => {
      expect((await get('/api/probe/any-of', { scp: ['messages:admin'] })).status).toBe(200);
      expect((await get('/api/probe/any-of', { scp: undefined, scope: 'admin' })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe/any-of', { scp: ['messages:read'] }), 'admin messages:admin');
    });
  });

  describe('OKTA_REQUIRED_SCOPES adds to a route\'s own scopes', () => {
    beforeAll(() => boot({ OKTA_REQUIRED_SCOPES: 'api' }));

    it('@Scopes route needs both', async () => {
      expect((await get('/api/probe/all-of', { scp: ['api', 'messages:read', 'messages:write'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe/all-of', { scp: ['messages:read', 'messages:write'] }), 'api messages:read messages:write');
    });
    it('@AnyScope route needs the required one and one of its own', async () => {
      expect((await get('/api/probe/any-of', { scp: ['api', 'admin'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe/any-of', { scp: ['admin'] }), 'api');
      expectInsufficientScope(await get('/api/probe/any-of', { scp: ['api'] }), 'admin messages:admin');
    });
  });
});
