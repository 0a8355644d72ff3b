import { Controller, Get, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AccessTokenClaims } from '../src/auth/access-token-claims';
import { Claims } from '../src/auth/decorators/claims.decorator';
import { RequireActiveToken } from '../src/auth/decorators/require-active-token.decorator';
import { REFUSAL_DESCRIPTIONS, RefusalReason } from '../src/auth/errors/refusal-reason';
import { Env } from '../src/config/load-app-config';
import { bootApp } from './support/boot-app';
import { DpopKey } from './support/dpop-proof';
import { LogCapture } from './support/log-capture';
import { ProbeModule } from './support/probe.module';
import { sample } from './support/prometheus-text';
import { expectInsufficientScope, expectInvalidToken, expectMissingToken, sleep } from './support/refusals';
import { RecordingProxy } from './support/recording-proxy';
import { RegisteredClient, TestIntrospectionEndpoint } from './support/test-introspection-endpoint';
import { TestIssuer } from './support/test-issuer';

/** RFC 6749 §2.3.1 form-urlencodes id and secret before Basic: characters that would break a naive join. */
const BASIC: RegisteredClient = { id: 'rs:client 1', secret: 'S3cr:t+/%= é-never-logged', method: 'client_secret_basic' };
const POST: RegisteredClient = { id: 'rs-post', secret: 'post-secret-never-logged', method: 'client_secret_post' };
const PUBLIC: RegisteredClient = { id: '0oa-test-spa', method: 'none' };

@Controller('active')
class ActiveTokenController {
  @RequireActiveToken()
  @Get('now')
  now(@Claims() claims: AccessTokenClaims) {
    return { claims };
  }

  @Get('local')
  local(@Claims() claims: AccessTokenClaims) {
    return { claims };
  }
}

@Module({ controllers: [ActiveTokenController] })
class ActiveTokenProbeModule {}

describe('token introspection (RFC 7662)', () => {
  let endpoint: TestIntrospectionEndpoint;
  let app: NestFastifyApplication | undefined;
  let logs: LogCapture;

  beforeEach(async () => {
    endpoint = await TestIntrospectionEndpoint.start([BASIC, POST, PUBLIC]);
    logs = new LogCapture();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await endpoint.close();
  });

  const boot = async (env: Env = {}) => {
    app = await bootApp(
      {
        OKTA_ISSUER: endpoint.issuer,
        OKTA_TOKEN_VALIDATION: 'introspect',
        OKTA_INTROSPECTION_URI: endpoint.url,
        OKTA_INTROSPECTION_CLIENT_ID: BASIC.id,
        OKTA_INTROSPECTION_CLIENT_SECRET: BASIC.secret,
        LOG_LEVEL: 'info',
        ...env,
      },
      { imports: [ProbeModule, ActiveTokenProbeModule], logDestination: logs },
    );
    return app;
  };
  const get = (path: string, token?: string) => {
    const req = request(app!.getHttpServer()).get(path);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  /** A token with an active answer (overridden as given) at the endpoint. */
  const activeToken = (overrides: Record<string, unknown> = {}) => {
    const token = `opaque-${Math.random().toString(36).slice(2)}`;
    endpoint.answers.set(token, endpoint.activeAnswer(overrides));
    return token;
  };

  describe('an active answer', () => {
    it('lets the request through and hands the answer to @Claims', async () => {
      await boot();
      const token = activeToken();
      const res = await get('/api/probe/claims', token).expect(200);
      expect(res.body.claims).toMatchObject({ active: true, sub: 'user@example.com', uid: '00u-test-user', scope: 'openid profile email' });
      expect(endpoint.calls).toEqual([{ token, tokenTypeHint: 'access_token', clientId: BASIC.id, method: 'client_secret_basic' }]);
      await get('/api/messages', token).expect(200);
    });

    it('accepts an answer without aud (RFC 7662 makes it optional)', async () => {
      await boot();
      await get('/api/probe/claims', activeToken({ aud: undefined })).expect(200);
    });

    it('reads scopes from `scope` for the same scope policies as JWTs (403 insufficient_scope)', async () => {
      await boot({ OKTA_REQUIRED_SCOPES: 'openid' });
      await get('/api/probe/all-of', activeToken({ scope: 'openid messages:read messages:write' })).expect(200);
      expectInsufficientScope(await get('/api/probe/all-of', activeToken({ scope: 'openid messages:read' })), 'openid messages:read messages:write');
      expectInsufficientScope(await get('/api/messages', activeToken({ scope: 'profile' })), 'openid');
    });

    it('refuses a request without a bearer token without asking the issuer', async () => {
      await boot();
      expectMissingToken(await get('/api/messages'));
      expect(endpoint.calls).toHaveLength(0);
    });
  });

  describe('each check fails alone', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: Array<[string, () => Record<string, unknown>, RefusalReason]> = [
      ['active: false', () => ({ active: false }), 'inactive'],
      ['a refresh token as oidc-provider answers (no token_type)', () => ({ token_type: undefined }), 'wrong_type'],
      ['a refresh token as Okta answers (Bearer, but no iss)', () => ({ iss: undefined, aud: undefined, jti: undefined, iat: undefined, device_id: 'q4SZ' }), 'missing_claim'],
      ['a DPoP-bound token presented as a bearer token (RFC 9449 §7.2)', () => ({ token_type: 'DPoP', cnf: { jkt: 'abc' } }), 'bound_token_as_bearer'],
      ['token_type DPoP without the key it is bound to', () => ({ token_type: 'DPoP' }), 'wrong_type'],
      ['another issuer', () => ({ iss: 'https://evil.example.com/oauth2/default' }), 'wrong_issuer'],
      ['another audience', () => ({ aud: 'api://other' }), 'wrong_audience'],
      ['another audience, as an array', () => ({ aud: ['api://other', 'api://x'] }), 'wrong_audience'],
      ['another client (OKTA_CLIENT_ID)', () => ({ client_id: '0oa-someone-else' }), 'wrong_client'],
      ['no exp', () => ({ exp: undefined }), 'missing_claim'],
      ['exp passed (plus the skew)', () => ({ exp: now() - 31 }), 'expired'],
      ['nbf in the future', () => ({ nbf: now() + 60 }), 'not_yet_valid'],
      ['iat in the future', () => ({ iat: now() + 60 }), 'issued_in_future'],
    ];

    it.each(cases)('%s', async (_name, overrides, reason) => {
      await boot({ OKTA_CLIENT_ID: '0oa-test-spa' });
      // The same answer without the override passes: the override alone makes the difference.
      await get('/api/messages', activeToken()).expect(200);
      const partial = overrides();
      const answer = 'active' in partial ? partial : endpoint.activeAnswer(partial);
      const token = `t-${reason}-${Math.random()}`;
      endpoint.answers.set(token, answer);
      expectInvalidToken(await get('/api/messages', token), reason);
    });

    it('case-folds token_type (RFC 6749 §5.1)', async () => {
      await boot();
      await get('/api/messages', activeToken({ token_type: 'bearer' })).expect(200);
    });

    it('refuses a wrongly typed answer as introspection unavailable, never as a valid token', async () => {
      await boot();
      expectInvalidToken(await get('/api/messages', activeToken({ exp: 'tomorrow' })), 'introspection_unavailable');
      expectInvalidToken(await get('/api/messages', activeToken({ active: 'true' })), 'introspection_unavailable');
    });
  });

  describe('client authentication', () => {
    it('client_secret_basic (the default with a secret), id and secret form-urlencoded', async () => {
      await boot();
      await get('/api/messages', activeToken()).expect(200);
      expect(endpoint.calls[0]).toMatchObject({ clientId: BASIC.id, method: 'client_secret_basic' });
    });

    it('client_secret_post', async () => {
      await boot({ OKTA_INTROSPECTION_CLIENT_ID: POST.id, OKTA_INTROSPECTION_CLIENT_SECRET: POST.secret, OKTA_INTROSPECTION_AUTH_METHOD: 'client_secret_post' });
      await get('/api/messages', activeToken()).expect(200);
      expect(endpoint.calls[0]).toMatchObject({ clientId: POST.id, method: 'client_secret_post' });
    });

    it('a public client (client_id only) when no secret is set', async () => {
      await boot({ OKTA_INTROSPECTION_CLIENT_ID: PUBLIC.id, OKTA_INTROSPECTION_CLIENT_SECRET: '' });
      await get('/api/messages', activeToken()).expect(200);
      expect(endpoint.calls[0]).toMatchObject({ clientId: PUBLIC.id, method: 'none' });
    });

    it('a refused secret is introspection_unavailable, and the secret appears in no log, metric, readiness or error', async () => {
      const wrong = 'wrong-secret-XYZZY-never-logged';
      await boot({ OKTA_INTROSPECTION_CLIENT_SECRET: wrong });
      const res = await get('/api/messages', activeToken());
      expectInvalidToken(res, 'introspection_unavailable');
      const refusal = logs.refusalLine(res.headers['x-request-id']);
      expect(refusal).toMatchObject({ reason: 'introspection_unavailable' });
      expect(refusal!.cause).toMatch(/HTTP 401 invalid_client/);

      const ready = await get('/api/health/ready');
      expect(ready.body.details.introspection.lastError).toBe('client_refused');
      const metrics = await get('/metrics');
      for (const text of [logs.text(), JSON.stringify(ready.body), metrics.text, JSON.stringify(res.body), String(res.headers['www-authenticate'])]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(Buffer.from(`${BASIC.id}:${wrong}`).toString('base64'));
      }
    });
  });

  describe('the answer cache', () => {
    it('answers a second request without a call', async () => {
      await boot();
      const token = activeToken();
      await get('/api/messages', token).expect(200);
      await get('/api/messages', token).expect(200);
      await get('/api/probe/claims', token).expect(200);
      expect(endpoint.callsFor(token)).toBe(1);
    });

    it('asks again once the cached answer expires', async () => {
      await boot({ OKTA_INTROSPECTION_CACHE_TTL: '1' });
      const token = activeToken();
      await get('/api/messages', token).expect(200);
      await get('/api/messages', token).expect(200);
      expect(endpoint.callsFor(token)).toBe(1);
      await sleep(1100);
      await get('/api/messages', token).expect(200);
      expect(endpoint.callsFor(token)).toBe(2);
    });

    it('refuses a revoked token once its cached answer expires', async () => {
      await boot({ OKTA_INTROSPECTION_CACHE_TTL: '1' });
      const token = activeToken();
      await get('/api/messages', token).expect(200);
      endpoint.answers.set(token, { active: false }); // revoked at the issuer
      await get('/api/messages', token).expect(200); // within the cache TTL: the price of caching
      await sleep(1100);
      expectInvalidToken(await get('/api/messages', token), 'inactive');
    });

    it('never keeps an active answer past the token exp', async () => {
      await boot({ OKTA_INTROSPECTION_CACHE_TTL: '300', OKTA_CLOCK_TOLERANCE: '0' });
      const exp = Math.floor(Date.now() / 1000) + 2;
      const token = activeToken({ exp });
      await get('/api/messages', token).expect(200);
      endpoint.answers.set(token, { active: false });
      await sleep(exp * 1000 - Date.now() + 100);
      expectInvalidToken(await get('/api/messages', token), 'inactive');
      expect(endpoint.callsFor(token)).toBe(2);
    });

    it('remembers inactive answers, so repeating a garbage token costs one call', async () => {
      await boot();
      for (let i = 0; i < 5; i++) expectInvalidToken(await get('/api/messages', 'garbage'), 'inactive');
      expect(endpoint.callsFor('garbage')).toBe(1);
    });

    it('checks a cached answer again on every hit (a refused answer stays refused)', async () => {
      await boot();
      const token = activeToken({ aud: 'api://other' });
      for (let i = 0; i < 3; i++) expectInvalidToken(await get('/api/messages', token), 'wrong_audience');
      expect(endpoint.callsFor(token)).toBe(1);
    });

    it('can be turned off (OKTA_INTROSPECTION_CACHE_SIZE=0)', async () => {
      await boot({ OKTA_INTROSPECTION_CACHE_SIZE: '0' });
      const token = activeToken();
      await get('/api/messages', token).expect(200);
      await get('/api/messages', token).expect(200);
      expect(endpoint.callsFor(token)).toBe(2);
    });
  });

  describe('cost to the issuer', () => {
    it('makes one call for 100 concurrent requests with one new token', async () => {
      await boot();
      const token = activeToken();
      const release = endpoint.hold();
      const responses = Array.from({ length: 100 }, () => get('/api/messages', token).then((r) => r.status));
      await endpoint.callsReached(1);
      // Let every request reach the guard while the one call is held.
      await sleep(300);
      release();
      expect(await Promise.all(responses)).toEqual(Array(100).fill(200));
      expect(endpoint.calls).toHaveLength(1);
    });

    it('never has more calls in flight than OKTA_INTROSPECTION_MAX_CONCURRENCY', async () => {
      await boot({ OKTA_INTROSPECTION_MAX_CONCURRENCY: '2' });
      const tokens = Array.from({ length: 10 }, () => activeToken());
      const release = endpoint.hold();
      const responses = tokens.map((t) => get('/api/messages', t).then((r) => r.status));
      await endpoint.callsReached(2);
      await sleep(300);
      expect(endpoint.calls).toHaveLength(2);
      release();
      expect(await Promise.all(responses)).toEqual(Array(10).fill(200));
      expect(endpoint.calls).toHaveLength(10);
      expect(endpoint.maxInProgress).toBe(2);
    });

    it('gives up at the deadline: 401 introspection_unavailable, never a hang', async () => {
      await boot({ OKTA_INTROSPECTION_TIMEOUT_MS: '300' });
      endpoint.mode = 'hang';
      const res = await get('/api/messages', activeToken());
      expectInvalidToken(res, 'introspection_unavailable');
      expect(logs.refusalLine(res.headers['x-request-id'])!.cause).toMatch(/timed out/);
    });
  });

  describe('an issuer that cannot answer', () => {
    it.each([
      ['answers 503', 'down', 'http_status'],
      ['answers something that is not JSON', 'garbage', 'invalid_answer'],
    ] as const)('%s: 401 introspection_unavailable, shown by readiness and metrics', async (_name, mode, code) => {
      await boot();
      endpoint.mode = mode;
      const res = await get('/api/messages', activeToken());
      expectInvalidToken(res, 'introspection_unavailable');
      const ready = await get('/api/health/ready').expect(503);
      expect(ready.body.details.introspection).toMatchObject({ status: 'down', endpoint: endpoint.url, lastCall: 'error' });
      expect(ready.body.details.introspection.lastError).toBe(code);
      const metrics = (await get('/metrics')).text;
      expect(sample(metrics, 'introspection_calls_total', { result: 'error' })).toBeGreaterThanOrEqual(1);
      expect(sample(metrics, 'auth_decisions_total', { outcome: 'refused', reason: 'introspection_unavailable' })).toBe(1);

      endpoint.mode = 'up';
      await get('/api/messages', activeToken()).expect(200);
      const back = await get('/api/health/ready').expect(200);
      expect(back.body.details.introspection).toMatchObject({ status: 'up', lastCall: 'success' });
    });

    it('answers more than 16 KB: 401 introspection_unavailable, nothing buffered past the bound', async () => {
      await boot();
      endpoint.mode = 'huge';
      const res = await get('/api/messages', activeToken());
      expectInvalidToken(res, 'introspection_unavailable');
      expect(logs.refusalLine(res.headers['x-request-id'])!.cause).toMatch(/larger than/);
    });

    it('redirects: the token is never sent where the redirect points', async () => {
      const elsewhere = await TestIntrospectionEndpoint.start([BASIC]);
      try {
        await boot();
        endpoint.mode = 'redirect';
        endpoint.redirectTo = elsewhere.url;
        const token = activeToken();
        elsewhere.answers.set(token, elsewhere.activeAnswer({ iss: endpoint.issuer }));
        expectInvalidToken(await get('/api/messages', token), 'introspection_unavailable');
        expect(elsewhere.calls).toHaveLength(0);
      } finally {
        await elsewhere.close();
      }
    });

    it('is not listening: 401 introspection_unavailable', async () => {
      await boot();
      const token = activeToken();
      await endpoint.close();
      expectInvalidToken(await get('/api/messages', token), 'introspection_unavailable');
      endpoint = await TestIntrospectionEndpoint.start([]); // for afterEach
    });
  });

  describe('DPoP (RFC 9449): an answer\'s cnf.jkt binds the token as a JWT\'s does', () => {
    const BASE = 'https://api.example.test';
    let key: DpopKey;
    let other: DpopKey;
    beforeAll(async () => {
      key = await DpopKey.generate();
      other = await DpopKey.generate();
    });
    const dpopGet = async (token: string, proofKey: DpopKey) =>
      get('/api/messages')
        .set('Authorization', `DPoP ${token}`)
        .set('DPoP', await proofKey.proof('GET', `${BASE}/api/messages`, token));
    const boundToken = () => activeToken({ token_type: 'DPoP', cnf: { jkt: key.jkt } });

    it('accepts the bound token with a proof of its key, also from the answer cache', async () => {
      await boot({ PUBLIC_BASE_URL: BASE });
      const token = boundToken();
      expect((await dpopGet(token, key)).status).toBe(200);
      expect((await dpopGet(token, key)).status).toBe(200);
      expect(endpoint.callsFor(token)).toBe(1);
    });

    it('refuses a proof of another key, a bearer presentation, and an unbound token sent with DPoP', async () => {
      await boot({ PUBLIC_BASE_URL: BASE });
      const token = boundToken();
      const mismatch = await dpopGet(token, other);
      expect(mismatch.status).toBe(401);
      expect(mismatch.body.message).toBe(REFUSAL_DESCRIPTIONS.dpop_key_mismatch);
      const asBearer = await get('/api/messages', token);
      expect(asBearer.status).toBe(401);
      expect(asBearer.body.message).toBe(REFUSAL_DESCRIPTIONS.bound_token_as_bearer);
      const unbound = await dpopGet(activeToken(), key);
      expect(unbound.status).toBe(401);
      expect(unbound.body.message).toBe(REFUSAL_DESCRIPTIONS.dpop_token_not_bound);
    });
  });

  describe('an outbound proxy', () => {
    it('carries the introspection call when HTTP_PROXY is set, as it carries key fetches', async () => {
      const proxy = await RecordingProxy.start();
      try {
        // Another issuer origin, so the only request for the endpoint's origin is the introspection.
        const issuer = 'http://localhost:9/oauth2/default';
        await boot({ HTTP_PROXY: proxy.url, OKTA_ISSUER: issuer });
        const token = activeToken({ iss: issuer });
        await get('/api/messages', token).expect(200);
        expect(proxy.requests).toContainEqual({ method: 'CONNECT', target: new URL(endpoint.url).host });
        expect(endpoint.callsFor(token)).toBe(1);
      } finally {
        await proxy.close();
      }
    });
  });

  describe('metrics', () => {
    it('counts calls by result and answers by where they came from', async () => {
      await boot();
      const token = activeToken();
      await get('/api/messages', token).expect(200);
      await get('/api/messages', token).expect(200);
      await get('/api/messages', 'garbage').expect(401);
      const text = (await get('/metrics')).text;
      expect(sample(text, 'introspection_calls_total', { result: 'active' })).toBe(1);
      expect(sample(text, 'introspection_calls_total', { result: 'inactive' })).toBe(1);
      expect(sample(text, 'introspection_lookups_total', { source: 'local' })).toBe(1);
      expect(sample(text, 'introspection_lookups_total', { source: 'issuer' })).toBe(2);
      expect(sample(text, 'introspection_cached_answers')).toBe(2);
      expect(sample(text, 'auth_decisions_total', { outcome: 'refused', reason: 'inactive' })).toBe(1);
    });
  });

  describe('@RequireActiveToken() with OKTA_TOKEN_VALIDATION=jwt', () => {
    let issuer: TestIssuer;
    beforeEach(async () => (issuer = await TestIssuer.start()));
    afterEach(() => issuer.close());

    it('introspects the marked route only; the others validate JWTs locally', async () => {
      await boot({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_VALIDATION: 'jwt' });
      const jwt = await issuer.sign();
      endpoint.answers.set(jwt, endpoint.activeAnswer({ iss: issuer.issuer }));

      await get('/api/active/local', jwt).expect(200);
      await get('/api/messages', jwt).expect(200);
      expect(endpoint.calls).toHaveLength(0);
      expect((await get('/api/health/ready').expect(200)).body.details).not.toHaveProperty('introspection');

      const res = await get('/api/active/now', jwt).expect(200);
      expect(res.body.claims.active).toBe(true);
      expect(endpoint.callsFor(jwt)).toBe(1);
      // Shown once used; in jwt mode it never makes the instance unready.
      endpoint.mode = 'down';
      expectInvalidToken(await get('/api/active/now', await issuer.sign()), 'introspection_unavailable');
      const ready = await get('/api/health/ready').expect(200);
      expect(ready.body.details.introspection).toMatchObject({ status: 'up', lastCall: 'error' });
      endpoint.mode = 'up';

      // Revoked at the issuer: the marked route refuses it, the others accept it until exp.
      endpoint.answers.set(jwt, { active: false });
      await app!.close();
      await boot({ OKTA_ISSUER: issuer.issuer, OKTA_TOKEN_VALIDATION: 'jwt' });
      expectInvalidToken(await get('/api/active/now', jwt), 'inactive');
      await get('/api/active/local', jwt).expect(200);
    });
  });
});
