import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { WWWAuthError } from '@okta/okta-auth-js';
import { AppModule } from '../src/app.module';
import { ConfigError } from '../src/config/config.error';
import { loadAppConfig } from '../src/config/load-app-config';
import { createFastifyAdapter } from '../src/create-fastify-adapter';
import { bootApp } from './support/boot-app';
import { LogCapture } from './support/log-capture';
import { startServer } from './support/spawn-server';
import { sample } from './support/prometheus-text';
import { DPOP_ALGS, expectInsufficientScope, expectInvalidToken, REALM, RESOURCE_METADATA } from './support/refusals';
import { ConflictingProbeModule, StepUpProbeModule } from './support/step-up-probe.module';
import { TestIssuer } from './support/test-issuer';

const TWO_FA = 'urn:okta:loa:2fa:any';
const PASSWORD = 'urn:okta:loa:1fa:pwd';
const SENSITIVE = '/api/messages/sensitive';
const TOLERANCE = 30;

const DESCRIPTION = {
  acr: 'a stronger user authentication is required',
  max_age: 'a more recent user authentication is required',
  both: 'a stronger and more recent user authentication is required',
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The exact RFC 9470 §3 refusal: 401, the challenge with only the parameters that failed, the JSON body. */
function expectStepUp(res: request.Response, expected: { acr_values?: string; max_age?: number }): void {
  const description =
    expected.acr_values !== undefined && expected.max_age !== undefined
      ? DESCRIPTION.both
      : expected.acr_values !== undefined
        ? DESCRIPTION.acr
        : DESCRIPTION.max_age;
  const params = [
    `realm="${REALM}"`,
    'error="insufficient_user_authentication"',
    `error_description="${description}"`,
    ...(expected.acr_values !== undefined ? [`acr_values="${expected.acr_values}"`] : []),
    ...(expected.max_age !== undefined ? [`max_age="${expected.max_age}"`] : []),
    `resource_metadata="${RESOURCE_METADATA}"`,
  ];
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 401,
    challenge: `Bearer ${params.join(', ')}`,
    body: { statusCode: 401, error: 'Unauthorized', message: description },
  });
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('step-up authentication (RFC 9470)', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;
  let logs: LogCapture;

  const get = async (path: string, claims: Record<string, unknown>, headers: Record<string, string> = {}) =>
    request(app!.getHttpServer())
      .get(path)
      .set(headers)
      .set('Authorization', `Bearer ${await issuer.sign(claims)}`);

  async function boot(env: Record<string, string> = {}) {
    await app?.close();
    app = undefined;
    logs = new LogCapture();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, ...env }, { imports: [StepUpProbeModule], logDestination: logs });
  }

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  describe('@RequireAuthentication on GET /api/messages/sensitive (acr urn:okta:loa:2fa:any, maxAge 300)', () => {
    beforeAll(() => boot());

    it('lets a recent two-factor sign-in through', async () => {
      const res = await get(SENSITIVE, { acr: TWO_FA, auth_time: nowSeconds() - 60 });
      expect(res.status).toBe(200);
      expect(res.body.messages).toHaveLength(1);
    });

    it('never asks anything of the ordinary messages: no acr, no auth_time is fine there', async () => {
      expect((await get('/api/messages', {})).status).toBe(200);
      expect((await get('/api/messages', { acr: PASSWORD, auth_time: nowSeconds() - 86_400 })).status).toBe(200);
    });

    describe('acr, compared exactly as a whole string', () => {
      it.each([
        ['a weaker acr', PASSWORD],
        ['a lookalike that may have ended with one factor', 'urn:okta:loa:2fa:any:ifpossible'],
        ['the same letters in another case', 'URN:OKTA:LOA:2FA:ANY'],
        ['a prefix', 'urn:okta:loa:2fa'],
        ['padding', ` ${TWO_FA}`],
        ['no acr at all', undefined],
        ['an acr that is an array holding the value', [TWO_FA]],
        ['an acr that is a number', 2],
        ['an acr that is an object', { value: TWO_FA }],
        ['an acr that is null', null],
      ])('refuses %s with acr_values only', async (_case, acr) => {
        expectStepUp(await get(SENSITIVE, { acr, auth_time: nowSeconds() - 10 }), { acr_values: TWO_FA });
      });
    });

    describe('auth_time, a NumericDate within maxAge plus the clock tolerance', () => {
      it('refuses a sign-in older than maxAge + tolerance with max_age only', async () => {
        expectStepUp(await get(SENSITIVE, { acr: TWO_FA, auth_time: nowSeconds() - 300 - TOLERANCE - 5 }), { max_age: 300 });
      });
      it('accepts one older than maxAge but within the tolerance', async () => {
        expect((await get(SENSITIVE, { acr: TWO_FA, auth_time: nowSeconds() - 300 - TOLERANCE + 10 })).status).toBe(200);
      });
      it('refuses a token without auth_time with max_age only', async () => {
        expectStepUp(await get(SENSITIVE, { acr: TWO_FA }), { max_age: 300 });
      });
      it('refuses an auth_time in the future beyond the tolerance as an invalid token, here and on every route', async () => {
        const future = { acr: TWO_FA, auth_time: nowSeconds() + TOLERANCE + 60 };
        expectInvalidToken(await get(SENSITIVE, future), 'authenticated_in_future');
        expectInvalidToken(await get('/api/messages', future), 'authenticated_in_future');
      });
      it('accepts an auth_time a little ahead, within the tolerance', async () => {
        expect((await get(SENSITIVE, { acr: TWO_FA, auth_time: nowSeconds() + 10 })).status).toBe(200);
      });
      it.each([['a string', String(nowSeconds())], ['an array', [nowSeconds()]], ['null', null]])(
        'refuses an auth_time that is %s as a malformed token',
        async (_case, authTime) => {
          expectInvalidToken(await get(SENSITIVE, { acr: TWO_FA, auth_time: authTime }), 'malformed');
        },
      );
    });

    it('names both when both fail', async () => {
      expectStepUp(await get(SENSITIVE, { acr: PASSWORD, auth_time: nowSeconds() - 3600 }), { acr_values: TWO_FA, max_age: 300 });
      expectStepUp(await get(SENSITIVE, {}), { acr_values: TWO_FA, max_age: 300 });
    });

    it("renders a challenge okta-auth-js's own parser reads back whole", async () => {
      const res = await get(SENSITIVE, { acr: PASSWORD });
      const parsed = WWWAuthError.parseHeader(res.headers['www-authenticate']);
      expect(parsed?.scheme).toBe('Bearer');
      expect(parsed?.parameters).toEqual({
        realm: REALM,
        error: 'insufficient_user_authentication',
        error_description: DESCRIPTION.both,
        acr_values: TWO_FA,
        max_age: '300',
        resource_metadata: RESOURCE_METADATA,
      });
    });

    it('lets a browser SPA read the challenge (CORS exposes WWW-Authenticate)', async () => {
      const res = await get(SENSITIVE, { acr: PASSWORD, auth_time: nowSeconds() }, { Origin: 'http://localhost:8080' });
      expectStepUp(res, { acr_values: TWO_FA });
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:8080');
      expect(res.headers['access-control-expose-headers']?.toLowerCase()).toContain('www-authenticate');
    });

    it('checks every request, also for a token served from the verified-token cache', async () => {
      const token = await issuer.sign({ acr: PASSWORD, auth_time: nowSeconds() });
      const call = (path: string) => request(app!.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
      // Admitted to the cache on its second verification; the third is a cache hit.
      for (let i = 0; i < 3; i++) expect((await call('/api/messages')).status).toBe(200);
      expectStepUp(await call(SENSITIVE), { acr_values: TWO_FA });
    });

    it('logs the reason and what failed, never the token, and counts it', async () => {
      const token = await issuer.sign({ acr: PASSWORD, auth_time: nowSeconds() - 3600 });
      const metricsBefore = (await request(app!.getHttpServer()).get('/metrics')).text;
      const res = await request(app!.getHttpServer()).get(SENSITIVE).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      const line = logs.refusalLine(res.headers['x-request-id']);
      expect(line).toMatchObject({
        level: 'warn',
        reason: 'insufficient_user_authentication',
        status: 401,
        unmet: 'acr,max_age',
        acr: PASSWORD,
        sub: 'user@example.com',
      });
      expect(logs.text()).not.toContain(token);
      expect(logs.text()).not.toContain(token.split('.')[2]);

      const metrics = (await request(app!.getHttpServer()).get('/metrics')).text;
      const refused = { outcome: 'refused', reason: 'insufficient_user_authentication' };
      expect(sample(metrics, 'auth_decisions_total', refused)).toBe(sample(metricsBefore, 'auth_decisions_total', refused)! + 1);
      const both = { unmet: 'acr,max_age' };
      expect(sample(metrics, 'auth_step_up_refusals_total', both)).toBe(sample(metricsBefore, 'auth_step_up_refusals_total', both)! + 1);
      expect(sample(metrics, 'auth_step_up_refusals_total', { unmet: 'acr' })).toBeDefined();
      expect(sample(metrics, 'auth_step_up_refusals_total', { unmet: 'max_age' })).toBeDefined();
    });

    it('describes the requirement in /api/docs where it applies, and only there', async () => {
      const { body } = await request(app!.getHttpServer()).get('/api/docs-json').expect(200);
      const sensitive = body.paths['/api/messages/sensitive'].get;
      expect(sensitive['x-required-user-authentication']).toEqual({ acr_values: [TWO_FA], max_age: 300 });
      expect(sensitive.description).toContain('Step-up authentication (RFC 9470)');
      expect(sensitive.responses['401'].description).toContain('insufficient_user_authentication');
      expect(body.paths['/api/messages'].get['x-required-user-authentication']).toBeUndefined();
    });
  });

  describe('order: validity first, then scopes, then step-up', () => {
    beforeAll(() => boot({ OKTA_REQUIRED_SCOPES: 'messages:read' }));

    it('an expired token with a weak sign-in is invalid_token', async () => {
      expectInvalidToken(await get(SENSITIVE, { acr: PASSWORD, exp: nowSeconds() - 3600, scp: ['messages:read'] }), 'expired');
    });
    it('a token from another issuer with a weak sign-in is invalid_token', async () => {
      expectInvalidToken(await get(SENSITIVE, { acr: PASSWORD, iss: 'https://evil.example.com', scp: ['messages:read'] }), 'wrong_issuer');
    });
    it('a forged token with a weak sign-in is invalid_token', async () => {
      const token = await issuer.sign({ acr: PASSWORD, scp: ['messages:read'] });
      const forged = `${token.slice(0, token.lastIndexOf('.'))}.${Buffer.from('x'.repeat(256)).toString('base64url')}`;
      const res = await request(app!.getHttpServer()).get(SENSITIVE).set('Authorization', `Bearer ${forged}`);
      expectInvalidToken(res, 'bad_signature');
    });
    it('a future auth_time with a weak acr is invalid_token, not step-up', async () => {
      expectInvalidToken(await get(SENSITIVE, { acr: PASSWORD, auth_time: nowSeconds() + 3600, scp: ['messages:read'] }), 'authenticated_in_future');
    });
    it('a missing scope is 403 insufficient_scope before any step-up: a new sign-in would not grant it', async () => {
      expectInsufficientScope(await get(SENSITIVE, { acr: PASSWORD, scp: ['openid'] }), 'messages:read');
      expectInsufficientScope(await get('/api/step-up-probe/scoped', { acr: PASSWORD, scp: ['messages:read'] }), 'messages:read payments:approve');
    });
    it('with the scopes granted, the weak sign-in is what is refused', async () => {
      expectStepUp(await get(SENSITIVE, { acr: PASSWORD, auth_time: nowSeconds(), scp: ['messages:read'] }), { acr_values: TWO_FA });
      expectStepUp(await get('/api/step-up-probe/scoped', { acr: PASSWORD, auth_time: nowSeconds(), scp: ['messages:read', 'payments:approve'] }), {
        acr_values: `${TWO_FA} phr`,
      });
    });
    it('a request without a token is the bare challenge', async () => {
      const res = await request(app!.getHttpServer()).get(SENSITIVE);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="${REALM}", resource_metadata="${RESOURCE_METADATA}", DPoP algs="${DPOP_ALGS}", resource_metadata="${RESOURCE_METADATA}"`,
      );
    });
  });

  describe('controller and handler decorators combine: every requirement holds', () => {
    beforeAll(() => boot());

    it('the controller requirement applies to a handler without its own', async () => {
      expect((await get('/api/step-up-probe/class-only', { acr: 'phr', auth_time: nowSeconds() - 500 })).status).toBe(200);
      expectStepUp(await get('/api/step-up-probe/class-only', { acr: PASSWORD, auth_time: nowSeconds() }), { acr_values: `${TWO_FA} phr` });
      expectStepUp(await get('/api/step-up-probe/class-only', { acr: TWO_FA, auth_time: nowSeconds() - 700 }), { max_age: 600 });
    });
    it('acr lists intersect, in the handler order, and the smaller maxAge applies', async () => {
      expect((await get('/api/step-up-probe/narrowed', { acr: 'phr', auth_time: nowSeconds() - 30 })).status).toBe(200);
      // Each list alone would take these; together only phr is in both.
      expectStepUp(await get('/api/step-up-probe/narrowed', { acr: TWO_FA, auth_time: nowSeconds() }), { acr_values: 'phr' });
      expectStepUp(await get('/api/step-up-probe/narrowed', { acr: 'phrh', auth_time: nowSeconds() }), { acr_values: 'phr' });
      expectStepUp(await get('/api/step-up-probe/narrowed', { acr: 'phr', auth_time: nowSeconds() - 60 - TOLERANCE - 5 }), { max_age: 60 });
    });
    it("a handler's maxAge keeps the controller's acr list", async () => {
      expect((await get('/api/step-up-probe/fresher', { acr: TWO_FA, auth_time: nowSeconds() - 100 })).status).toBe(200);
      expectStepUp(await get('/api/step-up-probe/fresher', { acr: PASSWORD, auth_time: nowSeconds() - 200 }), {
        acr_values: `${TWO_FA} phr`,
        max_age: 120,
      });
    });
    it('@Public on a handler does not lift the controller requirement: the route needs a token (as with scopes)', async () => {
      const res = await request(app!.getHttpServer()).get('/api/step-up-probe/public');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).not.toContain('error=');
    });
    it('a cached token is refused once its sign-in has aged past maxAge', async () => {
      await boot({ OKTA_CLOCK_TOLERANCE: '0' });
      const signedInAt = nowSeconds();
      const token = await issuer.sign({ auth_time: signedInAt });
      const call = () => request(app!.getHttpServer()).get('/api/step-up-probe-age').set('Authorization', `Bearer ${token}`);
      // maxAge 1, no tolerance: good until the clock passes signedInAt + 1. Twice to get it cached.
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      while (nowSeconds() <= signedInAt + 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expectStepUp(await call(), { max_age: 1 });
    });
  });

  describe('OKTA_REQUIRED_ACR and OKTA_MAX_AUTH_AGE', () => {
    beforeAll(() => boot({ OKTA_REQUIRED_ACR: `${TWO_FA}, phr`, OKTA_MAX_AUTH_AGE: '600' }));

    it('apply to every protected route', async () => {
      expect((await get('/api/messages', { acr: 'phr', auth_time: nowSeconds() - 500 })).status).toBe(200);
      expectStepUp(await get('/api/messages', { acr: PASSWORD, auth_time: nowSeconds() }), { acr_values: `${TWO_FA} phr` });
      expectStepUp(await get('/api/messages', { acr: TWO_FA, auth_time: nowSeconds() - 700 }), { max_age: 600 });
      expectStepUp(await get('/api/messages', {}), { acr_values: `${TWO_FA} phr`, max_age: 600 });
    });
    it('leave public routes open', async () => {
      await request(app!.getHttpServer()).get('/api/health').expect(200);
    });
    it('combine with the decorator: the intersection of the acr lists and the smaller maxAge', async () => {
      expect((await get(SENSITIVE, { acr: TWO_FA, auth_time: nowSeconds() - 100 })).status).toBe(200);
      expectStepUp(await get(SENSITIVE, { acr: 'phr', auth_time: nowSeconds() }), { acr_values: TWO_FA });
      expectStepUp(await get(SENSITIVE, { acr: TWO_FA, auth_time: nowSeconds() - 400 }), { max_age: 300 });
    });
    it('combine with controller and handler decorators at once', async () => {
      // Settings {2fa, phr} ∩ controller {2fa, phr} ∩ handler {phrh, phr} = {phr}; min(600, 600, 60) = 60.
      expectStepUp(await get('/api/step-up-probe/narrowed', { acr: TWO_FA, auth_time: nowSeconds() - 100 }), {
        acr_values: 'phr',
        max_age: 60,
      });
    });
    it('show in /api/docs on every protected route', async () => {
      const { body } = await request(app!.getHttpServer()).get('/api/docs-json').expect(200);
      expect(body.paths['/api/messages'].get['x-required-user-authentication']).toEqual({ acr_values: [TWO_FA, 'phr'], max_age: 600 });
      expect(body.paths['/api/messages/sensitive'].get['x-required-user-authentication']).toEqual({ acr_values: [TWO_FA], max_age: 300 });
      expect(body.paths['/api/health'].get['x-required-user-authentication']).toBeUndefined();
    });
  });

  describe('settings and requirements no token could meet stop the start with one line', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'step-up-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      ['an OKTA_MAX_AUTH_AGE that is not a number of seconds', { OKTA_MAX_AUTH_AGE: '5m' }, /^OKTA_MAX_AUTH_AGE: must be an integer/],
      ['a negative OKTA_MAX_AUTH_AGE', { OKTA_MAX_AUTH_AGE: '-1' }, /^OKTA_MAX_AUTH_AGE: /],
      ['an OKTA_REQUIRED_ACR value with a quote', { OKTA_REQUIRED_ACR: 'urn:okta:loa:2fa:any "phr"' }, /^OKTA_REQUIRED_ACR: "\"phr\"" is not an acr value/],
      [
        'an OKTA_REQUIRED_ACR sharing no value with a route decorator',
        { OKTA_REQUIRED_ACR: 'phr' },
        /^OKTA_REQUIRED_ACR: SensitiveMessagesController\.sensitive combines acr lists with no value in common/,
      ],
    ])('%s', async (_case, env, message) => {
      const { code, signal, stdout, stderr } = await startServer(
        { PORT: '0', HOST: '127.0.0.1', OKTA_ISSUER: issuer.issuer, ...env },
        dir,
      ).exit();
      expect({ code, signal }).toEqual({ code: 1, signal: null });
      const lines = stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0].replace(/^configuration error: /, '')).toMatch(message);
      expect(stdout).not.toMatch(/listening/);
    });

    it('a handler acr list sharing no value with its controller list names the decorator and the route', async () => {
      const config = loadAppConfig({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json' });
      const moduleRef = await Test.createTestingModule({
        imports: [AppModule.forRoot(config, { logDestination: { write: () => undefined } }), ConflictingProbeModule],
      }).compile();
      const conflicting = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), { logger: false });
      try {
        await expect(conflicting.init()).rejects.toThrow(
          new ConfigError('@RequireAuthentication', 'ConflictingController.never combines acr lists with no value in common (every list must be met, so no token could be accepted)'),
        );
      } finally {
        await conflicting.close();
      }
    });
  });
});
