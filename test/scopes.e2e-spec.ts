import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { ProbeModule } from './support/probe.module';
import { expectInsufficientScope, expectInvalidToken, expectMissingToken } from './support/refusals';
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
    it("accepts them in an scp string (Entra ID's shape)", async () => {
      expect((await get('/api/messages', { scp: 'openid messages:read profile' })).status).toBe(200);
      expectInsufficientScope(await get('/api/messages', { scp: 'messages:read' }), 'messages:read profile');
    });
    it('accepts them in a scope array (Spring Authorization Server)', async () => {
      expect((await get('/api/messages', { scp: undefined, scope: ['messages:read', 'profile'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/messages', { scp: undefined, scope: ['profile'] }), 'messages:read profile');
    });
    it('adds up scp and scope, whatever shape each has', async () => {
      expect((await get('/api/messages', { scp: 'messages:read', scope: ['profile'] })).status).toBe(200);
    });
    it('checks the token before the scopes: an expired token is a 401', async () => {
      expectInvalidToken(await get('/api/messages', { exp: Math.floor(Date.now() / 1000) - 3600 }), 'expired');
    });
    it('leaves public routes open', async () => {
      await request(app!.getHttpServer()).get('/api/health').expect(200);
      await request(app!.getHttpServer()).get('/api/probe/public').expect(200);
    });
  });

  describe('scope claims in the shapes issuers send (a string or an array of strings, in scp or scope)', () => {
    beforeAll(() => boot());

    it('accepts an Entra ID token (scp one space-delimited string) on a route that needs no scope', async () => {
      expect((await get('/api/messages', { scp: 'access_as_user User.Read' })).status).toBe(200);
    });
    it('accepts empty scope claims of either shape', async () => {
      expect((await get('/api/messages', { scp: '', scope: [] })).status).toBe(200);
    });
    it.each<[string, unknown]>([
      ['a number', 42],
      ['a boolean', true],
      ['null', null],
      ['an object', { 'messages:read': true }],
      ['an array holding a non-string', ['openid', 1]],
      ['a nested array', [['openid']]],
    ])('refuses %s in scp or scope as a malformed token', async (_, value) => {
      expectInvalidToken(await get('/api/messages', { scp: value }), 'malformed');
      expectInvalidToken(await get('/api/messages', { scp: undefined, scope: value }), 'malformed');
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

  /** One probe route per line of the composition table in src/auth/guards/route-policies.spec.ts. */
  describe('scope policies compose: every requirement of controller and handler holds', () => {
    beforeAll(() => boot());
    const anon = (path: string) => request(app!.getHttpServer()).get(path);

    it('controller @Scopes + handler @Scopes: both required', async () => {
      expect((await get('/api/probe-scoped/export', { scp: ['admin', 'reports:export', 'reports:read', 'eu'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe-scoped/export', { scp: ['reports:export', 'reports:read', 'eu'] }), 'admin reports:export');
      expectInsufficientScope(await get('/api/probe-scoped/export', { scp: ['admin', 'reports:read', 'eu'] }), 'admin reports:export');
    });
    it('controller @AnyScope + handler @AnyScope: each group holds', async () => {
      expectInsufficientScope(await get('/api/probe-scoped/export', { scp: ['admin', 'reports:export', 'eu'] }), 'reports:read reports:write');
      expectInsufficientScope(await get('/api/probe-scoped/export', { scp: ['admin', 'reports:export', 'reports:write'] }), 'eu us');
      expect((await get('/api/probe-scoped/export', { scp: 'admin reports:export reports:write us' })).status).toBe(200);
    });
    it('controller requirements hold on a handler without its own', async () => {
      expect((await get('/api/probe-scoped', { scp: ['admin', 'reports:read'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe-scoped', { scp: ['reports:read'] }), 'admin');
      expectInsufficientScope(await get('/api/probe-scoped', { scp: ['admin'] }), 'reports:read reports:write');
    });
    it('@Public() on a handler of a scoped controller: the controller scopes still need a token', async () => {
      expectMissingToken(await anon('/api/probe-scoped/ping'));
      expectInsufficientScope(await get('/api/probe-scoped/ping', { scp: ['reports:read'] }), 'admin');
      expect((await get('/api/probe-scoped/ping', { scp: ['admin', 'reports:read'] })).status).toBe(200);
    });
    it('@Scopes and @AnyScope on one handler: both hold', async () => {
      expect((await get('/api/probe/all-and-any', { scp: ['messages:read', 'admin'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe/all-and-any', { scp: ['messages:read'] }), 'admin messages:admin');
      expectInsufficientScope(await get('/api/probe/all-and-any', { scp: ['admin'] }), 'messages:read');
    });
    it('@Scopes twice on one handler: all of both', async () => {
      expect((await get('/api/probe/stacked', { scp: ['messages:read', 'messages:write'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe/stacked', { scp: ['messages:write'] }), 'messages:read messages:write');
    });
    it('@AnyScope twice on one handler: one of each', async () => {
      expect((await get('/api/probe/two-groups', { scp: ['admin', 'reports:write'] })).status).toBe(200);
      expectInsufficientScope(await get('/api/probe/two-groups', { scp: ['admin', 'messages:admin'] }), 'reports:read reports:write');
      expectInsufficientScope(await get('/api/probe/two-groups', { scp: ['reports:read'] }), 'admin messages:admin');
    });
    it('@Public() controller + handler @Scopes: needs a token and the scope', async () => {
      expectMissingToken(await anon('/api/probe-public/scoped'));
      expectInsufficientScope(await get('/api/probe-public/scoped', { scp: ['openid'] }), 'reports:read');
      expect((await get('/api/probe-public/scoped', { scp: ['reports:read'] })).status).toBe(200);
    });
    it('@Public() controller + handler @AnyScope: needs a token and one of the scopes', async () => {
      expectMissingToken(await anon('/api/probe-public/any-scoped'));
      expectInsufficientScope(await get('/api/probe-public/any-scoped', { scp: ['openid'] }), 'reports:read reports:write');
      expect((await get('/api/probe-public/any-scoped', { scp: ['reports:write'] })).status).toBe(200);
    });
    it('@Public() + @Scopes on one handler: needs a token and the scope', async () => {
      expectMissingToken(await anon('/api/probe/public-scoped'));
      expectInsufficientScope(await get('/api/probe/public-scoped', { scp: ['openid'] }), 'messages:read');
      expect((await get('/api/probe/public-scoped', { scp: ['messages:read'] })).status).toBe(200);
    });
    it('@Public() alone still needs no token', async () => {
      expect((await anon('/api/probe-public')).status).toBe(200);
      expect((await anon('/api/probe/public')).status).toBe(200);
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
